import { noGrad } from '../autograd/grad-mode.js';
import { record } from '../autograd/record.js';
import { stridedOf } from '../backend/backend.js';
import { sameDevice } from '../backend/device.js';
import { normalizeDim, numelOf, shapeStr } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { add, lt, mul, where } from './binary.js';
import { contiguous, detach, materialize } from './convert.js';
import { traced, tracing } from './trace.js';
import { expand, narrow, padAlong, reshape as reshapeOf } from './views.js';

function checkIndex(op: string, index: Tensor): void {
  if (index.dtype !== 'int32') {
    throw new TypeError(
      `${op}: index must be an int32 tensor (got ${index.dtype}). Numbers make float32 tensors in nabla; ` +
        "create indices with tensor([...], { dtype: 'int32' }) or an Int32Array, or convert with .int()",
    );
  }
}

/**
 * Validates index values against `size` (read through the device's read API: an out-of-range
 * index must be an error, never an out-of-bounds access) and returns the contiguous index
 * tensor whose buffer the kernels take.
 */
function indexValues(op: string, index: Tensor, size: number, dim: number): Tensor {
  const c = index.isContiguous() ? index : materialize(index);
  // A device without synchronous reads cannot be checked inside a synchronous op (as CUDA's
  // asserts, its kernels must guard their own reads).
  if (c._device.memory.readSync === undefined) return c;
  const idx = c.data;
  for (let i = 0; i < idx.length; i++) {
    const v = idx[i];
    // PyTorch rejects negative indices here too (gather, scatter_add, index_select).
    if (v < 0 || v >= size) throw new RangeError(`${op}: index ${v} is out of bounds for dimension ${dim} with size ${size}`);
  }
  return c;
}

/** The size along `d` that index values address (a 0-d tensor acts as one element). */
const sizeAlong = (x: Tensor, d: number): number => (x.ndim === 0 ? 1 : x.shape[d]);

/** Narrows `x` in every dim but `dim` to `shape`, so it lines up with an index tensor. */
function alignTo(op: string, x: Tensor, shape: readonly number[], dim: number, what: string): Tensor {
  if (shape.length !== x.ndim) {
    throw new RangeError(`${op}: index ${shapeStr(shape)} must have as many dims as ${what} ${shapeStr(x.shape)}`);
  }
  let out = x;
  for (let d = 0; d < x.ndim; d++) {
    if (d === dim || shape[d] === x.shape[d]) continue;
    if (shape[d] > x.shape[d]) {
      throw new RangeError(`${op}: index ${shapeStr(shape)} is larger than ${what} ${shapeStr(x.shape)} at dimension ${d}`);
    }
    out = narrow(out, d, 0, shape[d]);
  }
  return out;
}

/** out[i][j][k] = x[i][index[i][j][k]][k] for dim 1 (and likewise for other dims). */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  if (tracing) return traced('gather', [x, index], () => gather(x, dim, index), { dim });
  checkIndex('gather', index);
  const d = normalizeDim('gather', dim, x.ndim);
  const xs = contiguous(alignTo('gather', x, index.shape, d, 'input'));
  const size = sizeAlong(x, d);
  const dev = sameDevice('gather', x, index);
  const idx = indexValues('gather', index, size, d);
  const out = Tensor._empty(index.shape, x.dtype, dev);
  const outer = numelOf(index.shape.slice(0, d));
  const inner = numelOf(index.shape.slice(d + 1));
  dev.kernels.gather(xs._buffer(), outer, size, inner, idx._buffer(), index.shape[d] ?? 1, out.storage.buffer);
  const inShape = x.shape;
  return record(out, 'GatherBackward0', [x], (g) => [scatterAdd(Tensor._empty(inShape, g.dtype, g._device), d, index, g)], [index]);
}

/**
 * A copy of `x` with `src` added at `index` along `dim` (out-of-place `scatter_add`):
 * out[i][index[i][j][k]][k] += src[i][j][k] for dim 1. Like PyTorch, `index` may be smaller than
 * `x` in the other dims and smaller than `src` in every dim; only that part of `src` is used.
 */
