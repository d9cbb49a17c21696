import type { TypedArray } from '../../tensor/dtype.js';
import { gemm } from './gemm.js';

/** From this many multiply-adds per matrix on, the packed, register-blocked gemm is faster. */
const GEMM_MIN_MACS = 32 * 32 * 32;
/** Elements of the double-precision output band. */
const GEMM_SCRATCH = 1 << 18;
let gemmOut = new Float64Array(0);

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
  if (m * n * k >= GEMM_MIN_MACS) {
    // Same contract (double accumulation, one rounding), ~3× faster on large products. Rows go
    // through a double-precision scratch of at most ~2 MB, a band at a time.
    const rows = Math.min(m, Math.max(32, Math.floor(GEMM_SCRATCH / n / 4) * 4));
    if (gemmOut.length < rows * n) gemmOut = new Float64Array(rows * n);
    const c = gemmOut;
    for (let bt = 0; bt < batch; bt++) {
      for (let i0 = 0; i0 < m; i0 += rows) {
        const r = Math.min(rows, m - i0);
        c.fill(0, 0, r * n);
        gemm(r, n, k, a, bt * aBatchStride + i0 * k, k, 1, b, bt * bBatchStride, n, 1, c, 0, n);
        const oo = (bt * m + i0) * n;
        for (let i = 0, e = r * n; i < e; i++) out[oo + i] = c[i];
      }
    }
    return;
  }
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
