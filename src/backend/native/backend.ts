import type { TypedArray } from '../../tensor/dtype.js';
import { isContiguous, numelOf } from '../../tensor/shape.js';
import type { Conv2dParams, Strided } from '../backend.js';
import type { FusedKernels } from '../fused.js';
import { type BackendDefinition, defineBackend } from '../kernels.js';
import { adaptivePool2dParamArray, avgPool2dParamArray, conv2dParamArray, type NativeAddon, pool2dParamArray } from './addon.js';

// Below this many multiply-adds the N-API call costs more than the TypeScript loop (measured with
// bench/run.ts: exercise 1's 4×4 products stay in TypeScript).
const MIN_GEMM_MACS = 16 * 16 * 16;

// Each new conv shape costs oneDNN a primitive build (JIT, ~ms); below this many multiply-adds
// the TypeScript kernel finishes first (small test models, LeNet-sized layers).
const MIN_CONV_MACS = 1 << 22;

// Memory-bound elementwise passes go native (two threads, vector code) from this many elements.
const MIN_ELEMENTWISE = 1 << 16;

const isF32 = (...arrays: unknown[]) => arrays.every((a) => a === null || a instanceof Float32Array);

// Batch norm goes native from this many elements (measured on the 2-core machine, [8, 16, ·]:
// 1024 elements 4.3 µs in TypeScript vs 2.8 µs native, 256 elements 1.7 vs 1.6 µs).
const MIN_BATCHNORM = 1 << 10;

// Max and average pooling go native from this many input elements: a per-window loop like batch norm's per-
// channel one, given batch norm's threshold (not measured separately).
const MIN_POOL = 1 << 10;

// The native kernels read divisorOverride as an int32.
const fitsInt32 = (v: number) => Math.abs(v) <= 0x7fffffff;

// A fused optimizer step goes native from this many elements in its group (measured, SGD with
// momentum over 8 tensors: 1024 elements 16 µs in TypeScript vs 9.7 µs native, 256 elements 4.5
// vs 7.4 µs, where unpacking the arrays costs more than the pass).
const MIN_STEP_ELEMENTS = 1 << 10;

/** Whether every array of every list is float32 and the lists hold at least `min` elements in all. */
function stepOperands(min: number, first: TypedArray[], ...lists: (TypedArray[] | null)[]): boolean {
  let total = 0;
  for (const a of first) {
    if (!(a instanceof Float32Array)) return false;
    total += a.length;
  }
  if (total < min) return false;
  for (const l of lists) if (l !== null) for (const a of l) if (!(a instanceof Float32Array)) return false;
  return true;
}

/** A dense float32 operand's elements from its offset, or null if it is strided or broadcast. */
function dense(o: Strided, shape: readonly number[]): Float32Array | null {
  if (!(o.buf instanceof Float32Array) || !isContiguous(shape, o.strides)) return null;
  return o.offset === 0 ? o.buf : o.buf.subarray(o.offset);
}
const convMacs = (p: Conv2dParams) => (p.batch * p.outChannels * p.outH * p.outW * p.inChannels * p.kernelH * p.kernelW) / p.groups;

/**
 * The native backend: oneDNN kernels for float32 work large enough to pay for the call. Each
 * kernel registers with a predicate (its size threshold and dtype); calls it declines, and the
 * kernels it does not register, run on the TypeScript reference kernels. Reads and writes the
 * tensors' own buffers.
 */