export function scatterAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  if (tracing) return traced('scatterAdd', [x, index, src], () => scatterAdd(x, dim, index, src), { dim });
  checkIndex('scatterAdd', index);
  const d = normalizeDim('scatterAdd', dim, x.ndim);
  if (src.dtype !== x.dtype) throw new TypeError(`scatterAdd: src dtype ${src.dtype} must match input dtype ${x.dtype}`);
  const s = contiguous(alignTo('scatterAdd', src, index.shape, -1, 'src'));
  const size = sizeAlong(x, d);
  const dev = sameDevice('scatterAdd', x, index, src);
  const idx = indexValues('scatterAdd', index, size, d);
  const out = materialize(x);
  // The part of `out` the index addresses, contiguous (a temporary when the index is smaller).
  const region = alignTo('scatterAdd', out, index.shape, d, 'input');
  const dst = region === out ? out : materialize(region);
  const outer = numelOf(index.shape.slice(0, d));
  const inner = numelOf(index.shape.slice(d + 1));
  dev.kernels.scatterAdd(s._buffer(), outer, size, inner, idx._buffer(), index.shape[d] ?? 1, dst.storage.buffer);
  if (dst !== out) dev.kernels.copy(stridedOf(dst), stridedOf(region), region.shape);
  const srcShape = src.shape;
  return record(out, 'ScatterAddBackward0', [x, src], (g) => [g, padTo(gather(g, d, index), srcShape)], [index]);
}

/** `t` padded with zeros at the end of each dim up to `shape` (the adjoint of `alignTo`). */
function padTo(t: Tensor, shape: readonly number[]): Tensor {
  let out = t;
  shape.forEach((n, k) => {
    if (out.shape[k] < n) out = padAlong(out, k, 0, n - out.shape[k]);
  });
  return out;
}

/** Rows (or slices along `dim`) of `x` picked by the 1-D int32 `index`. */
export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  if (tracing) return traced('indexSelect', [x, index], () => indexSelect(x, dim, index), { dim });
  checkIndex('indexSelect', index);
  if (index.ndim > 1) throw new RangeError(`indexSelect: index must be 0-d or 1-d (got shape ${shapeStr(index.shape)})`);
  const d = normalizeDim('indexSelect', dim, x.ndim);
  const k = index.numel;
  sameDevice('indexSelect', x, index);
  indexValues('indexSelect', index, x.shape[d], d);
  // Expand the index over the other dims (a broadcast view, copied by the copy kernel) so one
  // gather kernel serves both.
  const shape = x.shape.map((s, i) => (i === d ? k : s));
  const along = x.shape.map((_, i) => (i === d ? k : 1));
  const expanded = materialize(expand(reshapeOf(detach(index), along), shape));
  const out = gather(x, d, expanded);
  if (out.gradFn) out.gradFn = null;
  const inShape = x.shape;
  return record(out, 'IndexSelectBackward0', [x], (g) => [scatterAdd(Tensor._empty(inShape, g.dtype, g._device), d, expanded, g)]);
}

/** One-hot encoding of int32 class indices: shape [...index.shape, numClasses], int32. */
export function oneHot(index: Tensor, numClasses = -1): Tensor {
  if (tracing) return traced('oneHot', [index], () => oneHot(index, numClasses), { numClasses });
  checkIndex('oneHot', index);
  const c = materialize(index);
  if (c._device.memory.readSync === undefined && numClasses === -1) {
    throw new Error(`oneHot: give numClasses for a tensor on the '${c.device}' device (counting the classes needs a synchronous read)`);
  }
  // Validation (and the class count) read the values through the device's read API.
  const idx = c._device.memory.readSync === undefined ? new Int32Array(0) : c.data;
  let n = numClasses;
  if (n === -1) {
    n = 0;
    for (let i = 0; i < idx.length; i++) n = Math.max(n, idx[i] + 1);
  }
  for (let i = 0; i < idx.length; i++) {
    const c = idx[i];
    if (c < 0 || c >= n) throw new RangeError(`oneHot: class values must be in [0, ${n}) (got ${c})`);
  }
  // Row i gets a 1 at column idx[i]: a scatter-add of ones into zeros, one index per row.
  const dev = c._device;
  const out = Tensor._empty([...index.shape, n], 'int32', dev);
  const ones = Tensor._empty([c.numel], 'int32', dev);
  dev.kernels.fill(stridedOf(ones), ones.shape, 1);
  dev.kernels.scatterAdd(ones.storage.buffer, c.numel, n, 1, c.storage.buffer, 1, out.storage.buffer);
  return out;
}

