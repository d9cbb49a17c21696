/**
 * Adagrad (Duchi et al. 2011) with learning-rate decay, an initial accumulator value, L2 weight
 * decay and maximization: `torch.optim.Adagrad` (PyTorch 1.13's single-tensor implementation,
 * dense gradients). The step size at step t is α / (1 + (t − 1)·lrDecay).
 */
import { fullLike } from '../ops/creation.js';
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

export interface AdagradOptions {
  /** Learning rate α (default 1e-2). */
  lr?: number;
  /** Learning-rate decay (default 0). */
  lrDecay?: number;
  /** L2 penalty λ added to the gradient (default 0). */
  weightDecay?: number;
  /** Starting value of the sum of squared gradients (default 0). */
  initialAccumulatorValue?: number;
  /** Added to the denominator for numerical stability (default 1e-10). */
  eps?: number;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize?: boolean;
}

export type AdagradDefaults = Required<AdagradOptions>;

export type AdagradState = { step: number; sum: Tensor };

export class Adagrad extends Optimizer<AdagradDefaults, AdagradState> {
  protected override readonly stateSpec: StateSpec = { step: 'count', sum: 'tensor' };

  constructor(
    params: Params<AdagradDefaults>,
    ...args: OptimizerArgs<
      AdagradOptions,
      [lr?: number, lrDecay?: number, weightDecay?: number, initialAccumulatorValue?: number, eps?: number]
    >
  ) {
    const options = optimizerOptions<AdagradOptions>(
      'Adagrad',
      args,
      [
        ['lr', optionKinds.number],
        ['lrDecay', optionKinds.number],
        ['weightDecay', optionKinds.number],
        ['initialAccumulatorValue', optionKinds.number],
        ['eps', optionKinds.number],
      ],
      [['maximize', optionKinds.bool]],
    );
    super(params, {
      lr: options.lr ?? 1e-2,
      lrDecay: options.lrDecay ?? 0,
      weightDecay: options.weightDecay ?? 0,
      initialAccumulatorValue: options.initialAccumulatorValue ?? 0,
      eps: options.eps ?? 1e-10,
      maximize: options.maximize ?? false,
    });
    // Like PyTorch, the state exists from the start (so stateDict() has it before any step).
    for (const g of this.paramGroups) for (const p of g.params) this.initState(p, g.initialAccumulatorValue);
  }

  private initState(p: Tensor, initialAccumulatorValue: number): AdagradState {
    return this.stateOf(p, () => ({ step: 0, sum: fullLike(p, initialAccumulatorValue) }));
  }

  protected validate(g: AdagradDefaults, where: string): void {
    checkNonNegative('Adagrad', 'learning rate (lr)', g.lr, where);
    checkNonNegative('Adagrad', 'lrDecay', g.lrDecay, where);
    checkNonNegative('Adagrad', 'weightDecay', g.weightDecay, where);
    checkNonNegative('Adagrad', 'initialAccumulatorValue', g.initialAccumulatorValue, where);
    checkNonNegative('Adagrad', 'epsilon (eps)', g.eps, where);
  }

  protected updateGroup(group: ParamGroup<AdagradDefaults>): void {
    const { lr, lrDecay, weightDecay, eps, maximize } = group;
    for (const p of group.params) {
      if (p.grad === null) continue;
      const state = this.initState(p, group.initialAccumulatorValue);
      state.step += 1;
      const step = state.step;
      let grad = maximize ? p.grad.neg() : p.grad;
      if (weightDecay !== 0) grad = grad.add(p, weightDecay);
      const clr = lr / (1 + (step - 1) * lrDecay);
      state.sum.addcmul_(grad, grad, 1);
      const std = state.sum.sqrt().add_(eps);
      p.addcdiv_(grad, std, -clr);
    }
  }
}