export function nativeBackend(addon: NativeAddon): BackendDefinition {
  return defineBackend('native', {
    maxPool2d: {
      accepts: (x, out, _indices, p) => p.planes * p.inH * p.inW >= MIN_POOL && isF32(x, out),
      kernel: (x, out, indices, p) => addon.maxPool2d(pool2dParamArray(p), x as Float32Array, out as Float32Array, indices),
    },
    maxPool2dBackward: {
      accepts: (gradOut, _indices, gradInput, p) => p.planes * p.inH * p.inW >= MIN_POOL && isF32(gradOut, gradInput),
      kernel: (gradOut, indices, gradInput, p) =>
        addon.maxPool2dBackward(pool2dParamArray(p), gradOut as Float32Array, indices, gradInput as Float32Array),
    },
    avgPool2d: {
      accepts: (x, out, p) => p.planes * p.inH * p.inW >= MIN_POOL && fitsInt32(p.divisorOverride) && isF32(x, out),
      kernel: (x, out, p) => addon.avgPool2d(avgPool2dParamArray(p), x as Float32Array, out as Float32Array),
    },
    avgPool2dBackward: {
      accepts: (gradOut, gradInput, p) => p.planes * p.inH * p.inW >= MIN_POOL && fitsInt32(p.divisorOverride) && isF32(gradOut, gradInput),
      kernel: (gradOut, gradInput, p) =>
        addon.avgPool2dBackward(avgPool2dParamArray(p), gradOut as Float32Array, gradInput as Float32Array),
    },
    adaptiveAvgPool2d: {
      accepts: (x, out, p) => p.planes * p.inH * p.inW >= MIN_POOL && isF32(x, out),
      kernel: (x, out, p) => addon.adaptiveAvgPool2d(adaptivePool2dParamArray(p), x as Float32Array, out as Float32Array),
    },
    adaptiveAvgPool2dBackward: {
      accepts: (gradOut, gradInput, p) => p.planes * p.inH * p.inW >= MIN_POOL && isF32(gradOut, gradInput),
      kernel: (gradOut, gradInput, p) =>
        addon.adaptiveAvgPool2dBackward(adaptivePool2dParamArray(p), gradOut as Float32Array, gradInput as Float32Array),
    },
    batchNorm: {
      accepts: (x, out, _mean, _variance, weight, bias, p) =>
        p.batch * p.channels * p.spatial >= MIN_BATCHNORM && isF32(x, out, weight, bias),
      kernel: (x, out, mean, variance, weight, bias, p) =>
        addon.batchNorm(
          x as Float32Array,
          out as Float32Array,
          mean,
          variance,
          weight as Float32Array | null,
          bias as Float32Array | null,
          p.batch,
          p.channels,
          p.spatial,
          p.eps,
          p.training,
        ),
    },
    batchNormBackward: {
      accepts: (x, gradOut, _mean, _variance, weight, gradInput, gradWeight, gradBias, p) =>
        p.batch * p.channels * p.spatial >= MIN_BATCHNORM && isF32(x, gradOut, weight, gradInput, gradWeight, gradBias),
      kernel: (x, gradOut, mean, variance, weight, gradInput, gradWeight, gradBias, p) =>
        addon.batchNormBackward(
          x as Float32Array,
          gradOut as Float32Array,
          mean,
          variance,
          weight as Float32Array | null,
          gradInput as Float32Array | null,
          gradWeight as Float32Array | null,
          gradBias as Float32Array | null,
          p.batch,
          p.channels,
          p.spatial,
          p.eps,
          p.training,
        ),
    },
    sgdStep: {
      accepts: (params, grads, buffers) => stepOperands(MIN_STEP_ELEMENTS, params, grads, buffers),
      kernel: (params, grads, buffers, init, o) =>
        addon.sgdStep(params as Float32Array[], grads as Float32Array[], buffers as Float32Array[] | null, init, o),
    },
    adamStep: {
      accepts: (params, grads, m, v, mx) => stepOperands(MIN_STEP_ELEMENTS, params, grads, m, v, mx),
      kernel: (params, grads, m, v, mx, stepSizes, bc2Sqrts, o) =>
        addon.adamStep(
          params as Float32Array[],
          grads as Float32Array[],
          m as Float32Array[],
          v as Float32Array[],
          mx as Float32Array[] | null,
          stepSizes,
          bc2Sqrts,
          o,
        ),
    },
    adadeltaStep: {
      accepts: (params, grads, s, u) => stepOperands(MIN_STEP_ELEMENTS, params, grads, s, u),
      kernel: (params, grads, s, u, o) =>
        addon.adadeltaStep(params as Float32Array[], grads as Float32Array[], s as Float32Array[], u as Float32Array[], o),
    },
    matmul: {
      accepts: (a, _aBatchStride, _transA, b, _bBatchStride, _transB, out, _batch, m, k, n) =>
        m * n * k >= MIN_GEMM_MACS && isF32(a, b, out),
      kernel: (a, aBatchStride, transA, b, bBatchStride, transB, out, batch, m, k, n) =>
        addon.sgemm(transA, transB, batch, m, n, k, a as Float32Array, aBatchStride, b as Float32Array, bBatchStride, out as Float32Array),
    },
    unary: {
      accepts: (op, x, _xOffset, out, n) => op === 'relu' && n >= MIN_ELEMENTWISE && isF32(x, out),
      kernel: (_op, x, xOffset, out, n) => addon.relu((xOffset === 0 ? x : x.subarray(xOffset)) as Float32Array, out as Float32Array, n),
    },
    binary: {
      accepts: (op, a, b, shape, out) =>
        (op === 'reluGrad' || op === 'add' || op === 'sub') &&
        out instanceof Float32Array &&
        out.length >= MIN_ELEMENTWISE &&
        numelOf(shape) >= MIN_ELEMENTWISE &&
        dense(a, shape) !== null &&
        dense(b, shape) !== null,
      kernel: (op, a, b, shape, out, alpha = 1) => {
        const da = dense(a, shape) as Float32Array;
        const db = dense(b, shape) as Float32Array;
        const n = numelOf(shape);
        if (op === 'reluGrad') addon.reluBackward(da, db, out as Float32Array, n);
        else addon.axpy(da, db, out as Float32Array, op === 'add' ? alpha : -alpha, n);
      },
    },
    conv2d: {
      accepts: (x, weight, bias, out, p) => convMacs(p) >= MIN_CONV_MACS && isF32(x, weight, bias, out),
      kernel: (x, weight, bias, out, p) =>
        addon.conv2dForward(
          conv2dParamArray(p),
          x as Float32Array,
          weight as Float32Array,
          bias as Float32Array | null,
          out as Float32Array,
        ),
    },
    conv2dBackwardData: {
      accepts: (gradOut, weight, gradInput, p) => convMacs(p) >= MIN_CONV_MACS && isF32(gradOut, weight, gradInput),
      kernel: (gradOut, weight, gradInput, p) =>
        addon.conv2dBackwardData(conv2dParamArray(p), gradOut as Float32Array, weight as Float32Array, gradInput as Float32Array),
    },
    conv2dBackwardWeights: {
      // oneDNN always produces the weight gradient; a bias-only request stays in TypeScript.
      accepts: (x, gradOut, gradWeight, gradBias, p) =>
        gradWeight !== null && convMacs(p) >= MIN_CONV_MACS && isF32(x, gradOut, gradWeight, gradBias),
      kernel: (x, gradOut, gradWeight, gradBias, p) =>
        addon.conv2dBackwardWeights(
          conv2dParamArray(p),
          x as Float32Array,
          gradOut as Float32Array,
          gradWeight as Float32Array,
          gradBias as Float32Array | null,
        ),
    },
  });
}

/**
 * The native backend's fused kernels: both convolution gradients in one call, on the conditions
 * under which the native backend takes each of the two kernels.
 */
export function nativeFusedKernels(addon: NativeAddon): FusedKernels {
  return {
    conv2dBackward: (x, gradOut, weight, gradInput, gradWeight, gradBias, p) => {
      if (convMacs(p) < MIN_CONV_MACS || !isF32(x, gradOut, weight, gradInput, gradWeight, gradBias)) return false;
      addon.conv2dBackward(
        conv2dParamArray(p),
        x as Float32Array,
        gradOut as Float32Array,
        weight as Float32Array,
        gradInput as Float32Array,
        gradWeight as Float32Array,
        gradBias as Float32Array | null,
      );
      return true;
    },
  };
}
