import type { Tensor } from '../tensor/tensor.js';
import { type BackwardOptions, runBackward } from './engine.js';

export type { BackwardOptions };

/**
 * Computes gradients of `tensors` (seeded with `grads`, or 1 for scalars) with respect to the
 * graph leaves, accumulating them into `.grad` (like `torch.autograd.backward`).
 */
export function backward(
  tensors: Tensor | readonly Tensor[],
  grads?: Tensor | readonly (Tensor | null)[] | null,
  opts?: BackwardOptions,
): void {
  const ts = Array.isArray(tensors) ? tensors : [tensors as Tensor];
  const gs = grads == null ? [] : Array.isArray(grads) ? grads : [grads as Tensor];
  runBackward(ts, gs, opts);
}
