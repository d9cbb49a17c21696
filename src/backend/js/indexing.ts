import type { TypedArray } from '../../tensor/dtype.js';

export function gather(
  x: TypedArray,
  outer: number,
  size: number,
  inner: number,
  index: Int32Array,
  idxSize: number,
  out: TypedArray,
): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < idxSize; j++) {
      const ib = (o * idxSize + j) * inner;
      for (let i = 0; i < inner; i++) out[ib + i] = x[(o * size + index[ib + i]) * inner + i];
    }
  }
}

export function scatterAdd(
  src: TypedArray,
  outer: number,
  size: number,
  inner: number,
  index: Int32Array,
  idxSize: number,
  out: TypedArray,
): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < idxSize; j++) {
      const ib = (o * idxSize + j) * inner;
      for (let i = 0; i < inner; i++) out[(o * size + index[ib + i]) * inner + i] += src[ib + i];
    }
  }
}
