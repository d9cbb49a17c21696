/**
 * Where conv2d and matmul pick their arithmetic: the device's float32 kernels, or in an autocast
 * scope its bf16 kernels (a backend that registered them) or the float32 kernels on operands
 * rounded to bf16 with the result rounded after (same values, see bf16.ts).
 */
import type { Conv2dParams } from '../backend/backend.js';
import type { Device } from '../backend/device.js';
import type { Tensor } from '../tensor/tensor.js';
import { bf16Kernels, bf16Values, roundToBf16 } from './bf16.js';

type F32 = Float32Array;
const buf = (t: Tensor) => t._buffer() as F32;
const rounded = (t: Tensor) => bf16Values(t)._buffer() as F32;

/** out = conv2d(x, w) + b, in bf16 (all operands contiguous float32 cpu tensors). */
export function conv2dBf16(dev: Device, x: Tensor, w: Tensor, b: Tensor | null, out: Tensor, p: Conv2dParams): void {
  const k = bf16Kernels(dev);
  const o = out.storage.buffer as F32;
  if (k !== null) {
    k.conv2d(buf(x), buf(w), b === null ? null : buf(b), o, p);
    return;
  }
  dev.kernels.conv2d(rounded(x), rounded(w), b === null ? null : rounded(b), o, p);
  roundToBf16(o);
}

/** gradInput = conv2d's input gradient, in bf16. */
export function conv2dBackwardDataBf16(dev: Device, g: Tensor, w: Tensor, gradInput: Tensor, p: Conv2dParams): void {
  const k = bf16Kernels(dev);
  const o = gradInput.storage.buffer as F32;
  if (k !== null) {
    k.conv2dBackwardData(buf(g), buf(w), o, p);
    return;
  }
  dev.kernels.conv2dBackwardData(rounded(g), rounded(w), o, p);
  roundToBf16(o);
}

/** conv2d's weight and bias gradients, in bf16 (the bias gradient sums bf16 gradients in float32, then rounds). */
export function conv2dBackwardWeightsBf16(dev: Device, x: Tensor, g: Tensor, gw: Tensor | null, gb: Tensor | null, p: Conv2dParams): void {
  const k = bf16Kernels(dev);
  const ow = (gw?.storage.buffer ?? null) as F32 | null;
  const ob = (gb?.storage.buffer ?? null) as F32 | null;
  // The native kernel always writes the weight gradient (as the float32 one); a bias-only call rounds around the float32 kernel.
  if (k !== null && ow !== null) {
    k.conv2dBackwardWeights(buf(x), buf(g), ow, ob, p);
    return;
  }
  dev.kernels.conv2dBackwardWeights(rounded(x), rounded(g), ow, ob, p);
  if (ow !== null) roundToBf16(ow);
  if (ob !== null) roundToBf16(ob);
}

/**
 * Both of conv2d's gradients in bf16 from one call of the backend's fused bf16 kernel; false
 * (nothing written) when the backend has none, and the caller runs the two separately.
 */
export function conv2dBackwardBf16(
  dev: Device,
  x: Tensor,
  g: Tensor,
  w: Tensor,
  gi: Tensor,
  gw: Tensor,
  gb: Tensor | null,
  p: Conv2dParams,
): boolean {
  const k = bf16Kernels(dev);
  if (k?.conv2dBackward === undefined) return false;
  const ob = (gb?.storage.buffer ?? null) as F32 | null;
  k.conv2dBackward(buf(x), buf(g), buf(w), gi.storage.buffer as F32, gw.storage.buffer as F32, ob, p);
  return true;
}

/** One matmul operand as the kernel reads it: data (read in place), batch stride, transposed or not. */
export interface MatmulOperand {
  data: Tensor;
  stride: number;
  trans: boolean;
}

let roundProducts = true;

/**
 * @internal Runs `fn` with bf16 matrix products left unrounded: linear adds its bias to the
 * float32 sums and rounds once, as PyTorch's bf16 linear does (rounding twice moved results by
 * an ulp). Their backward rounds as usual.
 */
export function unroundedProducts<T>(fn: () => T): T {
  const prev = roundProducts;
  roundProducts = false;
  try {
    return fn();
  } finally {
    roundProducts = prev;
  }
}

/** out = op(A)·op(B), batched, in bf16. */
export function matmulBf16(
  dev: Device,
  A: MatmulOperand,
  B: MatmulOperand,
  out: Tensor,
  batch: number,
  m: number,
  k: number,
  n: number,
): void {
  const kernels = bf16Kernels(dev);
  const o = out.storage.buffer as F32;
  if (kernels !== null) {
    kernels.matmul(buf(A.data), A.stride, A.trans, buf(B.data), B.stride, B.trans, o, batch, m, k, n, roundProducts);
    return;
  }
  // The operands are read in place from their buffers' start: round exactly the elements read.
  const a = roundedSpan(A.data);
  const b = roundedSpan(B.data);
  dev.kernels.matmul(a, A.stride, A.trans, b, B.stride, B.trans, o, batch, m, k, n);
  if (roundProducts) roundToBf16(o);
}

/** A rounded copy of the elements of `t`'s buffer that `t` spans (it is contiguous, or a contiguous transpose). */
function roundedSpan(t: Tensor): F32 {
  const src = buf(t);
  const copy = Float32Array.from(src.subarray(0, t.numel));
  roundToBf16(copy);
  return copy;
}
