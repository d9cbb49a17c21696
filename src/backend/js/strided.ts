import type { Strided } from '../backend.js';

/**
 * Merges adjacent dims that every operand walks as one (stride[d] = stride[d+1]·shape[d+1]), as
 * PyTorch's TensorIterator does: a contiguous or scalar-broadcast operation becomes a single row.
 */
function coalesce(shape: readonly number[], operands: readonly Strided[]): { shape: number[]; strides: number[][] } {
  const outShape = [shape[0]];
  const strides = operands.map((o) => [o.strides[0]]);
  for (let d = 1; d < shape.length; d++) {
    const last = outShape.length - 1;
    const mergeable = operands.every((o, i) => strides[i][last] === o.strides[d] * shape[d]);
    if (mergeable) {
      outShape[last] *= shape[d];
      operands.forEach((o, i) => {
        strides[i][last] = o.strides[d];
      });
    } else {
      outShape.push(shape[d]);
      operands.forEach((o, i) => {
        strides[i].push(o.strides[d]);
      });
    }
  }
  return { shape: outShape, strides };
}

/**
 * The stride one flat row walks `o` with over `shape`: 1 when it is row-major over the whole
 * shape, 0 when it is a broadcast scalar (all strides 0), −1 when it is neither.
 */
export function flatStride(o: Strided, shape: readonly number[]): number {
  let zero = true;
  let dense = true;
  let expected = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    const st = o.strides[d];
    if (st !== 0) zero = false;
    if (shape[d] !== 1 && st !== expected) dense = false;
    expected *= shape[d];
  }
  return dense ? 1 : zero ? 0 : -1;
}

/** Each operand's stride as one flat row (1 row-major, 0 scalar), or null if some is neither. */
function flatStrides(shape: readonly number[], operands: readonly Strided[]): number[] | null {
  const out: number[] = [];
  for (const o of operands) {
    const st = flatStride(o, shape);
    if (st < 0) return null;
    out.push(st);
  }
  return out;
}

/**
 * Calls `row(offsets, len, innerStrides)` once per innermost row of `shape` (after merging dims
 * that can be walked as one), with each operand's offset of the row start and its stride along the
 * row. Rows amortize the index arithmetic so the per-element loops stay tight and closure-free.
 */
export function forEachRow(
  shape: readonly number[],
  operands: readonly Strided[],
  row: (offsets: number[], len: number, innerStrides: number[]) => void,
): void {
  const k = operands.length;
  const offsets = operands.map((o) => o.offset);
  if (shape.length === 0) {
    row(
      offsets,
      1,
      operands.map(() => 1),
    );
    return;
  }
  for (const s of shape) if (s === 0) return;
  // Fast path, the common case: every operand row-major over the whole shape, or a broadcast
  // scalar (all strides 0), is one row of numel elements.
  const flat = flatStrides(shape, operands);
  if (flat !== null) {
    let n = 1;
    for (const s of shape) n *= s;
    row(offsets, n, flat);
    return;
  }
  const c = coalesce(shape, operands);
  const nd = c.shape.length;
  const len = c.shape[nd - 1];
  const inner = c.strides.map((s) => s[nd - 1]);
  const idx = new Array<number>(nd).fill(0);
  for (;;) {
    row(offsets, len, inner);
    // Odometer increment over all dims but the last.
    let d = nd - 2;
    for (; d >= 0; d--) {
      idx[d]++;
      for (let i = 0; i < k; i++) offsets[i] += c.strides[i][d];
      if (idx[d] < c.shape[d]) break;
      for (let i = 0; i < k; i++) offsets[i] -= c.strides[i][d] * c.shape[d];
      idx[d] = 0;
    }
    if (d < 0) return;
  }
}
