import type { TypedArray } from '../../tensor/dtype.js';
import { gemm } from './gemm.js';

/** From this many multiply-adds per matrix on, the packed, register-blocked gemm is faster. */
const GEMM_MIN_MACS = 32 * 32 * 32;
/** Elements of the double-precision output band. */
const GEMM_SCRATCH = 1 << 18;
let gemmOut = new Float64Array(0);

/**
 * Row-major batched matmul, operands read through strides so transposes cost nothing. Sums are in
 * double precision and rounded once into `out`.
 */
export function matmul(
  a: TypedArray,
  aBatchStride: number,
  transA: boolean,
  b: TypedArray,
  bBatchStride: number,
  transB: boolean,
  out: TypedArray,
  batch: number,
  m: number,
  k: number,
  n: number,
): void {
  // A[i, p] = a[i·rsA + p·csA], B[p, j] = b[p·rsB + j·csB].
  const rsA = transA ? 1 : k;
  const csA = transA ? m : 1;
  const rsB = transB ? 1 : n;
  const csB = transB ? k : 1;
  if (m * n * k >= GEMM_MIN_MACS) {
    // ~3× faster on large products. Rows go through a double-precision scratch of at most ~2 MB,
    // a band at a time.
    const rows = Math.min(m, Math.max(32, Math.floor(GEMM_SCRATCH / n / 4) * 4));
    if (gemmOut.length < rows * n) gemmOut = new Float64Array(rows * n);
    const c = gemmOut;
    for (let bt = 0; bt < batch; bt++) {
      for (let i0 = 0; i0 < m; i0 += rows) {
        const r = Math.min(rows, m - i0);
        c.fill(0, 0, r * n);
        gemm(r, n, k, a, bt * aBatchStride + i0 * rsA, rsA, csA, b, bt * bBatchStride, rsB, csB, c, 0, n);
        const oo = (bt * m + i0) * n;
        for (let i = 0, e = r * n; i < e; i++) out[oo + i] = c[i];
      }
    }
    return;
  }
  // Small products (exercise 1's 4×4 layers): each output element summed in double precision
  // over p in order, then rounded once.
  for (let bt = 0; bt < batch; bt++) {
    const ao = bt * aBatchStride;
    const bo = bt * bBatchStride;
    const oo = bt * m * n;
    for (let i = 0; i < m; i++) {
      const arow = ao + i * rsA;
      const orow = oo + i * n;
      for (let j = 0; j < n; j++) {
        let acc = 0;
        for (let p = 0, bj = bo + j * csB; p < k; p++) acc += a[arow + p * csA] * b[bj + p * rsB];
        out[orow + j] = acc;
      }
    }
  }
}
