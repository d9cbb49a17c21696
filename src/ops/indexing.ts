import { record } from '../autograd/record.js';
import { stridedOf } from '../backend/backend.js';
import { backend } from '../backend/registry.js';
import { normalizeDim, numelOf, shapeStr } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { contiguous, materialize } from './convert.js';
import { traced, tracing } from './trace.js';
import { narrow, padAlong } from './views.js';

function checkIndex(op: string, index: Tensor): void {
  if (index.dtype !== 'int32') {
    throw new TypeError(
      `${op}: index must be an int32 tensor (got ${index.dtype}). Numbers make float32 tensors in nabla; ` +
        "create indices with tensor([...], { dtype: 'int32' }) or an Int32Array, or convert with .int()",
    );
  }
}

/** Validates index values against `size` and returns them as a contiguous Int32Array. */
function indexValues(op: string, index: Tensor, size: number, dim: number): Int32Array {
  const idx = materialize(index).storage.data as Int32Array;
  for (let i = 0; i < idx.length; i++) {
    const v = idx[i];
    // PyTorch rejects negative indices here too (gather, scatter_add, index_select).
    if (v < 0 || v >= size) throw new RangeError(`${op}: index ${v} is out of bounds for dimension ${dim} with size ${size}`);
  }
  return idx;
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
  const idx = indexValues('gather', index, size, d);
  const out = Tensor._empty(index.shape, x.dtype);
  const outer = numelOf(index.shape.slice(0, d));
  const inner = numelOf(index.shape.slice(d + 1));
  backend().gather(xs._elements(), outer, size, inner, idx, index.shape[d] ?? 1, out.storage.data);
  const inShape = x.shape;
  return record(out, 'GatherBackward0', [x], (g) => [scatterAdd(Tensor._empty(inShape, g.dtype), d, index, g)], [index]);
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
  const idx = indexValues('scatterAdd', index, size, d);
  const out = materialize(x);
  // The part of `out` the index addresses, contiguous (a temporary when the index is smaller).
  const region = alignTo('scatterAdd', out, index.shape, d, 'input');
  const dst = region === out ? out : materialize(region);
  const outer = numelOf(index.shape.slice(0, d));
  const inner = numelOf(index.shape.slice(d + 1));
  backend().scatterAdd(s._elements(), outer, size, inner, idx, index.shape[d] ?? 1, dst.storage.data);
  if (dst !== out) backend().copy(stridedOf(dst), stridedOf(region), region.shape);
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
  const idx = indexValues('indexSelect', index, x.shape[d], d);
  // Expand the index over the other dims so one gather kernel serves both.
  const shape = x.shape.map((s, i) => (i === d ? k : s));
  const outer = numelOf(shape.slice(0, d));
  const inner = numelOf(shape.slice(d + 1));
  const full = new Int32Array(outer * k * inner);
  for (let o = 0; o < outer; o++) for (let j = 0; j < k; j++) full.fill(idx[j], (o * k + j) * inner, (o * k + j + 1) * inner);
  const expanded = Tensor._fromData(full, shape, 'int32');
  const out = gather(x, d, expanded);
  if (out.gradFn) out.gradFn = null;
  const inShape = x.shape;
  return record(out, 'IndexSelectBackward0', [x], (g) => [scatterAdd(Tensor._empty(inShape, g.dtype), d, expanded, g)]);
}

/** One-hot encoding of int32 class indices: shape [...index.shape, numClasses], int32. */
export function oneHot(index: Tensor, numClasses = -1): Tensor {
  if (tracing) return traced('oneHot', [index], () => oneHot(index, numClasses), { numClasses });
  checkIndex('oneHot', index);
  const idx = materialize(index).storage.data as Int32Array;
  let n = numClasses;
  if (n === -1) {
    n = 0;
    for (let i = 0; i < idx.length; i++) n = Math.max(n, idx[i] + 1);
  }
  const out = Tensor._empty([...index.shape, n], 'int32');
  const data = out.storage.data;
  for (let i = 0; i < idx.length; i++) {
    const c = idx[i];
    if (c < 0 || c >= n) throw new RangeError(`oneHot: class values must be in [0, ${n}) (got ${c})`);
    data[i * n + c] = 1;
  }
  return out;
}
