import type { Strided } from '../backend.js';

/**
 * Calls `row(offsets, len)` once per innermost row of `shape`, with each operand's offset of the
 * row start; the innermost stride of operand i is `strides[i][ndim-1]`. Rows amortize the index
 * arithmetic so the per-element loops stay tight and closure-free.
 */
export function forEachRow(shape: readonly number[], operands: readonly Strided[], row: (offsets: number[], len: number) => void): void {
  const nd = shape.length;
  const k = operands.length;
  const offsets = operands.map((o) => o.offset);
  if (nd === 0) {
    row(offsets, 1);
    return;
  }
  const len = shape[nd - 1];
  for (const s of shape) if (s === 0) return;
  const idx = new Array<number>(nd).fill(0);
  for (;;) {
    row(offsets, len);
    // Odometer increment over all dims but the last.
    let d = nd - 2;
    for (; d >= 0; d--) {
      idx[d]++;
      for (let i = 0; i < k; i++) offsets[i] += operands[i].strides[d];
      if (idx[d] < shape[d]) break;
      for (let i = 0; i < k; i++) offsets[i] -= operands[i].strides[d] * shape[d];
      idx[d] = 0;
    }
    if (d < 0) return;
  }
}

/** Innermost stride of an operand (1 for 0-d). */
export function innerStride(o: Strided, ndim: number): number {
  return ndim === 0 ? 1 : o.strides[ndim - 1];
}
