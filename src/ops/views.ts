import { record } from '../autograd/record.js';
import { checkShape, contiguousStrides, isContiguous, normalizeDim, numelOf, shapeStr } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { contiguous } from './convert.js';
import { traceOp, tracing } from './trace.js';

/** A tensor over `x`'s storage with new geometry; views chain to their root base. */
export function makeView(x: Tensor, shape: readonly number[], strides: readonly number[], offset: number): Tensor {
  const v = new Tensor(x.storage, shape, strides, offset, x.dtype);
  v._base = x._base ?? x;
  return v;
}

// PyTorch's computeStride: strides that let `shape` view memory laid out as (oldShape, oldStrides),
// or null when that needs a copy.
function viewStrides(oldShape: readonly number[], oldStrides: readonly number[], shape: readonly number[]): number[] | null {
  if (isContiguous(oldShape, oldStrides)) return contiguousStrides(shape);
  const out = new Array<number>(shape.length);
  let viewD = shape.length - 1;
  let chunkBase = oldStrides[oldStrides.length - 1];
  let tensorNumel = 1;
  let viewNumel = 1;
  for (let d = oldShape.length - 1; d >= 0; d--) {
    tensorNumel *= oldShape[d];
    if (d === 0 || (oldShape[d - 1] !== 1 && oldStrides[d - 1] !== tensorNumel * chunkBase)) {
      while (viewD >= 0 && (viewNumel < tensorNumel || shape[viewD] === 1)) {
        out[viewD] = viewNumel * chunkBase;
        viewNumel *= shape[viewD];
        viewD--;
      }
      if (viewNumel !== tensorNumel) return null;
      if (d > 0) {
        chunkBase = oldStrides[d - 1];
        tensorNumel = 1;
        viewNumel = 1;
      }
    }
  }
  return viewD === -1 ? out : null;
}

/** A view with a new shape (one dim may be -1); throws if the memory layout forbids it. */
export function view(x: Tensor, shape: readonly number[]): Tensor {
  if (tracing) return traceOp('view', [x], () => view(x, shape));
  const s = checkShape('view', shape, x.numel);
  const strides = viewStrides(x.shape, x.strides, s);
  if (strides === null) {
    throw new Error(
      `view: shape ${shapeStr(s)} is not compatible with the input's size ${shapeStr(x.shape)} and strides ` +
        `${shapeStr(x.strides)} (at least one dimension spans two contiguous subspaces). Use reshape() instead.`,
    );
  }
  const inShape = x.shape;
  return record(makeView(x, s, strides, x.offset), 'ViewBackward0', [x], { inShape });
}

/** Like `view`, but copies when the layout forbids a view. */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  if (tracing) return traceOp('reshape', [x], () => reshape(x, shape));
  const s = checkShape('reshape', shape, x.numel);
  if (viewStrides(x.shape, x.strides, s) !== null) return view(x, s);
  return view(contiguous(x), s);
}

/** Merges dims `startDim`..`endDim` into one. */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  if (tracing) return traceOp('flatten', [x], () => flatten(x, startDim, endDim));
  if (x.ndim === 0) return reshape(x, [1]);
  const a = normalizeDim('flatten', startDim, x.ndim);
  const b = normalizeDim('flatten', endDim, x.ndim);
  if (a > b) throw new RangeError(`flatten: startDim ${startDim} cannot come after endDim ${endDim}`);
  const merged = numelOf(x.shape.slice(a, b + 1));
  return reshape(x, [...x.shape.slice(0, a), merged, ...x.shape.slice(b + 1)]);
}

/** Splits dim `dim` into `sizes` (one may be -1). */
export function unflatten(x: Tensor, dim: number, sizes: readonly number[]): Tensor {
  if (tracing) return traceOp('unflatten', [x], () => unflatten(x, dim, sizes));
  const d = normalizeDim('unflatten', dim, x.ndim);
  const s = checkShape('unflatten', sizes, x.shape[d]);
  return view(x, [...x.shape.slice(0, d), ...s, ...x.shape.slice(d + 1)]);
}

