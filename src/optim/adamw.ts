/**
 * AdamW (Loshchilov & Hutter 2019): Adam with decoupled weight decay, θ ← θ (1 − α λ) before the
 * Adam step, instead of adding λθ to the gradient. `torch.optim.AdamW` (PyTorch 1.13's
 * single-tensor implementation).
 */
import { zerosLike } from '../ops/creation.js';
import { ADAM_PARAMS, ADAM_STATE, type AdamDefaults, type AdamOptions, type AdamState, adamUpdate, validateAdam } from './adam.js';
import { Optimizer, type OptimizerArgs, optimizerOptions, type ParamGroup, type Params, type StateSpec } from './optimizer.js';

export type AdamWOptions = AdamOptions;
export type AdamWDefaults = AdamDefaults;
export type AdamWState = AdamState;

export class AdamW extends Optimizer<AdamWDefaults, AdamWState> {
  protected override readonly stateSpec: StateSpec = ADAM_STATE;

  /** Options as in Adam; `weightDecay` defaults to 1e-2 and is decoupled from the gradient. */
  constructor(
    params: Params<AdamWDefaults>,
    ...args: OptimizerArgs<AdamWOptions, [lr?: number, betas?: [number, number], eps?: number, weightDecay?: number, amsgrad?: boolean]>
  ) {
    const options = optimizerOptions<AdamWOptions>('AdamW', args, ...ADAM_PARAMS);
    super(params, {
      lr: options.lr ?? 1e-3,
      betas: options.betas ?? [0.9, 0.999],
      eps: options.eps ?? 1e-8,
      weightDecay: options.weightDecay ?? 1e-2,
      amsgrad: options.amsgrad ?? false,
      maximize: options.maximize ?? false,
    });
  }

  protected validate(g: AdamWDefaults, where: string): void {
    validateAdam('AdamW', g, where);
  }

  protected updateGroup(group: ParamGroup<AdamWDefaults>): void {
    for (const p of group.params) {
      if (p.grad === null) continue;
      const state = this.stateOf(p, () => {
        const s: AdamWState = { step: 0, expAvg: zerosLike(p), expAvgSq: zerosLike(p) };
        if (group.amsgrad) s.maxExpAvgSq = zerosLike(p);
        return s;
      });
      const grad = group.maximize ? p.grad.neg() : p.grad;
      state.step += 1;
      // PyTorch multiplies unconditionally; a factor of exactly 1 changes nothing.
      const decay = 1 - group.lr * group.weightDecay;
      if (decay !== 1) p.mul_(decay);
      adamUpdate(p, state, group, grad);
    }
  }
}
