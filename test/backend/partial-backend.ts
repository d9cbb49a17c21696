// A test-only backend with a handful of kernels of its own (simple loops, written independently of
// the reference): matmul for float operands, five unary ops, and add/sub/mul. Everything else falls
// back to the TypeScript reference kernels; the registry tests count exactly which.
import type { Strided } from '../../src/backend/backend.js';
import { type BackendDefinition, defineBackend } from '../../src/backend/kernels.js';
import type { TypedArray } from '../../src/tensor/dtype.js';

const isFloat = (a: TypedArray) => a instanceof Float32Array || a instanceof Float64Array;

/** out[i] = op(x[i]) for the flat index i, with operands read through their strides. */
function eachIndex(shape: readonly number[], visit: (flat: number, idx: number[]) => void): void {
  const n = shape.reduce((p, d) => p * d, 1);
  const idx = new Array<number>(shape.length).fill(0);
  for (let flat = 0; flat < n; flat++) {
    visit(flat, idx);
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
}
const at = (o: Strided, idx: number[]) => o.buf[idx.reduce((p, i, d) => p + i * o.strides[d], o.offset)];

const UNARY: Record<string, (x: number) => number> = {
  neg: (x) => -x,
  exp: Math.exp,
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  square: (x) => x * x,
  // NaN and −0 pass through, as in PyTorch (Math.max(−0, 0) would give +0).
  // biome-ignore lint/complexity/useMathMinMax: −0 must stay −0
  relu: (x) => (x < 0 ? 0 : x),
};
const BINARY: Record<string, (a: number, b: number, alpha: number) => number> = {
  add: (a, b, alpha) => a + alpha * b,
  sub: (a, b, alpha) => a - alpha * b,
  mul: (a, b) => a * b,
};

/** The test-only backend: registers matmul, unary and binary, each with a predicate. */
export const partialBackend: BackendDefinition = defineBackend('test-partial', {
  matmul: {
    accepts: (a, _as, _ta, b, _bs, _tb, out) => isFloat(a) && isFloat(b) && isFloat(out),
    kernel(a, aBatchStride, transA, b, bBatchStride, transB, out, batch, m, k, n) {
      for (let s = 0; s < batch; s++) {
        const ao = s * aBatchStride;
        const bo = s * bBatchStride;
        for (let i = 0; i < m; i++) {
          for (let j = 0; j < n; j++) {
            let acc = 0;
            for (let p = 0; p < k; p++) {
              const x = transA ? a[ao + p * m + i] : a[ao + i * k + p];
              const y = transB ? b[bo + j * k + p] : b[bo + p * n + j];
              acc += x * y;
            }
            out[s * m * n + i * n + j] = acc;
          }
        }
      }
    },
  },
  unary: {
    accepts: (op, x, _xOffset, out) => op in UNARY && isFloat(x) && isFloat(out),
    kernel(op, x, xOffset, out, n) {
      const f = UNARY[op];
      for (let i = 0; i < n; i++) out[i] = f(x[xOffset + i]);
    },
  },
  binary: {
    accepts: (op, a, b, _shape, out) => op in BINARY && isFloat(a.buf) && isFloat(b.buf) && isFloat(out),
    kernel(op, a, b, shape, out, alpha = 1) {
      const f = BINARY[op];
      eachIndex(shape, (flat, idx) => {
        out[flat] = f(at(a, idx), at(b, idx), alpha);
      });
    },
  },
});