/** One entry of an advanced index: an int32 tensor, an integer, or null for a whole dim (`:`). */
export type IndexEntry = Tensor | number | null;

/**
 * Advanced (integer-array) indexing, PyTorch's `x[idx]`, which JS cannot overload:
 * `C.index(X)` is `C[X]` (rows of C picked by the int32 tensor X, result shape
 * `[...X.shape, ...C.shape.slice(1)]`); `x.index([rows, cols])` is `x[rows, cols]` (index tensors
 * broadcast together); leading nulls skip dims, `x.index([null, idx])` is `x[:, idx]`. Negative
 * indices count from the end. Gradients flow back to `x` (summed over repeated indices).
 */
export function index(x: Tensor, indices: Tensor | readonly IndexEntry[]): Tensor {
  const op = 'index';
  const list: readonly IndexEntry[] = indices instanceof Tensor ? [indices] : indices;
  if (!Array.isArray(list)) throw new TypeError(`${op}: expected an int32 tensor or an array of them (x.index(X), x.index([rows, cols]))`);
  let lead = 0;
  while (lead < list.length && list[lead] === null) lead++;
  const rest = list.slice(lead);
  if (rest.length === 0) throw new RangeError(`${op}: give at least one index tensor (x.index(X) or x.index([null, X]))`);
  if (lead + rest.length > x.ndim) {
    throw new RangeError(`${op}: too many indices for a tensor of dimension ${x.ndim} (got ${lead + rest.length})`);
  }
  const tensors = rest.map((e, j) => {
    if (e === null) throw new RangeError(`${op}: null (a full slice) is only supported before the index tensors, as in x[:, idx]`);
    if (typeof e === 'number') {
      if (!Number.isInteger(e)) throw new TypeError(`${op}: integer indices must be integers (got ${e})`);
      return Tensor._fromData(new Int32Array([e]), [], 'int32', x._device);
    }
    if (!(e instanceof Tensor)) throw new TypeError(`${op}: index ${lead + j} must be an int32 tensor, an integer or null`);
    if (e.dtype === 'bool')
      throw new TypeError(`${op}: boolean mask indexing (x[mask]) is not supported; use where(mask, x, 0) or index with the positions`);
    checkIndex(op, e);
    return e;
  });
  // Broadcast the index tensors and fold them into one linear index over the indexed dims.
  const sizes = tensors.map((_, j) => x.shape[lead + j]);
  const shape = tensors.reduce<number[]>((s, t) => broadcastShapes(op, s, t.shape), []);
  const n = numelOf(shape);
  // Fold the index tensors into one linear index with int32 kernels on their device:
  // linear = linear·size + (v < 0 ? v + size : v), broadcast to `shape`.
  let linear: Tensor | null = null;
  tensors.forEach((t, j) => {
    const size = sizes[j];
    sameDevice(op, x, t);
    // Bounds are checked on the values read through the device's read API.
    const vals = t._device.memory.readSync === undefined ? [] : t.data;
    for (let i = 0; i < vals.length; i++) {
      const v = vals[i];
      if (v < -size || v >= size) throw new RangeError(`${op}: index ${v} is out of bounds for dimension ${lead + j} with size ${size}`);
    }
    const v = noGrad(() => expand(where(lt(t, 0), add(t, size), t), shape));
    linear = linear === null ? v : noGrad(() => add(mul(linear as Tensor, size), v));
  });
  const folded = numelOf(sizes);
  const tail = x.shape.slice(lead + tensors.length);
  const xr = reshapeOf(x, [...x.shape.slice(0, lead), folded, ...tail]);
  const picked = indexSelect(xr, lead, reshapeOf(materialize(linear as unknown as Tensor), [n]));
  return reshapeOf(picked, [...x.shape.slice(0, lead), ...shape, ...tail]);
}

function broadcastShapes(op: string, a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1)
      throw new RangeError(`${op}: index shapes ${shapeStr(a)} and ${shapeStr(b)} cannot be broadcast together`);
    out.push(x === 1 ? y : x);
  }
  return out;
}
