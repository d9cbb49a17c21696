import { record } from '../autograd/record.js';
import type { UnaryOp } from '../backend/backend.js';
import { defaultFloatDType, isFloating } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { mul } from './binary.js';
import { contiguous, to } from './convert.js';
import { traced, tracing } from './trace.js';

export { erf } from '../backend/js/gelu.js';

/** GELU's two forms: the exact x·Φ(x) (`'none'`) or the tanh approximation (`'tanh'`). */
export type GeluApproximate = 'none' | 'tanh';

/** GELU or its derivative, elementwise by the backend's unary kernel (not recorded). */
function unary(x: Tensor, op: UnaryOp): Tensor {
  const src = contiguous(x);
  const out = Tensor._empty(x.shape, x.dtype, src._device);
  src._device.kernels.unary(op, src.storage.buffer, src.offset, out.storage.buffer, x.numel);
  return out;
}

/**
 * Gaussian error linear unit, `x·Φ(x)` with Φ the standard normal CDF (`approximate: 'none'`),
 * or `0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))` (`'tanh'`), like `torch.nn.functional.gelu`.
 * Computed in double precision and rounded to the input's dtype.
 */
export function gelu(x: Tensor, approximate: GeluApproximate = 'none'): Tensor {
  if (tracing) return traced('gelu', [x], () => gelu(x, approximate), { approximate });
  if (approximate !== 'none' && approximate !== 'tanh') {
    throw new RangeError(`gelu: approximate must be 'none' or 'tanh' (got '${approximate}')`);
  }
  const tanhForm = approximate === 'tanh';
  const xf = isFloating(x.dtype) ? x : to(x, defaultFloatDType);
  const out = unary(xf, tanhForm ? 'geluTanh' : 'gelu');
  return record(out, 'GeluBackward0', [xf], (g) => [mul(g, unary(xf, tanhForm ? 'geluTanhGrad' : 'geluGrad'))], [xf]);
}
