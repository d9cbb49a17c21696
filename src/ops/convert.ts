import { record } from '../autograd/record.js';
import { stridedOf } from '../backend/backend.js';
import { backend } from '../backend/registry.js';
import { checkDType, type DType } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { defineOp } from './define.js';
import { traceOp, tracing } from './trace.js';

/** A contiguous copy of `x`'s values in `dtype`, without autograd. */
export function materialize(x: Tensor, dtype: DType = x.dtype): Tensor {
  const out = Tensor._empty(x.shape, dtype);
  backend().copy(stridedOf(x), stridedOf(out), x.shape);
  return out;
}

/** Converts to `dtype` (returns `x` itself when it already has it), like `x.to(dtype)`. */
export function to(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return x;
  checkDType('to', dtype);
  if (tracing) return traceOp('to', [x], () => to(x, dtype), { dtype });
  const srcDtype = x.dtype;
  return record(materialize(x, dtype), 'ToCopyBackward0', [x], { srcDtype });
}

/** A copy with its own storage; gradients flow back to `x`. */
export const clone = defineOp('clone', {}, (x: Tensor): Tensor => {
  return record(materialize(x), 'CloneBackward0', [x], null);
});

/** `x` itself when contiguous, otherwise a contiguous copy. */
export function contiguous(x: Tensor): Tensor {
  return x.isContiguous() ? x : clone(x);
}

/**
 * A tensor sharing `x`'s storage (and version counter) but cut from the graph (PyTorch's
 * `detach()`). It may be modified in place even when `x` requires grad; a backward that needs the
 * old values then fails the version check.
 */
export const detach = defineOp('detach', {}, (x: Tensor): Tensor => {
  return new Tensor(x.storage, x.shape, x.strides, x.offset, x.dtype);
});
