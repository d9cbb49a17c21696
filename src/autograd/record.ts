import type { Tensor } from '../tensor/tensor.js';
import { type BackwardFn, GradFn } from './grad-fn.js';
import { isGradEnabled } from './grad-mode.js';

/** Whether an op applied to `inputs` now must record a graph node. */
export function needsGrad(inputs: readonly (Tensor | null)[]): boolean {
  if (!isGradEnabled()) return false;
  for (const t of inputs) if (t?.requiresGrad) return true;
  return false;
}

/**
 * Records `out` as the result of op `name` on `inputs`: when any input requires grad and grad
 * mode is on, gives `out` a grad_fn whose formula maps out's gradient to one gradient per input.
 * `saved` lists tensors the formula reads, checked against in-place modification at backward.
 */
export function record(
  out: Tensor,
  name: string,
  inputs: readonly (Tensor | null)[],
  backward: BackwardFn,
  saved: readonly Tensor[] = [],
): Tensor {
  if (!needsGrad(inputs)) return out;
  out.gradFn = new GradFn(
    name,
    inputs.map((t) => t?._gradEdge() ?? null),
    backward,
    saved,
  );
  return out;
}
