import '../../tensor/methods.js';
import { record } from '../../autograd/record.js';
import { gt, mul, where } from '../../ops/binary.js';
import { contiguous, to } from '../../ops/convert.js';
import { traced, tracing } from '../../ops/trace.js';
import { defaultFloatDType, isFloating } from '../../tensor/dtype.js';
import { Tensor } from '../../tensor/tensor.js';

/**
 * max(0, x) + slope·min(0, x) (`torch.nn.functional.leaky_relu`); the gradient is 1 for x > 0
 * and `negativeSlope` elsewhere, as in PyTorch.
 */
export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  if (tracing) return traced('leakyRelu', [x], () => leakyRelu(x, negativeSlope), { negativeSlope });
  const xf = isFloating(x.dtype) ? x : to(x, defaultFloatDType);
  const src = contiguous(xf);
  const out = Tensor._empty(xf.shape, xf.dtype);
  const a = src.storage.data;
  const o = out.storage.data;
  const off = src.offset;
  const slope = xf.dtype === 'float32' ? Math.fround(negativeSlope) : negativeSlope;
  for (let i = 0; i < o.length; i++) {
    const v = a[off + i];
    o[i] = v > 0 ? v : v * slope;
  }
  // The backward is built from recorded ops, so gradients of gradients (createGraph) are exact.
  return record(out, 'LeakyReluBackward0', [xf], (g) => [where(gt(xf, 0), g, mul(g, slope))], [xf]);
}

/**
 * The dim PyTorch picks for softmax/logSoftmax when none is given (`_get_softmax_dim`): 0 for
 * 0-, 1- and 3-d inputs, else 1. PyTorch warns that this implicit choice is deprecated.
 */
export function implicitSoftmaxDim(ndim: number): number {
  return ndim === 0 || ndim === 1 || ndim === 3 ? 0 : 1;
}
