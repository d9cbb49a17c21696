import type { TypedArray } from '../../tensor/dtype.js';
import type { ArgReduceOp, ReduceOp } from '../backend.js';

/**
 * Reduces [outer, size, inner] over the middle axis. Sums accumulate in double precision (a JS
 * number), so float32 sums are at least as accurate as PyTorch's cascaded float32 sums.
 */
export function reduce(op: ReduceOp, x: TypedArray, outer: number, size: number, inner: number, out: TypedArray): void {
  const acc = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    const base = o * size * inner;
    switch (op) {
      case 'sum':
        acc.fill(0);
        for (let r = 0; r < size; r++) {
          const row = base + r * inner;
          for (let i = 0; i < inner; i++) acc[i] += x[row + i];
        }
        break;
      case 'prod':
        acc.fill(1);
        for (let r = 0; r < size; r++) {
          const row = base + r * inner;
          for (let i = 0; i < inner; i++) acc[i] *= x[row + i];
        }
        break;
      case 'max':
      case 'min': {
        const isMax = op === 'max';
        acc.fill(isMax ? -Infinity : Infinity);
        for (let r = 0; r < size; r++) {
          const row = base + r * inner;
          for (let i = 0; i < inner; i++) {
            const v = x[row + i];
            const a = acc[i];
            // NaN is sticky: once seen it stays the result, as in PyTorch.
            if (v !== v || (isMax ? v > a : v < a)) acc[i] = v;
            else if (a !== a) acc[i] = a;
          }
        }
        break;
      }
      default:
        throw new Error(`reduce: unknown op ${op as string}`);
    }
    const ob = o * inner;
    for (let i = 0; i < inner; i++) out[ob + i] = acc[i];
  }
}

export function argReduce(op: ArgReduceOp, x: TypedArray, outer: number, size: number, inner: number, out: Int32Array): void {
  const isMax = op === 'argmax';
  for (let o = 0; o < outer; o++) {
    const base = o * size * inner;
    for (let i = 0; i < inner; i++) {
      let best = x[base + i];
      let bi = 0;
      for (let r = 1; r < size && best === best; r++) {
        const v = x[base + r * inner + i];
        // First occurrence wins ties; a NaN wins outright and ends the scan.
        if (v !== v || (isMax ? v > best : v < best)) {
          best = v;
          bi = r;
        }
      }
      out[o * inner + i] = bi;
    }
  }
}
