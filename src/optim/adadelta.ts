/**
 * Adadelta (Zeiler 2012): step sizes from running averages of squared gradients and squared
 * updates, `torch.optim.Adadelta` (PyTorch 1.13's single-tensor implementation).
 */
import { zerosLike } from '../ops/creation.js';
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

export interface AdadeltaOptions {
  /** Scale applied to the update (default 1.0). */
  lr?: number;
  /** Decay of the running averages ρ (default 0.9). */
  rho?: number;
  /** Added inside the square roots for numerical stability (default 1e-6). */
  eps?: number;
  /** L2 penalty λ added to the gradient (default 0). */
  weightDecay?: number;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize?: boolean;
}

export type AdadeltaDefaults = Required<AdadeltaOptions>;

/** Per-parameter state: the running averages of squared gradients and of squared updates. */
export type AdadeltaState = { step: number; squareAvg: Tensor; accDelta: Tensor };

export class Adadelta extends Optimizer<AdadeltaDefaults, AdadeltaState> {
  protected override readonly stateSpec: StateSpec = { step: 'count', squareAvg: 'tensor', accDelta: 'tensor' };

  constructor(
    params: Params<AdadeltaDefaults>,
    ...args: OptimizerArgs<AdadeltaOptions, [lr?: number, rho?: number, eps?: number, weightDecay?: number]>
  ) {
    const options = optimizerOptions<AdadeltaOptions>(
      'Adadelta',
      args,
      [
        ['lr', optionKinds.number],
        ['rho', optionKinds.number],
        ['eps', optionKinds.number],
        ['weightDecay', optionKinds.number],
      ],
      [['maximize', optionKinds.bool]],
    );
    super(params, {
      lr: options.lr ?? 1.0,
      rho: options.rho ?? 0.9,
      eps: options.eps ?? 1e-6,
      weightDecay: options.weightDecay ?? 0,
      maximize: options.maximize ?? false,
    });
  }

  protected validate(g: AdadeltaDefaults, where: string): void {
    checkNonNegative('Adadelta', 'learning rate (lr)', g.lr, where);
    checkNonNegative('Adadelta', 'epsilon (eps)', g.eps, where);
    checkNonNegative('Adadelta', 'weightDecay', g.weightDecay, where);
    if (!(g.rho >= 0 && g.rho <= 1)) throw new RangeError(`Adadelta: invalid rho value ${g.rho} in ${where} (must be in [0, 1])`);
  }

  protected updateGroup(group: ParamGroup<AdadeltaDefaults>): void {
    const { lr, rho, eps, weightDecay, maximize } = group;
    for (const p of group.params) {
      if (p.grad === null) continue;
      const state = this.stateOf(p, () => ({ step: 0, squareAvg: zerosLike(p), accDelta: zerosLike(p) }));
      state.step += 1;
      let grad = maximize ? p.grad.neg() : p.grad;
      if (weightDecay !== 0) grad = grad.add(p, weightDecay);
      state.squareAvg.mul_(rho).addcmul_(grad, grad, 1 - rho);
      const std = state.squareAvg.add(eps).sqrt();
      const delta = state.accDelta.add(eps).sqrt().div_(std).mul_(grad);
      state.accDelta.mul_(rho).addcmul_(delta, delta, 1 - rho);
      p.add_(delta, -lr);
    }
  }
}
