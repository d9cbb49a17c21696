import type { Backend } from '../backend.js';
import { jsBackend } from '../js/index.js';
import type { NativeAddon } from './addon.js';

// Below this many multiply-adds the N-API call costs more than the TypeScript loop (measured with
// bench/run.ts: exercise 1's 4×4 products stay in TypeScript).
const MIN_GEMM_MACS = 16 * 16 * 16;

/**
 * The native backend: oneDNN kernels for float32 work large enough to pay for the call, the
 * TypeScript reference kernels for everything else. Reads and writes the tensors' own buffers.
 */
export function nativeBackend(addon: NativeAddon): Backend {
  return {
    ...jsBackend,
    name: 'native',
    matmul(a, aBatchStride, b, bBatchStride, out, batch, m, k, n) {
      if (out instanceof Float32Array && a instanceof Float32Array && b instanceof Float32Array && m * n * k >= MIN_GEMM_MACS) {
        addon.sgemm(false, false, batch, m, n, k, a, aBatchStride, b, bBatchStride, out);
        return;
      }
      jsBackend.matmul(a, aBatchStride, b, bBatchStride, out, batch, m, k, n);
    },
  };
}
