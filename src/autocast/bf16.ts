/**
 * bfloat16 arithmetic for autocast without a bf16 dtype: tensors stay float32 and hold
 * bf16-representable values. An eligible op rounds its operands to bf16 (round to nearest even),
 * multiplies and accumulates in float32, and rounds its result to bf16: PyTorch's CPU autocast
 * computes the same (its bf16 kernels accumulate in float32 and return bf16 tensors). A backend
 * with bf16 instructions registers kernels that do this in one call (the native backend, through
 * oneDNN); elsewhere the rounding is done here around the float32 kernels, which gives the same
 * values up to float32 summation order, since a product of two bf16 numbers is exact in float32.
 */
import type { Conv2dParams } from '../backend/backend.js';
import type { Device } from '../backend/device.js';
import { Tensor } from '../tensor/tensor.js';
import { precision } from './state.js';

/** Kernels computing in bf16 on float32 arrays (arguments as the Backend kernels of the same names), results rounded to bf16. */
export interface Bf16Kernels {
  /** The ISA that runs them, for `nabla doctor` and benchmarks. */
  readonly isa: string;
  matmul(
    a: Float32Array,
    aBatchStride: number,
    transA: boolean,
    b: Float32Array,
    bBatchStride: number,
    transB: boolean,
    out: Float32Array,
    batch: number,
    m: number,
    k: number,
    n: number,
    /** false leaves the float32 sums unrounded (linear rounds after adding its bias). */
    roundOut: boolean,
  ): void;
  conv2d(x: Float32Array, weight: Float32Array, bias: Float32Array | null, out: Float32Array, p: Conv2dParams): void;
  conv2dBackwardData(gradOut: Float32Array, weight: Float32Array, gradInput: Float32Array, p: Conv2dParams): void;
  conv2dBackwardWeights(
    x: Float32Array,
    gradOut: Float32Array,
    gradWeight: Float32Array | null,
    gradBias: Float32Array | null,
    p: Conv2dParams,
  ): void;
  /** Both backward passes in one call (the output gradient converted to bf16 once), where the backend has it. */
  conv2dBackward?(
    x: Float32Array,
    gradOut: Float32Array,
    weight: Float32Array,
    gradInput: Float32Array,
    gradWeight: Float32Array,
    gradBias: Float32Array | null,
    p: Conv2dParams,
  ): void;
}

const registered = new Map<string, Bf16Kernels>();

/** @internal Registers (or with null removes) the bf16 kernels of the backend named `backendName`. */
export function registerBf16Kernels(backendName: string, kernels: Bf16Kernels | null): void {
  if (kernels === null) registered.delete(backendName);
  else registered.set(backendName, kernels);
}

/** @internal Whether an eligible op on `dtype` tensors of `dev` runs in bf16 now: float32 on 'cpu' inside autocast. */
export function inBf16(dev: Device, dtype: string): boolean {
  return dtype === 'float32' && precision() === 'bf16' && dev.type === 'cpu';
}

/** @internal The bf16 kernels of the backend serving `dev`, or null: the op then rounds around the float32 kernels. */
export function bf16Kernels(dev: Device): Bf16Kernels | null {
  return registered.get(dev.kernels.name) ?? null;
}

/** Rounds the first `n` elements of `a` to bf16 in place (round to nearest even; NaN stays a quiet NaN). */
export function roundToBf16(a: Float32Array, n: number = a.length): void {
  const u = new Uint32Array(a.buffer, a.byteOffset, n);
  for (let i = 0; i < n; i++) {
    const v = u[i];
    // The carry of the rounding increment runs into the exponent, so the largest finite values
    // round to infinity, as in PyTorch's float → bfloat16 conversion.
    u[i] = (v & 0x7fffffff) > 0x7f800000 ? (v | 0x400000) & 0xffff0000 : (v + 0x7fff + ((v >>> 16) & 1)) & 0xffff0000;
  }
}

/** @internal A fresh contiguous float32 tensor holding `x`'s values rounded to bf16 (x must be contiguous). */
export function bf16Values(x: Tensor): Tensor {
  const out = Tensor._empty(x.shape, x.dtype, x.storage.device);
  const dst = out.storage.buffer as Float32Array;
  const src = x._buffer() as Float32Array;
  dst.set(src.subarray(0, dst.length));
  roundToBf16(dst);
  return out;
}
