import { type Conv2dParams, conv2dParamList } from '../backend.js';
import { type BackendDefinition, defineBackend } from '../kernels.js';
import { Call, run, split, threadsFor } from './call.js';
import { elementwiseKernels } from './elementwise.js';
import { layerKernels } from './layers.js';
import { optimKernels } from './optim.js';
import type { WasmRuntime } from './runtime.js';

// Below this many multiply-adds the TypeScript loop finishes before the operands are staged
// (exercise 1's 4×4 products stay in TypeScript, as on the native backend).
const MIN_GEMM_MACS = 16 * 16 * 16;
const MIN_CONV_MACS = 1 << 15;

const isF32 = (...arrays: unknown[]) => arrays.every((a) => a === null || a instanceof Float32Array);
const convMacs = (p: Conv2dParams) => (p.batch * p.outChannels * p.outH * p.outW * p.inChannels * p.kernelH * p.kernelW) / p.groups;

/**
 * The WebAssembly SIMD backend: packed, register-blocked float32 GEMM and im2col convolutions
 * (forward, backward-data, backward-weights) from wasm/assembly, split over worker threads when a
 * pool shares the memory. Small or non-float32 calls, and every other kernel, run on the
 * TypeScript reference kernels over the same arrays.
 */
export function wasmBackend(rt: WasmRuntime): BackendDefinition {
  const e = rt.exports;
  const packA = e.packABytes();
  return defineBackend('wasm', {
    ...elementwiseKernels(rt),
    ...layerKernels(rt),
    ...optimKernels(rt),
    matmul: {
      accepts: (a, _aBatchStride, _transA, b, _bBatchStride, _transB, out, _batch, m, k, n) =>
        m * n * k >= MIN_GEMM_MACS && isF32(a, b, out),
      kernel: (a, aBatchStride, transA, b, bBatchStride, transB, out, batch, m, k, n) => {
        const c = new Call(rt);
        try {
          const pa = c.input(a);
          const pb = c.input(b);
          const po = c.output(out);
          const lda = transA ? m : k;
          const ldb = transB ? k : n;
          const macs = batch * m * n * k;
          const packB = e.packBBytes(n);
          // Split the batch when it has enough matrices, else the rows of each product.
          const byBatch = batch >= (rt.threads?.size ?? 1);
          const t = threadsFor(rt, byBatch ? batch : Math.ceil(m / 4), macs);
          const args: number[][] = [];
          if (byBatch || t === 1) {
            for (const [b0, b1] of split(batch, t))
              args.push([
                b0,
                b1,
                m,
                n,
                k,
                pa,
                aBatchStride,
                lda,
                +transA,
                pb,
                bBatchStride,
                ldb,
                +transB,
                po,
                m * n,
                n,
                c.scratch(packA),
                c.scratch(packB),
              ]);
          } else {
            for (const [r0, r1] of split(m, t, 4)) {
              const aRows = pa + 4 * (transA ? r0 : r0 * k);
              args.push([
                0,
                batch,
                r1 - r0,
                n,
                k,
                aRows,
                aBatchStride,
                lda,
                +transA,
                pb,
                bBatchStride,
                ldb,
                +transB,
                po + 4 * r0 * n,
                m * n,
                n,
                c.scratch(packA),
                c.scratch(packB),
              ]);
            }
          }
          run(rt, 'sgemmBatch', args);
        } finally {
          c.finish();
        }
      },
    },
    conv2d: {
      accepts: (x, weight, bias, out, p) => convMacs(p) >= MIN_CONV_MACS && isF32(x, weight, bias, out),
      kernel: (x, weight, bias, out, p) => {
        const c = new Call(rt);
        try {
          const pp = c.ints(conv2dParamList(p));
          const px = c.input(x);
          const pw = c.input(weight);
          const pbias = c.input(bias);
          const po = c.output(out);
          const col = e.colBytes(pp);
          const packB = e.packBBytes(p.outH * p.outW);
          const args = split(p.batch, threadsFor(rt, p.batch, convMacs(p))).map(([b0, b1]) => [
            pp,
            b0,
            b1,
            px,
            pw,
            pbias,
            po,
            c.scratch(col),
            c.scratch(packA),
            c.scratch(packB),
          ]);
          run(rt, 'conv2dForward', args);
        } finally {
          c.finish();
        }
      },
    },
    conv2dBackwardData: {
      accepts: (gradOut, weight, gradInput, p) => convMacs(p) >= MIN_CONV_MACS && isF32(gradOut, weight, gradInput),
      kernel: (gradOut, weight, gradInput, p) => {
        const c = new Call(rt);
        try {
          const pp = c.ints(conv2dParamList(p));
          const pg = c.input(gradOut);
          const pw = c.input(weight);
          const pi = c.output(gradInput);
          const col = e.colBytes(pp);
          const packB = e.packBBytes(p.outH * p.outW);
          const args = split(p.batch, threadsFor(rt, p.batch, convMacs(p))).map(([b0, b1]) => [
            pp,
            b0,
            b1,
            pg,
            pw,
            pi,
            c.scratch(col),
            c.scratch(packA),
            c.scratch(packB),
          ]);
          run(rt, 'conv2dBackwardData', args);
        } finally {
          c.finish();
        }
      },
    },
    conv2dBackwardWeights: {
      accepts: (x, gradOut, gradWeight, gradBias, p) => convMacs(p) >= MIN_CONV_MACS && isF32(x, gradOut, gradWeight, gradBias),
      kernel: (x, gradOut, gradWeight, gradBias, p) => {
        const c = new Call(rt);
        try {
          const pp = c.ints(conv2dParamList(p));
          const px = c.input(x);
          const pg = c.input(gradOut);
          const pw = c.output(gradWeight);
          const pbias = c.output(gradBias);
          const wBytes = gradWeight === null ? 0 : gradWeight.byteLength;
          const bBytes = gradBias === null ? 0 : gradBias.byteLength;
          const col = e.colBytes(pp);
          const K = (p.inChannels / p.groups) * p.kernelH * p.kernelW;
          const packB = e.packBBytes(K);
          const ranges = split(p.batch, threadsFor(rt, p.batch, convMacs(p)));
          // Thread 0 accumulates into the outputs, the others into zeroed partial sums added after.
          const partial = ranges.map((_, i) =>
            i === 0 ? [pw, pbias] : [pw === 0 ? 0 : c.zeros(wBytes), pbias === 0 ? 0 : c.zeros(bBytes)],
          );
          if (pw !== 0) rt.heap.f32.fill(0, pw >>> 2, (pw + wBytes) >>> 2);
          if (pbias !== 0) rt.heap.f32.fill(0, pbias >>> 2, (pbias + bBytes) >>> 2);
          const args = ranges.map(([b0, b1], i) => [
            pp,
            b0,
            b1,
            px,
            pg,
            partial[i][0],
            partial[i][1],
            c.scratch(col),
            c.scratch(packA),
            c.scratch(packB),
          ]);
          run(rt, 'conv2dBackwardWeights', args);
          for (let i = 1; i < partial.length; i++) {
            if (pw !== 0) e.addInto(pw, partial[i][0], wBytes >>> 2);
            if (pbias !== 0) e.addInto(pbias, partial[i][1], bBytes >>> 2);
          }
        } finally {
          c.finish();
        }
      },
    },
  });
}
