import { noGrad } from '../autograd/grad-mode.js';
import { record } from '../autograd/record.js';
import { stridedOf } from '../backend/backend.js';
import { sameDeviceAll } from '../backend/device.js';
import { resultType } from '../tensor/dtype.js';
import { normalizeDim, shapeStr } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { materialize, to } from './convert.js';
import { traced, tracing } from './trace.js';
import { narrow, select, unsqueeze } from './views.js';

/** Concatenates tensors along `dim` (all other sizes must match; dtypes promote). */
export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tracing) return traced('cat', tensors, () => cat(tensors, dim), { dim });
  if (tensors.length === 0) throw new RangeError('cat: expected a non-empty list of tensors');
  // PyTorch skips legacy empty 1-D tensors when concatenating.
  const skipped = (t: Tensor) => t.ndim === 1 && t.shape[0] === 0;
  const parts = tensors.filter((t) => !skipped(t));
  if (parts.length === 0) return materialize(tensors[0]);
  const ref = parts[0];
  if (ref.ndim === 0) throw new RangeError('cat: zero-dimensional tensor cannot be concatenated');
  const d = normalizeDim('cat', dim, ref.ndim);
  parts.forEach((p, i) => {
    const ok = p.ndim === ref.ndim && p.shape.every((s, k) => k === d || s === ref.shape[k]);
    if (!ok) {
      throw new RangeError(
        `cat: sizes of tensors must match except in dimension ${d}; tensor 0 has shape ${shapeStr(ref.shape)} ` +
          `and tensor ${i} has shape ${shapeStr(p.shape)}`,
      );
    }
  });
  const dtype = resultType(...parts);
  const total = parts.reduce((n, p) => n + p.shape[d], 0);
  const shape = ref.shape.map((s, k) => (k === d ? total : s));
  const dev = sameDeviceAll('cat', parts);
  const out = Tensor._empty(shape, dtype, dev);
  // Each part is copied (converting its dtype) into its slice of the output, read through its own
  // strides: the slice starts `at` along dim d and has the output's strides.
  const dst = stridedOf(out);
  const step = out.strides[d] ?? 0;
  let at = 0;
  for (const p of parts) {
    dev.kernels.copy(stridedOf(p), { ...dst, offset: at * step }, p.shape);
    at += p.shape[d];
  }
  // Skipped empty inputs still get their (empty) gradient; each piece in its input's dtype.
  const pieces = tensors.map((t) => ({ skip: skipped(t), size: skipped(t) ? 0 : t.shape[d], shape: t.shape, dtype: t.dtype }));
  return record(out, 'CatBackward0', tensors, (g) => {
    let start = 0;
    return pieces.map((p) => {
      if (p.skip) return Tensor._empty(p.shape, p.dtype, g._device);
      const piece = to(narrow(g, d, start, p.size), p.dtype);
      start += p.size;
      return piece;
    });
  });
}

/** Stacks equally shaped tensors along a new dim. */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw new RangeError('stack: expected a non-empty list of tensors');
  const ref = tensors[0];
  tensors.forEach((p, i) => {
    if (p.shape.length !== ref.shape.length || p.shape.some((s, k) => s !== ref.shape[k])) {
      throw new RangeError(
        `stack: expects each tensor to be equal size, but got ${shapeStr(ref.shape)} at entry 0 and ${shapeStr(p.shape)} at entry ${i}`,
      );
    }
  });
  const d = normalizeDim('stack', dim, ref.ndim + 1);
  const out = noGrad(() =>
    cat(
      tensors.map((p) => unsqueeze(p, d)),
      d,
    ),
  );
  return record(out, 'StackBackward0', tensors, (g) => tensors.map((p, i) => to(select(g, d, i), p.dtype)));
}

/**
 * Splits into views along `dim`: pieces of `size` elements (the last may be smaller), or pieces
 * with the given list of sizes.
 */
export function split(x: Tensor, size: number | readonly number[], dim = 0): Tensor[] {
  const d = normalizeDim('split', dim, x.ndim);
  const n = x.shape[d];
  let sizes: number[];
  if (typeof size === 'number') {
    if (!Number.isInteger(size) || size <= 0) throw new RangeError(`split: split size must be a positive integer (got ${size})`);
    sizes = [];
    for (let s = 0; s < n; s += size) sizes.push(Math.min(size, n - s));
    if (n === 0) sizes.push(0);
  } else {
    const sum = size.reduce((a, b) => a + b, 0);
    if (sum !== n) throw new RangeError(`split: split sizes ${shapeStr(size)} sum to ${sum}, but dimension ${d} has size ${n}`);
    sizes = [...size];
  }
  let start = 0;
  return sizes.map((len) => {
    const piece = narrow(x, d, start, len);
    start += len;
    return piece;
  });
}

/** Splits into `chunks` views of ceil(size/chunks) elements (fewer when it divides unevenly). */
export function chunk(x: Tensor, chunks: number, dim = 0): Tensor[] {
  if (!Number.isInteger(chunks) || chunks <= 0) throw new RangeError(`chunk: chunks must be a positive integer (got ${chunks})`);
  const d = normalizeDim('chunk', dim, x.ndim);
  return split(x, Math.max(1, Math.ceil(x.shape[d] / chunks)), d);
}

/** All slices along `dim`, each with that dim removed. */
export function unbind(x: Tensor, dim = 0): Tensor[] {
  const d = normalizeDim('unbind', dim, x.ndim);
  return Array.from({ length: x.shape[d] }, (_, i) => select(x, d, i));
}
