import '../tensor/methods.js';
import type { Tensor } from '../tensor/tensor.js';
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
  override forward(input: Tensor, target: Tensor): Tensor {
    return mseLoss(input, target, { reduction: this.reduction });
  }
}

/** Mean absolute error (`torch.nn.L1Loss`). */
export class L1Loss extends Loss {
  override forward(input: Tensor, target: Tensor): Tensor {
    return l1Loss(input, target, { reduction: this.reduction });
  }
}

/** Negative log-likelihood of class indices under log-probabilities (`torch.nn.NLLLoss`). */
export class NLLLoss extends Loss {
  declare weight: Tensor | null;
  readonly ignoreIndex: number;
  constructor(opts: NLLLossOptions = {}) {
    super(opts);
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
  constructor(opts: CrossEntropyOptions = {}) {
    super(opts);
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
  constructor(opts: BCELossOptions = {}) {
    super(opts);
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
  constructor(opts: BCEWithLogitsOptions = {}) {
    super(opts);
    this.registerBuffer('weight', opts.weight ?? null);
    this.registerBuffer('posWeight', opts.posWeight ?? null);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropyWithLogits(input, target, { weight: this.weight, posWeight: this.posWeight, reduction: this.reduction });
  }
}
