/**
 * Heavy-ball momentum, docs/exercises.md exercise 3's "Form I" (Polyak 1964):
 *
 *   θ_{k+1} = θ_k − α_k g_k + β (θ_k − θ_{k−1}),   θ_{−1} = θ_0,
 *
 * where g_k is the gradient at θ_k (plus λθ_k with weight decay, negated with `maximize`). The
 * state is the previous iterate θ_{k−1}, not a velocity.
 *
 * For a constant α it produces the same iterates as `SGD` with momentum β (Form II,
 * v_{k+1} = g_k + β v_k, θ_{k+1} = θ_k − α v_{k+1}): there θ_k − θ_{k−1} = −α v_k, so
 * Form II's step −α v_{k+1} = −α g_k − β α v_k = −α g_k + β (θ_k − θ_{k−1}). When α changes the
 * two part ways: Form I applies the *current* α only to the new gradient and carries the past
 * step over as it was taken (−β α_{k−1} v_k), while Form II multiplies the whole velocity, past
 * gradients included, by the current α (−β α_k v_k). See examples/03-momentum-forms.ts.
 */
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

export interface HeavyBallOptions {
  /** Learning rate α (required, here or in every parameter group). */
  lr?: number;
  /** Momentum factor β (default 0: plain gradient descent). */
  momentum?: number;
  /** L2 penalty λ: the gradient becomes g + λθ (default 0). */
  weightDecay?: number;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize?: boolean;
}

export type HeavyBallDefaults = Required<HeavyBallOptions> & { lr: number };

/** Per-parameter state: θ_{k−1}, the iterate before the last step (null while momentum is 0). */
export type HeavyBallState = { previous: Tensor | null };

export class HeavyBall extends Optimizer<HeavyBallDefaults, HeavyBallState> {
  protected override readonly stateSpec: StateSpec = { previous: 'tensorOrNull' };

  constructor(
    params: Params<HeavyBallDefaults>,
    ...args: OptimizerArgs<HeavyBallOptions, [lr?: number, momentum?: number, weightDecay?: number]>
  ) {
    const options = optimizerOptions<HeavyBallOptions>(
      'HeavyBall',
      args,
      [
        ['lr', optionKinds.number],
        ['momentum', optionKinds.number],
        ['weightDecay', optionKinds.number],
      ],
      [['maximize', optionKinds.bool]],
    );
    super(params, {
      lr: options.lr as number,
      momentum: options.momentum ?? 0,
      weightDecay: options.weightDecay ?? 0,
      maximize: options.maximize ?? false,
    });
  }

  protected validate(g: HeavyBallDefaults, where: string): void {
    checkNonNegative('HeavyBall', 'learning rate (lr)', g.lr, where);
    checkNonNegative('HeavyBall', 'momentum', g.momentum, where);
    checkNonNegative('HeavyBall', 'weightDecay', g.weightDecay, where);
  }

  protected updateGroup(group: ParamGroup<HeavyBallDefaults>): void {
    const { lr, momentum, weightDecay, maximize } = group;
    for (const p of group.params) {
      if (p.grad === null) continue;
      const state = this.stateOf(p, () => ({ previous: null }));
      let g = maximize ? p.grad.neg() : p.grad;
      if (weightDecay !== 0) g = g.add(p, weightDecay);
      if (momentum !== 0) {
        // θ_{−1} = θ_0: the first step (or the first with momentum) has no past step to repeat.
        const previous = state.previous ?? p.clone();
        state.previous = previous;
        const delta = p.sub(previous); // θ_k − θ_{k−1}
        previous.copy_(p);
        p.add_(g, -lr).add_(delta, momentum); // (θ_k − α g_k) + β (θ_k − θ_{k−1})
      } else {
        state.previous = null;
        p.add_(g, -lr);
      }
    }
  }
}
