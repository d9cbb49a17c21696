/**
 * RMSprop (Hinton's lecture 6e; centered variant from Graves 2013), with optional momentum, L2
 * weight decay and maximization: `torch.optim.RMSprop` (PyTorch 1.13's single-tensor
 * implementation). ε is added to the square root of the average, not inside it.
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

export interface RMSpropOptions {
  /** Learning rate α (default 1e-2). */
  lr?: number;
  /** Smoothing constant of the squared-gradient average (default 0.99). */
  alpha?: number;
  /** Added to the denominator for numerical stability (default 1e-8). */
  eps?: number;
  /** L2 penalty λ added to the gradient (default 0). */
  weightDecay?: number;
  /** Momentum factor (default 0). */
  momentum?: number;
  /** Normalize by an estimate of the gradient's variance instead of its second moment (default false). */
  centered?: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize?: boolean;
}

export type RMSpropDefaults = Required<RMSpropOptions>;

export type RMSpropState = { step: number; squareAvg: Tensor; momentumBuffer?: Tensor; gradAvg?: Tensor };

export class RMSprop extends Optimizer<RMSpropDefaults, RMSpropState> {
  protected override readonly stateSpec: StateSpec = { step: 'count', squareAvg: 'tensor', momentumBuffer: 'tensor?', gradAvg: 'tensor?' };

  constructor(
    params: Params<RMSpropDefaults>,
    ...args: OptimizerArgs<
      RMSpropOptions,
      [lr?: number, alpha?: number, eps?: number, weightDecay?: number, momentum?: number, centered?: boolean]
    >
  ) {
    const options = optimizerOptions<RMSpropOptions>(
      'RMSprop',
      args,
      [
        ['lr', optionKinds.number],
        ['alpha', optionKinds.number],
        ['eps', optionKinds.number],
        ['weightDecay', optionKinds.number],
        ['momentum', optionKinds.number],
        ['centered', optionKinds.bool],
      ],
      [['maximize', optionKinds.bool]],
    );
    super(params, {
      lr: options.lr ?? 1e-2,
      alpha: options.alpha ?? 0.99,
      eps: options.eps ?? 1e-8,
      weightDecay: options.weightDecay ?? 0,
      momentum: options.momentum ?? 0,
      centered: options.centered ?? false,
      maximize: options.maximize ?? false,
    });
  }

  protected validate(g: RMSpropDefaults, where: string): void {
    checkNonNegative('RMSprop', 'learning rate (lr)', g.lr, where);
    checkNonNegative('RMSprop', 'epsilon (eps)', g.eps, where);
    checkNonNegative('RMSprop', 'momentum', g.momentum, where);
    checkNonNegative('RMSprop', 'weightDecay', g.weightDecay, where);
    checkNonNegative('RMSprop', 'alpha', g.alpha, where);
  }

  protected updateGroup(group: ParamGroup<RMSpropDefaults>): void {
    const { lr, alpha, eps, weightDecay, momentum, centered, maximize } = group;
    for (const p of group.params) {
      if (p.grad === null) continue;
      const state = this.stateOf(p, () => {
        const s: RMSpropState = { step: 0, squareAvg: zerosLike(p) };
        if (momentum > 0) s.momentumBuffer = zerosLike(p);
        if (centered) s.gradAvg = zerosLike(p);
        return s;
      });
      state.step += 1;
      let grad = maximize ? p.grad.neg() : p.grad;
      if (weightDecay !== 0) grad = grad.add(p, weightDecay);
      state.squareAvg.mul_(alpha).addcmul_(grad, grad, 1 - alpha);
      let avg: Tensor;
      if (centered) {
        state.gradAvg ??= zerosLike(p);
        const gradAvg = state.gradAvg;
        gradAvg.mul_(alpha).add_(grad, 1 - alpha);
        avg = state.squareAvg.addcmul(gradAvg, gradAvg, -1).sqrt();
      } else {
        avg = state.squareAvg.sqrt();
      }
      avg = avg.add_(eps);
      if (momentum > 0) {
        state.momentumBuffer ??= zerosLike(p);
        const buf = state.momentumBuffer;
        buf.mul_(momentum).addcdiv_(grad, avg);
        p.add_(buf, -lr);
      } else {
        p.addcdiv_(grad, avg, -lr);
      }
    }
  }
}
