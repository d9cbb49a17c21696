import { isContiguous, numelOf } from '../../tensor/shape.js';
import type { Backend, Conv2dParams, Strided } from '../backend.js';
import { jsBackend } from '../js/index.js';
import { conv2dParamArray, type NativeAddon } from './addon.js';

// Below this many multiply-adds the N-API call costs more than the TypeScript loop (measured with
// bench/run.ts: exercise 1's 4×4 products stay in TypeScript).
const MIN_GEMM_MACS = 16 * 16 * 16;

// Each new conv shape costs oneDNN a primitive build (JIT, ~ms); below this many multiply-adds
// the TypeScript kernel finishes first (small test models, LeNet-sized layers).
const MIN_CONV_MACS = 1 << 22;

// Memory-bound elementwise passes go native (two threads, vector code) from this many elements.
const MIN_ELEMENTWISE = 1 << 16;

const isF32 = (...arrays: unknown[]) => arrays.every((a) => a === null || a instanceof Float32Array);

/** A dense float32 operand's elements from its offset, or null if it is strided or broadcast. */
function dense(o: Strided, shape: readonly number[]): Float32Array | null {
  if (!(o.buf instanceof Float32Array) || !isContiguous(shape, o.strides)) return null;
  return o.offset === 0 ? o.buf : o.buf.subarray(o.offset);
}
const convMacs = (p: Conv2dParams) => (p.batch * p.outChannels * p.outH * p.outW * p.inChannels * p.kernelH * p.kernelW) / p.groups;

/**
 * The native backend: oneDNN kernels for float32 work large enough to pay for the call, the
 * TypeScript reference kernels for everything else. Reads and writes the tensors' own buffers.
 */
export function nativeBackend(addon: NativeAddon): Backend {
  return {
    ...jsBackend,
    name: 'native',
    matmul(a, aBatchStride, transA, b, bBatchStride, transB, out, batch, m, k, n) {
      if (m * n * k >= MIN_GEMM_MACS && isF32(a, b, out)) {
        addon.sgemm(transA, transB, batch, m, n, k, a as Float32Array, aBatchStride, b as Float32Array, bBatchStride, out as Float32Array);
        return;
      }
      jsBackend.matmul(a, aBatchStride, transA, b, bBatchStride, transB, out, batch, m, k, n);
    },
    unary(op, x, xOffset, out, n) {
      if (op === 'relu' && n >= MIN_ELEMENTWISE && isF32(x, out)) {
        addon.relu((xOffset === 0 ? x : x.subarray(xOffset)) as Float32Array, out as Float32Array, n);
        return;
      }
      jsBackend.unary(op, x, xOffset, out, n);
    },
    binary(op, a, b, shape, out, alpha = 1) {
      if ((op === 'reluGrad' || op === 'add' || op === 'sub') && out instanceof Float32Array && out.length >= MIN_ELEMENTWISE) {
        const da = dense(a, shape);
        const db = dense(b, shape);
        const n = numelOf(shape);
        if (da !== null && db !== null && n >= MIN_ELEMENTWISE) {
          if (op === 'reluGrad') addon.reluBackward(da, db, out, n);
          else addon.axpy(da, db, out, op === 'add' ? alpha : -alpha, n);
          return;
        }
      }
      jsBackend.binary(op, a, b, shape, out, alpha);
    },
    conv2d(x, weight, bias, out, p) {
      if (convMacs(p) < MIN_CONV_MACS || !isF32(x, weight, bias, out)) return jsBackend.conv2d(x, weight, bias, out, p);
      addon.conv2dForward(conv2dParamArray(p), x as Float32Array, weight as Float32Array, bias as Float32Array | null, out as Float32Array);
    },
    conv2dBackwardData(gradOut, weight, gradInput, p) {
      if (convMacs(p) < MIN_CONV_MACS || !isF32(gradOut, weight, gradInput))
        return jsBackend.conv2dBackwardData(gradOut, weight, gradInput, p);
      addon.conv2dBackwardData(conv2dParamArray(p), gradOut as Float32Array, weight as Float32Array, gradInput as Float32Array);
    },
    conv2dBackwardWeights(x, gradOut, gradWeight, gradBias, p) {
      // oneDNN always produces the weight gradient; a bias-only request stays in TypeScript.
      if (gradWeight === null || convMacs(p) < MIN_CONV_MACS || !isF32(x, gradOut, gradWeight, gradBias)) {
        return jsBackend.conv2dBackwardWeights(x, gradOut, gradWeight, gradBias, p);
      }
      addon.conv2dBackwardWeights(
        conv2dParamArray(p),
        x as Float32Array,
        gradOut as Float32Array,
        gradWeight as Float32Array,
        gradBias as Float32Array | null,
      );
    },
  };
}
