import type { Strided } from '../backend/backend.js';
import { cpuDevice, type Device } from '../backend/device.js';
import { type DType, isFloating, resultType } from '../tensor/dtype.js';
import { sameShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { to } from './convert.js';
import { scalarTensor } from './creation.js';

/** A tensor or a JS number/boolean standing in for a 0-d tensor (PyTorch's wrapped scalars). */
export type Operand = Tensor | number | boolean;

/** The dtype PyTorch computes `x op y` in. */
export function commonDType(x: Operand, y: Operand): DType {
  // The usual cases without result_type's general walk: two tensors of one dtype, or a floating
  // tensor with a number (a Python scalar never lifts a floating tensor's dtype).
  if (typeof x === 'object') {
    if (typeof y === 'object' ? x.dtype === y.dtype : typeof y === 'number' && isFloating(x.dtype)) return x.dtype;
  } else if (typeof y === 'object' && typeof x === 'number' && isFloating(y.dtype)) {
    return y.dtype;
  }
  return resultType(x, y);
}

/**
 * `x` as a tensor of `dtype`. Scalars become 0-d tensors (so float32 math sees the scalar rounded
 * to float32, as PyTorch casts wrapped scalars); tensors are converted differentiably.
 */
export function asTensor(x: Operand, dtype: DType, device?: Device): Tensor {
  if (typeof x === 'number' || typeof x === 'boolean') return wrappedScalar(Number(x), dtype, device ?? cpuDevice);
  return to(x, dtype);
}

/** Wrapped scalars kept per dtype (cpu only), at most SCALARS_KEPT each. */
const scalars = new Map<DType, Map<number, Tensor>>();
const SCALARS_KEPT = 64;

/**
 * The 0-d tensor of a wrapped scalar. The same few values recur on every step (a loss's 0.5, the
 * 1 of σ's backward, an optimizer's constants), so on 'cpu' each (value, dtype) is made once and
 * shared: ops only read their operands and never hand these tensors out, so sharing is safe.
 * −0 and NaN are not kept (the Map would merge −0 with 0, and NaN payloads).
 */
function wrappedScalar(value: number, dtype: DType, device: Device): Tensor {
  if (device !== cpuDevice || value === 0 || Number.isNaN(value)) {
    return scalarTensor(value, dtype, device);
  }
  let kept = scalars.get(dtype);
  if (kept === undefined) {
    kept = new Map();
    scalars.set(dtype, kept);
  }
  let t = kept.get(value);
  if (t === undefined) {
    t = scalarTensor(value, dtype, device);
    if (kept.size < SCALARS_KEPT) kept.set(value, t);
  }
  return t;
}

/** `x` seen through broadcasting to `shape`: leading dims and size-1 dims get stride 0. */
export function broadcastStrided(x: Tensor, shape: readonly number[]): Strided<unknown> {
  // Already of that shape (most elementwise operands): its own strides, no new array.
  if (x.shape === shape || sameShape(x.shape, shape)) return { buf: x.storage.buffer, offset: x.offset, strides: x.strides };
  const lead = shape.length - x.ndim;
  const strides = shape.map((s, i) => (i < lead || x.shape[i - lead] !== s ? 0 : x.strides[i - lead]));
  return { buf: x.storage.buffer, offset: x.offset, strides };
}
