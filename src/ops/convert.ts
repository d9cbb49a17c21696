import { record } from '../autograd/record.js';
import { stridedOf } from '../backend/backend.js';
import { type Device, type DeviceLike, getDevice } from '../backend/device.js';
import { checkDType, type DType } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { traced, tracing } from './trace.js';

/** A contiguous copy of `x`'s values in `dtype`, without autograd. */
export function materialize(x: Tensor, dtype: DType = x.dtype): Tensor {
  const device = x._device;
  const out = Tensor._empty(x.shape, dtype, device);
  device.kernels.copy(stridedOf(x), stridedOf(out), x.shape);
  return out;
}

/**
 * A contiguous copy of `x` on `device`, without autograd: through the host (the source read
 * synchronously, the target uploaded). Throws naming the async reader when the source device
 * cannot be read synchronously.
 */
export function transfer(x: Tensor, device: Device, fn = 'to'): Tensor {
  const from = x._device;
  if (from.memory.readSync === undefined) {
    throw new Error(
      `${fn}: a tensor on the '${from.type}' device cannot be copied to '${device.type}' synchronously; ` +
        `read it with await x.dataAsync() and create the tensor from the values`,
    );
  }
  return Tensor._fromData(x.data, x.shape, x.dtype, device);
}

/**
 * `x` on `device` (itself when already there), like `x.to(device)`: a copy whose gradient flows
 * back to `x`'s device.
 */
export function toDevice(x: Tensor, device: DeviceLike, fn = 'to'): Tensor {
  const d = getDevice(device, fn);
  if (x._device === d) return x;
  if (tracing) return traced('to', [x], () => toDevice(x, d, fn), { device: d.type });
  const from = x._device;
  return record(transfer(x, d, fn), 'ToCopyBackward0', [x], (g) => [toDevice(g, from, fn)]);
}

/** Converts to `dtype` (returns `x` itself when it already has it), like `x.to(dtype)`. */
export function to(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return x;
  checkDType('to', dtype);
  if (tracing) return traced('to', [x], () => to(x, dtype), { dtype });
  const srcDtype = x.dtype;
  return record(materialize(x, dtype), 'ToCopyBackward0', [x], (g) => [to(g, srcDtype)]);
}

/** A copy with its own storage; gradients flow back to `x`. */
export function clone(x: Tensor): Tensor {
  if (tracing) return traced('clone', [x], () => clone(x));
  return record(materialize(x), 'CloneBackward0', [x], (g) => [g]);
}

/** `x` itself when contiguous, otherwise a contiguous copy. */
export function contiguous(x: Tensor): Tensor {
  return x.isContiguous() ? x : clone(x);
}

/**
 * A tensor sharing `x`'s storage (and version counter) but cut from the graph (PyTorch's
 * `detach()`). It may be modified in place even when `x` requires grad; a backward that needs the
 * old values then fails the version check.
 */
export function detach(x: Tensor): Tensor {
  if (tracing) return traced('detach', [x], () => detach(x));
  return new Tensor(x.storage, x.shape, x.strides, x.offset, x.dtype);
}

const DTYPES: readonly string[] = ['float32', 'float64', 'int32', 'bool'];
// Names that mean a dtype (PyTorch's spellings nabla lacks): to('float16') is a dtype error, not an unknown device.
export const DTYPE_LIKE = /^(u?int\d+|float\d+|bfloat16|complex\d+|half|double|float|long|int|short|byte|char|cfloat|cdouble)$/;

/** The forms `x.to(…)` accepts, as PyTorch's `Tensor.to`. */
export type ToArgs =
  | [dtype: DType]
  | [device: DeviceLike, dtype?: DType]
  | [opts: { device?: DeviceLike; dtype?: DType }]
  | [other: Tensor];

const TO_USAGE = 'x.to(dtype), x.to(device), x.to(device, dtype), x.to({ device, dtype }) or x.to(other)';

/**
 * `x.to(…)` in PyTorch's forms: a dtype ('float64'), a device ('cpu', 'webgpu'), both
 * (`to('webgpu', 'float64')`, `to({ device, dtype })`), or another tensor's dtype and device.
 * Returns `x` itself when nothing changes; gradients flow through both conversions.
 */
export function convertTo(x: Tensor, args: readonly unknown[]): Tensor {
  let device: DeviceLike | undefined;
  let dtype: DType | undefined;
  const [a, b] = args;
  if (args.length === 0 || args.length > 2)
    throw new TypeError(`to: expected 1 or 2 arguments (got ${args.length}); accepted forms: ${TO_USAGE}`);
  if (a instanceof Tensor) {
    if (args.length > 1) throw new TypeError(`to: x.to(other) takes no second argument; accepted forms: ${TO_USAGE}`);
    device = a._device;
    dtype = a.dtype;
  } else if (typeof a === 'string' && (DTYPES.includes(a) || DTYPE_LIKE.test(a))) {
    checkDType('to', a);
    if (args.length > 1) throw new TypeError(`to: a dtype comes after the device, as x.to(device, dtype); accepted forms: ${TO_USAGE}`);
    dtype = a as DType;
  } else if (typeof a === 'string' || (typeof a === 'object' && a !== null && 'memory' in a && 'kernels' in a)) {
    device = a as DeviceLike;
    if (b !== undefined) {
      checkDType('to', b);
      dtype = b;
    }
  } else if (typeof a === 'object' && a !== null && !Array.isArray(a)) {
    if (args.length > 1) throw new TypeError(`to: an options object takes no second argument; accepted forms: ${TO_USAGE}`);
    for (const k of Object.keys(a)) {
      if (k !== 'device' && k !== 'dtype')
        throw new TypeError(`to: unknown option '${k}' (expected device and dtype); accepted forms: ${TO_USAGE}`);
    }
    const o = a as { device?: DeviceLike; dtype?: DType };
    device = o.device;
    if (o.dtype !== undefined) {
      checkDType('to', o.dtype);
      dtype = o.dtype;
    }
  } else {
    throw new TypeError(
      `to: expected a dtype, a device, an options object or a tensor (got ${a === null ? 'null' : typeof a}); accepted forms: ${TO_USAGE}`,
    );
  }
  let out = x;
  if (device !== undefined) out = toDevice(out, device);
  if (dtype !== undefined) out = to(out, dtype);
  return out;
}
