import '../tensor/methods.js';
import { kinds, type ParamSpec, parseArgs } from '../tensor/args.js';
import { Tensor } from '../tensor/tensor.js';
import {
  type BCELossOptions,
  type BCEWithLogitsOptions,
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  type CrossEntropyOptions,
  checkLossOptions,
  crossEntropy,
  l1Loss,
  mseLoss,
  type NLLLossOptions,
  nllLoss,
  type Reduction,
  type ReductionOptions,
} from './functional/loss.js';
import { Module } from './module.js';

// The functional form whose options each loss module takes.
const LOSS_FUNCTIONS: Record<string, string> = {
  MSELoss: 'mseLoss',
  L1Loss: 'l1Loss',
  NLLLoss: 'nllLoss',
  CrossEntropyLoss: 'crossEntropy',
  BCELoss: 'binaryCrossEntropy',
  BCEWithLogitsLoss: 'binaryCrossEntropyWithLogits',
};

const tensorOrNull = { desc: 'a Tensor or null', ok: (v: unknown) => v === null || v instanceof Tensor };
const boolOrNull = { desc: 'a boolean or null (deprecated; use reduction)', ok: (v: unknown) => v === null || typeof v === 'boolean' };
const reductionKind = { desc: "'none', 'mean' or 'sum'", ok: (v: unknown) => v === 'none' || v === 'mean' || v === 'sum' };
const LOSS_PARAMS: Record<string, ParamSpec> = {
  weight: ['weight', tensorOrNull],
  posWeight: ['posWeight', tensorOrNull],
  sizeAverage: ['sizeAverage', boolOrNull],
  reduce: ['reduce', boolOrNull],
  ignoreIndex: ['ignoreIndex', kinds.int],
  reduction: ['reduction', reductionKind],
  labelSmoothing: ['labelSmoothing', kinds.number],
};

/**
 * A loss module's arguments in PyTorch's positions (`names`) or as options. PyTorch's deprecated
 * `sizeAverage`/`reduce`, when given, decide the reduction as PyTorch's legacy rule does.
 */
function lossArgs<O extends ReductionOptions>(name: string, args: readonly unknown[], names: readonly string[]): O {
  const o = parseArgs<O & { sizeAverage?: boolean | null; reduce?: boolean | null }>(name, args, {
    positional: names.map((k) => LOSS_PARAMS[k]),
    usage: `${name}(${names.join(', ')}) with PyTorch's positions (all optional), or ${name}({ ${names.filter((k) => k !== 'sizeAverage' && k !== 'reduce').join(', ')} })`,
  });
  const { sizeAverage, reduce, ...rest } = o;
  if ((sizeAverage ?? null) !== null || (reduce ?? null) !== null) {
    const mean = sizeAverage ?? true;
    const red = reduce ?? true;
    rest.reduction = mean && red ? 'mean' : red ? 'sum' : 'none';
  }
  return rest as unknown as O;
}

/** Base of the loss modules: `call(input, target)`; `weight`-like tensors are buffers, as in PyTorch. */
export abstract class Loss extends Module<[Tensor, Tensor], Tensor> {
  readonly reduction: Reduction;
  constructor(opts: ReductionOptions = {}) {
    super();
    const fn = LOSS_FUNCTIONS[this._getName()];
    if (fn !== undefined) checkLossOptions(fn, opts);
    this.reduction = opts.reduction ?? 'mean';
  }
}

/** Mean squared error (`torch.nn.MSELoss`). */
export class MSELoss extends Loss {
  constructor(opts?: ReductionOptions);
  constructor(sizeAverage?: boolean | null, reduce?: boolean | null, reduction?: Reduction);
  constructor(...args: unknown[]) {
    super(lossArgs('MSELoss', args, ['sizeAverage', 'reduce', 'reduction']));
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return mseLoss(input, target, { reduction: this.reduction });
  }
}

/** Mean absolute error (`torch.nn.L1Loss`). */
export class L1Loss extends Loss {
  constructor(opts?: ReductionOptions);
  constructor(sizeAverage?: boolean | null, reduce?: boolean | null, reduction?: Reduction);
  constructor(...args: unknown[]) {
    super(lossArgs('L1Loss', args, ['sizeAverage', 'reduce', 'reduction']));
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return l1Loss(input, target, { reduction: this.reduction });
  }
}

