/**
 * Adam (Kingma & Ba 2015) with optional AMSGrad, L2 weight decay and maximization:
 * `torch.optim.Adam` (PyTorch 1.13's single-tensor implementation, operation for operation).
 *
 * With bias corrections b1 = 1 − β1^t and b2 = 1 − β2^t, the update is
 * θ ← θ − (α / b1) · m / (√v / √b2 + ε): ε is added after dividing √v by √b2, as PyTorch does.
 */
import { zerosLike } from '../ops/creation.js';
import type { ParamSpec } from '../tensor/args.js';
import type { Tensor } from '../tensor/tensor.js';
import { StepOperands } from './foreach.js';
import {
  checkNonNegative,
  Optimizer,
  type OptimizerArgs,
  optimizerOptions,
  optionKinds,
  type ParamGroup,
  type Params,
  type StateSpec,
} from './optimizer.js';

export interface AdamOptions {
  /** Learning rate α (default 1e-3). */
  lr?: number;
  /** Decay rates (β1, β2) of the first and second moment averages (default [0.9, 0.999]). */
  betas?: [number, number];
  /** Added to the denominator for numerical stability (default 1e-8). */
  eps?: number;
  /** L2 penalty λ added to the gradient (default 0; see AdamW for decoupled decay). */
  weightDecay?: number;
  /** Use the maximum of all second-moment averages so far (AMSGrad; default false). */
  amsgrad?: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize?: boolean;
}

export type AdamDefaults = Required<AdamOptions>;

/** Per-parameter state. PyTorch keeps `step` as a 0-d tensor; nabla as a number. */
export type AdamState = { step: number; expAvg: Tensor; expAvgSq: Tensor; maxExpAvgSq?: Tensor };

/** @internal the per-parameter state Adam and AdamW keep. */
export const ADAM_STATE: StateSpec = { step: 'count', expAvg: 'tensor', expAvgSq: 'tensor', maxExpAvgSq: 'tensor?' };

/** @internal the option checks Adam and AdamW share. */
export function validateAdam(opt: string, g: AdamDefaults, where: string): void {
  checkNonNegative(opt, 'learning rate (lr)', g.lr, where);
  checkNonNegative(opt, 'epsilon (eps)', g.eps, where);
  if (!Array.isArray(g.betas) || g.betas.length !== 2) throw new TypeError(`${opt}: betas must be a pair [beta1, beta2] in ${where}`);
  g.betas.forEach((b, i) => {
    if (typeof b !== 'number' || !(b >= 0 && b < 1))
      throw new RangeError(`${opt}: invalid beta parameter at index ${i}: ${b} in ${where} (must be in [0, 1))`);
  });
  checkNonNegative(opt, 'weightDecay', g.weightDecay, where);
}

/**
 * @internal one Adam/AdamW step over a group's parameters that have gradients: increments each
 * one's step count and runs the backend's fused `adamStep` kernel (PyTorch's bias corrections,
 * computed here in double as Python does, and its placement of ε).
 */
export function adamGroupStep(
  group: ParamGroup<AdamDefaults>,
  decoupled: boolean,
  stateOf: (p: Tensor, init: () => AdamState) => AdamState,
): void {
  const { lr, eps, weightDecay, amsgrad, maximize } = group;
  const [beta1, beta2] = group.betas;
  const ops = new StepOperands(decoupled ? 'AdamW' : 'Adam');
  const params: unknown[] = [];
  const grads: unknown[] = [];
  const expAvgs: unknown[] = [];
  const expAvgSqs: unknown[] = [];
  const maxSqs: unknown[] = [];
  const stepSizes: number[] = [];
  const bc2Sqrts: number[] = [];
  for (const p of group.params) {
    if (p.grad === null) continue;
    const state = stateOf(p, () => {
      const s: AdamState = { step: 0, expAvg: zerosLike(p), expAvgSq: zerosLike(p) };
      if (amsgrad) s.maxExpAvgSq = zerosLike(p);
      return s;
    });
    state.step += 1;
    params.push(ops.write(p));
    grads.push(ops.read(p.grad));
    expAvgs.push(ops.write(state.expAvg));
    expAvgSqs.push(ops.write(state.expAvgSq));
    if (amsgrad) {
      state.maxExpAvgSq ??= zerosLike(p);
      maxSqs.push(ops.write(state.maxExpAvgSq));
    }
    stepSizes.push(lr / (1 - beta1 ** state.step));
    bc2Sqrts.push(Math.sqrt(1 - beta2 ** state.step));
  }
  if (params.length === 0) return;
  ops.kernels.adamStep(params, grads, expAvgs, expAvgSqs, amsgrad ? maxSqs : null, stepSizes, bc2Sqrts, {
    lr,
    beta1,
    beta2,
    eps,
    weightDecay,
    decoupled,
    maximize,
  });
  ops.done();
}

/** Adam's and AdamW's constructor parameters: PyTorch's positional order, then keyword-only. */
export const ADAM_PARAMS: readonly [positional: readonly ParamSpec[], keywords: readonly ParamSpec[]] = [
  [
    ['lr', optionKinds.number],
    ['betas', optionKinds.numberPair],
    ['eps', optionKinds.number],
    ['weightDecay', optionKinds.number],
    ['amsgrad', optionKinds.bool],
  ],
  [['maximize', optionKinds.bool]],
];

export class Adam extends Optimizer<AdamDefaults, AdamState> {
  protected override readonly stateSpec: StateSpec = ADAM_STATE;

  constructor(
    params: Params<AdamDefaults>,
    ...args: OptimizerArgs<AdamOptions, [lr?: number, betas?: [number, number], eps?: number, weightDecay?: number, amsgrad?: boolean]>
  ) {
    const options = optimizerOptions<AdamOptions>('Adam', args, ...ADAM_PARAMS);
    super(params, {
      lr: options.lr ?? 1e-3,
      betas: options.betas ?? [0.9, 0.999],
      eps: options.eps ?? 1e-8,
      weightDecay: options.weightDecay ?? 0,
      amsgrad: options.amsgrad ?? false,
      maximize: options.maximize ?? false,
    });
  }

  protected validate(g: AdamDefaults, where: string): void {
    validateAdam('Adam', g, where);
  }

  protected updateGroup(group: ParamGroup<AdamDefaults>): void {
    adamGroupStep(group, false, (p, init) => this.stateOf(p, init));
  }
}