/** Reorders dims: `permute(x, [2, 0, 1])`. */
export function permute(x: Tensor, dims: readonly number[]): Tensor {
  if (dims.length !== x.ndim) {
    throw new RangeError(`permute: number of dims ${dims.length} doesn't match the tensor's ${x.ndim} (shape ${shapeStr(x.shape)})`);
  }
  const p = dims.map((d) => normalizeDim('permute', d, x.ndim));
  if (new Set(p).size !== p.length) throw new RangeError(`permute: repeated dim in ${shapeStr(dims)}`);
  if (tracing) return traceOp('permute', [x], () => permute(x, dims), { dims: p });
  const inverse = new Array<number>(p.length);
  p.forEach((d, i) => {
    inverse[d] = i;
  });
  const out = makeView(
    x,
    p.map((d) => x.shape[d]),
    p.map((d) => x.strides[d]),
    x.offset,
  );
  return record(out, 'PermuteBackward0', [x], { inverse });
}

/** Swaps two dims. */
export function transpose(x: Tensor, dim0: number, dim1: number, name: 'TransposeBackward0' | 'TBackward0' = 'TransposeBackward0'): Tensor {
  const a = normalizeDim('transpose', dim0, x.ndim);
  const b = normalizeDim('transpose', dim1, x.ndim);
  if (tracing) return traceOp('transpose', [x], () => transpose(x, dim0, dim1, name), { dims: [a, b] });
  // Plain copies and swaps: backward passes make one transpose per matmul input (no spread or
  // destructuring temporaries on that path).
  const shape = x.shape.slice();
  const strides = x.strides.slice();
  shape[a] = x.shape[b];
  shape[b] = x.shape[a];
  strides[a] = x.strides[b];
  strides[b] = x.strides[a];
  const out = makeView(x, shape, strides, x.offset);
  return x.requiresGrad ? record(out, name, [x], { dims: [a, b] }) : out;
}

/** The transpose of a ≤2-D tensor, like `Tensor.t()`. */
export function t(x: Tensor): Tensor {
  if (tracing) return traceOp('t', [x], () => t(x));
  if (x.ndim > 2) throw new RangeError(`t: expects a tensor with <= 2 dimensions, but got ${x.ndim}-d (shape ${shapeStr(x.shape)})`);
  if (x.ndim < 2) return record(makeView(x, x.shape, x.strides, x.offset), 'TBackward0', [x], { dims: null });
  return transpose(x, 0, 1, 'TBackward0');
}

/** Broadcasts to `shape` without copying (-1 keeps a size); new dims are prepended. */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  if (tracing) return traceOp('expand', [x], () => expand(x, shape));
  const lead = shape.length - x.ndim;
  if (lead < 0) {
    throw new RangeError(`expand: the number of sizes provided (${shape.length}) must be at least the tensor's ${x.ndim} dims`);
  }
  const outShape = new Array<number>(shape.length);
  const strides = new Array<number>(shape.length);
  for (let i = 0; i < shape.length; i++) {
    const j = i - lead;
    const want = shape[i];
    if (j < 0) {
      if (want < 0) throw new RangeError(`expand: -1 is not allowed in a leading, non-existing dimension (${shapeStr(shape)})`);
      outShape[i] = want;
      strides[i] = 0;
    } else if (want === -1 || want === x.shape[j]) {
      outShape[i] = x.shape[j];
      strides[i] = x.strides[j];
    } else if (x.shape[j] === 1) {
      outShape[i] = want;
      strides[i] = 0;
    } else {
      throw new RangeError(
        `expand: the expanded size (${want}) must match the existing size (${x.shape[j]}) at non-singleton ` +
          `dimension ${i}. Target sizes: ${shapeStr(shape)}. Tensor sizes: ${shapeStr(x.shape)}`,
      );
    }
  }
  const inShape = x.shape;
  return record(makeView(x, outShape, strides, x.offset), 'ExpandBackward0', [x], { inShape });
}

