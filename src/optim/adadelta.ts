/**
 * Adadelta (Zeiler 2012): step sizes from running averages of squared gradients and squared
 * updates, `torch.optim.Adadelta` (PyTorch 1.13's single-tensor implementation).
 */
import { zerosLike } from '../ops/creation.js';
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
    const ops = new StepOperands('Adadelta');
    const params: unknown[] = [];
    const grads: unknown[] = [];
    const squareAvgs: unknown[] = [];
    const accDeltas: unknown[] = [];
    for (const p of group.params) {
      if (p.grad === null) continue;
      const state = this.stateOf(p, () => ({ step: 0, squareAvg: zerosLike(p), accDelta: zerosLike(p) }));
      state.step += 1;
      params.push(ops.write(p));
      grads.push(ops.read(p.grad));
      squareAvgs.push(ops.write(state.squareAvg));
      accDeltas.push(ops.write(state.accDelta));
    }
    if (params.length === 0) return;
    ops.kernels.adadeltaStep(params, grads, squareAvgs, accDeltas, { lr, rho, eps, weightDecay, maximize });
    ops.done();
  }
}
