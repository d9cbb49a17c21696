import type { TypedArray } from '../../tensor/dtype.js';

/**
 * Row-major batched matmul. The i-k-j loop order streams rows of B and C contiguously so V8 keeps
 * the inner loop simple; k is blocked so a panel of B stays in cache across rows of A.
 */
export function matmul(
  a: TypedArray,
  aBatchStride: number,
  b: TypedArray,
  bBatchStride: number,
  out: TypedArray,
  batch: number,
  m: number,
  k: number,
  n: number,
): void {
  const KB = 128;
  // Accumulate one output row in double precision, then round once into `out`.
  const acc = new Float64Array(n);
  for (let bt = 0; bt < batch; bt++) {
    const ao = bt * aBatchStride;
    const bo = bt * bBatchStride;
    const oo = bt * m * n;
    for (let i = 0; i < m; i++) {
      acc.fill(0);
      const arow = ao + i * k;
      for (let k0 = 0; k0 < k; k0 += KB) {
        const k1 = Math.min(k, k0 + KB);
        for (let p = k0; p < k1; p++) {
          const av = a[arow + p];
          const brow = bo + p * n;
          for (let j = 0; j < n; j++) acc[j] += av * b[brow + j];
        }
      }
      const orow = oo + i * n;
      for (let j = 0; j < n; j++) out[orow + j] = acc[j];
    }
  }
}