/** Removes size-1 dims (all, or the given one). */
export function squeeze(x: Tensor, dim?: number): Tensor {
  if (tracing) return traceOp('squeeze', [x], () => squeeze(x, dim));
  const d = dim === undefined ? undefined : normalizeDim('squeeze', dim, x.ndim);
  const keep = (i: number) => x.shape[i] !== 1 || (d !== undefined && i !== d);
  const idx = x.shape.map((_, i) => i).filter(keep);
  const inShape = x.shape;
  const out = makeView(
    x,
    idx.map((i) => x.shape[i]),
    idx.map((i) => x.strides[i]),
    x.offset,
  );
  return record(out, dim === undefined ? 'SqueezeBackward0' : 'SqueezeBackward1', [x], { inShape });
}

/** Inserts a size-1 dim at `dim` (which may be ndim or negative). */
export function unsqueeze(x: Tensor, dim: number): Tensor {
  if (tracing) return traceOp('unsqueeze', [x], () => unsqueeze(x, dim));
  const d = normalizeDim('unsqueeze', dim, x.ndim + 1);
  const shape = [...x.shape];
  const strides = [...x.strides];
  shape.splice(d, 0, 1);
  strides.splice(d, 0, d < x.ndim ? x.shape[d] * x.strides[d] : 1);
  return record(makeView(x, shape, strides, x.offset), 'UnsqueezeBackward0', [x], { d });
}

/**
 * Elements `start`, `start+step`, … before `end` along `dim` (Python's `x[..., start:end:step]`);
 * negative and out-of-range bounds clip like Python slices.
 */
export function slice(x: Tensor, dim: number, start = 0, end = Number.POSITIVE_INFINITY, step = 1): Tensor {
  const d = normalizeDim('slice', dim, x.ndim);
  if (!Number.isInteger(step) || step <= 0) throw new RangeError(`slice: step must be a positive integer (got ${step})`);
  const size = x.shape[d];
  const clip = (v: number) => Math.min(Math.max(v < 0 ? v + size : v, 0), size);
  const a = clip(start);
  const b = Math.max(clip(end), a);
  const len = Math.ceil((b - a) / step);
  if (tracing) return traceOp('slice', [x], () => slice(x, dim, start, end, step), { dim: d, start: a, step });
  const shape = [...x.shape];
  const strides = [...x.strides];
  shape[d] = len;
  strides[d] = x.strides[d] * step;
  const out = makeView(x, shape, strides, x.offset + a * x.strides[d]);
  return record(out, 'SliceBackward0', [x], { d, a, len, size, step });
}

/** `length` elements from `start` along `dim`, as a view. */
export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  const d = normalizeDim('narrow', dim, x.ndim);
  const s = start < 0 ? start + x.shape[d] : start;
  if (s < 0 || length < 0 || s + length > x.shape[d]) {
    throw new RangeError(`narrow: start (${start}) + length (${length}) exceeds dimension size (${x.shape[d]}) of dim ${dim}`);
  }
  return slice(x, d, s, s + length);
}

/** The slice at `index` along `dim`, with that dim removed. */
export function select(x: Tensor, dim: number, index: number): Tensor {
  const d = normalizeDim('select', dim, x.ndim);
  const size = x.shape[d];
  if (!Number.isInteger(index) || index < -size || index >= size) {
    throw new RangeError(`select: index ${index} out of range for dimension ${dim} with size ${size}`);
  }
  const i = index < 0 ? index + size : index;
  if (tracing) return traceOp('select', [x], () => select(x, dim, index), { dim: d, index: i });
  const shape = x.shape.filter((_, k) => k !== d);
  const strides = x.strides.filter((_, k) => k !== d);
  const out = makeView(x, shape, strides, x.offset + i * x.strides[d]);
  return record(out, 'SelectBackward0', [x], { d, i, size });
}
