import type { Strided } from '../backend/backend.js';
import type { Device } from '../backend/device.js';
import { type DType, resultType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { to } from './convert.js';
import { scalarTensor } from './creation.js';

/** A tensor or a JS number/boolean standing in for a 0-d tensor (PyTorch's wrapped scalars). */
export type Operand = Tensor | number | boolean;

/** The dtype PyTorch computes `ops` in. */
export function commonDType(...ops: Operand[]): DType {
  return resultType(...ops);
}

/**
 * `x` as a tensor of `dtype`. Scalars become 0-d tensors (so float32 math sees the scalar rounded
 * to float32, as PyTorch casts wrapped scalars); tensors are converted differentiably.
 */
export function asTensor(x: Operand, dtype: DType, device?: Device): Tensor {
  if (typeof x === 'number' || typeof x === 'boolean') return scalarTensor(Number(x), dtype, device);
  return to(x, dtype);
}

/** `x` seen through broadcasting to `shape`: leading dims and size-1 dims get stride 0. */
export function broadcastStrided(x: Tensor, shape: readonly number[]): Strided<unknown> {
  const lead = shape.length - x.ndim;
  const strides = shape.map((s, i) => (i < lead || x.shape[i - lead] !== s ? 0 : x.strides[i - lead]));
  return { buf: x.storage.buffer, offset: x.offset, strides };
}