/** Negative log-likelihood of class indices under log-probabilities (`torch.nn.NLLLoss`). */
export class NLLLoss extends Loss {
  declare weight: Tensor | null;
  readonly ignoreIndex: number;
  constructor(opts?: NLLLossOptions);
  constructor(weight?: Tensor | null, sizeAverage?: boolean | null, ignoreIndex?: number, reduce?: boolean | null, reduction?: Reduction);
  constructor(...args: unknown[]) {
    const opts = lossArgs<NLLLossOptions>('NLLLoss', args, ['weight', 'sizeAverage', 'ignoreIndex', 'reduce', 'reduction']);
    super({ reduction: opts.reduction });
    this.registerBuffer('weight', opts.weight ?? null);
    this.ignoreIndex = opts.ignoreIndex ?? -100;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return nllLoss(input, target, { weight: this.weight, ignoreIndex: this.ignoreIndex, reduction: this.reduction });
  }
}

/**
 * Cross-entropy of logits against class indices or class probabilities
 * (`torch.nn.CrossEntropyLoss`), with weight, ignoreIndex and labelSmoothing.
 */
export class CrossEntropyLoss extends Loss {
  declare weight: Tensor | null;
  readonly ignoreIndex: number;
  readonly labelSmoothing: number;
  constructor(opts?: CrossEntropyOptions);
  constructor(
    weight?: Tensor | null,
    sizeAverage?: boolean | null,
    ignoreIndex?: number,
    reduce?: boolean | null,
    reduction?: Reduction,
    labelSmoothing?: number,
  );
  constructor(...args: unknown[]) {
    const opts = lossArgs<CrossEntropyOptions>('CrossEntropyLoss', args, [
      'weight',
      'sizeAverage',
      'ignoreIndex',
      'reduce',
      'reduction',
      'labelSmoothing',
    ]);
    super({ reduction: opts.reduction });
    this.registerBuffer('weight', opts.weight ?? null);
    this.ignoreIndex = opts.ignoreIndex ?? -100;
    this.labelSmoothing = opts.labelSmoothing ?? 0;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return crossEntropy(input, target, {
      weight: this.weight,
      ignoreIndex: this.ignoreIndex,
      reduction: this.reduction,
      labelSmoothing: this.labelSmoothing,
    });
  }
}

/** Binary cross-entropy of probabilities (`torch.nn.BCELoss`). */
export class BCELoss extends Loss {
  declare weight: Tensor | null;
  constructor(opts?: BCELossOptions);
  constructor(weight?: Tensor | null, sizeAverage?: boolean | null, reduce?: boolean | null, reduction?: Reduction);
  constructor(...args: unknown[]) {
    const opts = lossArgs<BCELossOptions>('BCELoss', args, ['weight', 'sizeAverage', 'reduce', 'reduction']);
    super({ reduction: opts.reduction });
    this.registerBuffer('weight', opts.weight ?? null);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropy(input, target, { weight: this.weight, reduction: this.reduction });
  }
}

/** Binary cross-entropy of logits, sigmoid fused in for stability (`torch.nn.BCEWithLogitsLoss`). */
export class BCEWithLogitsLoss extends Loss {
  declare weight: Tensor | null;
  declare posWeight: Tensor | null;
  constructor(opts?: BCEWithLogitsOptions);
  constructor(
    weight?: Tensor | null,
    sizeAverage?: boolean | null,
    reduce?: boolean | null,
    reduction?: Reduction,
    posWeight?: Tensor | null,
  );
  constructor(...args: unknown[]) {
    const opts = lossArgs<BCEWithLogitsOptions>('BCEWithLogitsLoss', args, ['weight', 'sizeAverage', 'reduce', 'reduction', 'posWeight']);
    super({ reduction: opts.reduction });
    this.registerBuffer('weight', opts.weight ?? null);
    this.registerBuffer('posWeight', opts.posWeight ?? null);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropyWithLogits(input, target, { weight: this.weight, posWeight: this.posWeight, reduction: this.reduction });
  }
}
