import type { Tensor } from '../tensor/tensor.js';
import type { RuleContext, RuleName } from './derivatives/index.js';
import { type BackwardFn, GradFn } from './grad-fn.js';
import { isGradEnabled } from './grad-mode.js';

/** Whether an op applied to `inputs` now must record a graph node. */
export function needsGrad(inputs: readonly (Tensor | null)[]): boolean {
  if (!isGradEnabled()) return false;
  for (const t of inputs) if (t?.requiresGrad) return true;
  return false;
}

/**
 * {@link needsGrad} for one or two inputs, without an array: hot ops ask this before building
 * `record`'s arguments, so a call that records nothing (inference, backward passes, optimizer
 * updates) allocates no input list or context.
 */
export function wantsGrad(a: Tensor, b?: Tensor | null): boolean {
  return isGradEnabled() && (a.requiresGrad || b?.requiresGrad === true);
}

/**
 * Records `out` as the result of op `rule` on `inputs`: when any input requires grad and grad
 * mode is on, gives `out` a grad_fn whose formula maps out's gradient to one gradient per input.
 * The formula is the rule of that name in autograd/derivatives, which receives `ctx` (the values
 * it reads, typed by the rule); `saved` lists the tensors it reads, checked against in-place
 * modification at backward. A closure in place of `ctx` is a formula of its own (hooks).
 */
export function record<K extends RuleName>(
  out: Tensor,
  rule: K,
  inputs: readonly (Tensor | null)[],
  ctx: RuleContext<K>,
  saved?: readonly Tensor[],
): Tensor;
export function record(
  out: Tensor,
  name: string,
  inputs: readonly (Tensor | null)[],
  backward: BackwardFn,
  saved?: readonly Tensor[],
): Tensor;
export function record(
  out: Tensor,
  name: string,
  inputs: readonly (Tensor | null)[],
  backward: unknown,
  saved?: readonly Tensor[],
): Tensor {
  if (!needsGrad(inputs)) return out;
  const next = new Array<GradFn | null>(inputs.length);
  for (let i = 0; i < inputs.length; i++) next[i] = inputs[i]?._gradEdge() ?? null;
  out.gradFn = new GradFn(name, next, typeof backward === 'function' ? (backward as BackwardFn) : { ctx: backward }, saved);
  return out;
}
