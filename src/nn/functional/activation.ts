import '../../tensor/methods.js';
import { noGrad } from '../../autograd/grad-mode.js';
import { record } from '../../autograd/record.js';
import { gt, mul, where } from '../../ops/binary.js';
import { to } from '../../ops/convert.js';
import { defineOp } from '../../ops/define.js';
import { defaultFloatDType, isFloating } from '../../tensor/dtype.js';
import type { Tensor } from '../../tensor/tensor.js';

const leakyReluReport = { attrs: (...a: unknown[]) => ({ negativeSlope: a[1] ?? 0.01 }) };

/**
 * max(0, x) + slope·min(0, x) (`torch.nn.functional.leaky_relu`); the gradient is 1 for x > 0
 * and `negativeSlope` elsewhere, as in PyTorch.
 */
export const leakyRelu = defineOp('leakyRelu', leakyReluReport, (x: Tensor, negativeSlope: number = 0.01): Tensor => {
  const xf = isFloating(x.dtype) ? x : to(x, defaultFloatDType);
  const slope = xf.dtype === 'float32' ? Math.fround(negativeSlope) : negativeSlope;
  // x > 0 ? x : x·slope, composed of kernels (NaN and −0 take the x·slope branch, as in PyTorch).
  const out = noGrad(() => where(gt(xf, 0), xf, mul(xf, slope)));
  return record(out, 'LeakyReluBackward0', [xf], { xf, slope }, [xf]);
});

/**
 * The dim PyTorch picks for softmax/logSoftmax when none is given (`_get_softmax_dim`): 0 for
 * 0-, 1- and 3-d inputs, else 1. PyTorch warns that this implicit choice is deprecated.
 */
export function implicitSoftmaxDim(ndim: number): number {
  return ndim === 0 || ndim === 1 || ndim === 3 ? 0 : 1;
}
