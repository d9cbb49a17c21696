/**
 * Adam (Kingma & Ba 2015) with optional AMSGrad, L2 weight decay and maximization:
 * `torch.optim.Adam` (PyTorch 1.13's single-tensor implementation, operation for operation).
 *
 * With bias corrections b1 = 1 − β1^t and b2 = 1 − β2^t, the update is
 * θ ← θ − (α / b1) · m / (√v / √b2 + ε): ε is added after dividing √v by √b2, as PyTorch does.
 */
import { maximum } from '../ops/binary.js';
import { zerosLike } from '../ops/creation.js';
import type { ParamSpec } from '../tensor/args.js';
import type { Tensor } from '../tensor/tensor.js';
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
 * @internal one Adam/AdamW update of `p` after the moments are updated: the bias-corrected step
 * with PyTorch's placement of ε.
 */
export function adamUpdate(p: Tensor, state: AdamState, group: AdamDefaults, grad: Tensor): void {
  const { lr, eps, amsgrad } = group;
  const [beta1, beta2] = group.betas;
  const { expAvg, expAvgSq } = state;
  expAvg.mul_(beta1).add_(grad, 1 - beta1);
  expAvgSq.mul_(beta2).addcmul_(grad, grad, 1 - beta2);
  const step = state.step;
  const biasCorrection1 = 1 - beta1 ** step;
  const biasCorrection2 = 1 - beta2 ** step;
  const stepSize = lr / biasCorrection1;
  const biasCorrection2Sqrt = Math.sqrt(biasCorrection2);
  let denom: Tensor;
  if (amsgrad) {
    state.maxExpAvgSq ??= zerosLike(p);
    const maxSq = state.maxExpAvgSq;
    maxSq.copy_(maximum(maxSq, expAvgSq));
    denom = maxSq.sqrt().div(biasCorrection2Sqrt).add_(eps);
  } else {
    denom = expAvgSq.sqrt().div(biasCorrection2Sqrt).add_(eps);
  }
  p.addcdiv_(expAvg, denom, -stepSize);
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
    for (const p of group.params) {
      if (p.grad === null) continue;
      const state = this.stateOf(p, () => {
        const s: AdamState = { step: 0, expAvg: zerosLike(p), expAvgSq: zerosLike(p) };
        if (group.amsgrad) s.maxExpAvgSq = zerosLike(p);
        return s;
      });
      let grad = group.maximize ? p.grad.neg() : p.grad;
      state.step += 1;
      if (group.weightDecay !== 0) grad = grad.add(p, group.weightDecay);
      adamUpdate(p, state, group, grad);
    }
  }
}
