/**
 * Stochastic gradient descent with optional momentum, dampening, Nesterov momentum, weight decay
 * and maximization: `torch.optim.SGD` (PyTorch 1.13's single-tensor implementation, operation
 * for operation).
 *
 * Momentum is docs/exercises.md exercise 3's "Form II": v_{k+1} = β v_k + (1 − τ) g_k (v_1 = g_0),
 * θ_{k+1} = θ_k − α v_{k+1}. Its velocity is a sum of past gradients; the learning rate is applied
 * when the step is taken. `HeavyBall` is the equivalent "Form I".
 */
import { emptyLike } from '../ops/creation.js';
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

export interface SGDOptions {
  /** Learning rate α (required, here or in every parameter group). */
  lr?: number;
  /** Momentum factor β (default 0: plain SGD). */
  momentum?: number;
  /** Dampening τ for momentum: the gradient enters the velocity scaled by 1 − τ (default 0). */
  dampening?: number;
  /** L2 penalty λ: the gradient becomes g + λθ (default 0). */
  weightDecay?: number;
  /** Nesterov momentum: step along g + β v instead of v (needs momentum > 0, dampening 0). */
  nesterov?: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize?: boolean;
}

export type SGDDefaults = Required<SGDOptions> & { lr: number };

/** Per-parameter state: the velocity, null until the first step with momentum. */
export type SGDState = { momentumBuffer: Tensor | null };

export class SGD extends Optimizer<SGDDefaults, SGDState> {
  protected override readonly stateSpec: StateSpec = { momentumBuffer: 'tensorOrNull' };

  constructor(
    params: Params<SGDDefaults>,
    ...args: OptimizerArgs<SGDOptions, [lr?: number, momentum?: number, dampening?: number, weightDecay?: number, nesterov?: boolean]>
  ) {
    const options = optimizerOptions<SGDOptions>(
      'SGD',
      args,
      [
        ['lr', optionKinds.number],
        ['momentum', optionKinds.number],
        ['dampening', optionKinds.number],
        ['weightDecay', optionKinds.number],
        ['nesterov', optionKinds.bool],
      ],
      [['maximize', optionKinds.bool]],
    );
    super(params, {
      lr: options.lr as number,
      momentum: options.momentum ?? 0,
      dampening: options.dampening ?? 0,
      weightDecay: options.weightDecay ?? 0,
      nesterov: options.nesterov ?? false,
      maximize: options.maximize ?? false,
    });
  }

  protected validate(g: SGDDefaults, where: string): void {
    checkNonNegative('SGD', 'learning rate (lr)', g.lr, where);
    checkNonNegative('SGD', 'momentum', g.momentum, where);
    checkNonNegative('SGD', 'weightDecay', g.weightDecay, where);
    if (g.nesterov && (g.momentum <= 0 || g.dampening !== 0)) {
      throw new RangeError(
        `SGD: Nesterov momentum requires a momentum > 0 and zero dampening (${where} has momentum ${g.momentum}, dampening ${g.dampening})`,
      );
    }
  }

  protected updateGroup(group: ParamGroup<SGDDefaults>): void {
    const { lr, momentum, dampening, weightDecay, nesterov, maximize } = group;
    const ops = new StepOperands('SGD');
    const params: unknown[] = [];
    const grads: unknown[] = [];
    const buffers: unknown[] = [];
    const init: boolean[] = [];
    for (const p of group.params) {
      if (p.grad === null) continue;
      const state = this.stateOf(p, () => ({ momentumBuffer: null }));
      params.push(ops.write(p));
      grads.push(ops.read(p.grad));
      if (momentum !== 0) {
        // The first step's velocity is the (decayed, signed) gradient itself; the kernel writes it.
        init.push(state.momentumBuffer === null);
        state.momentumBuffer ??= emptyLike(p);
        buffers.push(ops.write(state.momentumBuffer));
      }
    }
    if (params.length === 0) return;
    ops.kernels.sgdStep(params, grads, momentum !== 0 ? buffers : null, init, { lr, momentum, dampening, weightDecay, nesterov, maximize });
    ops.done();
  }
}
