import { record } from '../autograd/record.js';
import { contiguous } from '../ops/convert.js';
import type { Tensor } from '../tensor/tensor.js';
import { bf16Values } from './bf16.js';

/**
 * @internal x rounded to bf16 (a float32 tensor), recorded like PyTorch's casts to and from a bf16
 * tensor: the gradient flowing back is rounded to bf16 too, as the gradient of a bf16 tensor is.
 * linear uses it for the bias that PyTorch's autocast adds inside its bf16 kernel.
 */
export function castBf16(x: Tensor): Tensor {
  return record(bf16Values(contiguous(x)), 'ToCopyBackward0', [x], (g: Tensor) => [castBf16(g)]);
}
