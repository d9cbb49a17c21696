/**
 * AdamW (Loshchilov & Hutter 2019): Adam with decoupled weight decay, θ ← θ (1 − α λ) before the
 * Adam step, instead of adding λθ to the gradient. `torch.optim.AdamW` (PyTorch 1.13's
 * single-tensor implementation).
 */
import { ADAM_PARAMS, ADAM_STATE, type AdamDefaults, type AdamOptions, type AdamState, adamGroupStep, validateAdam } from './adam.js';
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
    // PyTorch multiplies θ by 1 − αλ unconditionally; the kernel skips a factor of exactly 1.
    adamGroupStep(group, true, (p, init) => this.stateOf(p, init));
  }
}
