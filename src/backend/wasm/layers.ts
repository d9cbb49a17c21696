import { type AvgPool2dParams, type BatchNormParams, type Pool2dParams, pool2dParamList } from '../backend.js';
import type { KernelRegistrations } from '../kernels.js';
import { run, split, threadsFor, withCall } from './call.js';
import type { WasmRuntime } from './runtime.js';

// Below this many input elements the TypeScript loops beat staging the operands (measured
// with bench/wasm-ops.ts).
const MIN_POOL = 1 << 14;
const MIN_BATCH_NORM = 1 << 14;

const f32 = (...arrays: unknown[]) => arrays.every((a) => a === null || a instanceof Float32Array);
const inputSize = (p: Pool2dParams) => p.planes * p.inH * p.inW;
const avgParams = (p: AvgPool2dParams) => [...pool2dParamList(p), p.countIncludePad ? 1 : 0, p.divisorOverride];
/** Plane ranges, one per thread; work ≈ input elements × taps. */
const planes = (rt: WasmRuntime, p: Pool2dParams) =>
  split(p.planes, threadsFor(rt, p.planes, inputSize(p) * Math.max(1, (p.kernelH * p.kernelW) / (p.strideH * p.strideW))));

/** Max and average pooling (forward and backward) and batch norm on the wasm kernels, float32. */
export function layerKernels(rt: WasmRuntime): KernelRegistrations {
  const e = rt.exports;
  return {
    maxPool2d: {
      accepts: (x, out, _indices, p) => inputSize(p) >= MIN_POOL && f32(x, out),
      kernel: (x, out, indices, p) =>
        withCall(rt, (c) => {
          const pp = c.ints(pool2dParamList(p));
          const px = c.input(x);
          const po = c.output(out);
          const pi = c.output(indices);
          run(
            rt,
            'maxPool2dF32',
            planes(rt, p).map(([c0, c1]) => [pp, c0, c1, px, po, pi, c.scratch(32)]),
          );
        }),
    },
    maxPool2dBackward: {
      accepts: (gradOut, _indices, gradInput, p) => inputSize(p) >= MIN_POOL && f32(gradOut, gradInput),
      kernel: (gradOut, indices, gradInput, p) =>
        withCall(rt, (c) => {
          const pp = c.ints(pool2dParamList(p));
          const pg = c.input(gradOut);
          const pi = c.input(indices);
          const pd = c.output(gradInput);
          run(
            rt,
            'maxPool2dBackwardF32',
            planes(rt, p).map(([c0, c1]) => [pp, c0, c1, pg, pi, pd]),
          );
        }),
    },
    avgPool2d: {
      accepts: (x, out, p) => inputSize(p) >= MIN_POOL && f32(x, out),
      kernel: (x, out, p) =>
        withCall(rt, (c) => {
          const pp = c.ints(avgParams(p));
          const px = c.input(x);
          const po = c.output(out);
          run(
            rt,
            'avgPool2dF32',
            planes(rt, p).map(([c0, c1]) => [pp, c0, c1, px, po]),
          );
        }),
    },
    avgPool2dBackward: {
      accepts: (gradOut, gradInput, p) => inputSize(p) >= MIN_POOL && f32(gradOut, gradInput),
      kernel: (gradOut, gradInput, p) =>
        withCall(rt, (c) => {
          const pp = c.ints(avgParams(p));
          const pg = c.input(gradOut);
          const pd = c.output(gradInput);
          run(
            rt,
            'avgPool2dBackwardF32',
            // Each thread accumulates its planes in its own double scratch plane.
            planes(rt, p).map(([c0, c1]) => [pp, c0, c1, pg, pd, c.scratch(p.inH * p.inW * 8)]),
          );
        }),
    },
    batchNorm: {
      accepts: (x, out, _mean, _variance, weight, bias, p: BatchNormParams) =>
        p.batch * p.channels * p.spatial >= MIN_BATCH_NORM && f32(x, out, weight, bias),
      kernel: (x, out, mean, variance, weight, bias, p) =>
        withCall(rt, (c) => {
          const px = c.input(x);
          const po = c.output(out);
          const pm = p.training ? c.output(mean) : c.input(mean);
          const pv = p.training ? c.output(variance) : c.input(variance);
          const pw = c.input(weight);
          const pb = c.input(bias);
          e.batchNormF32(px, po, pm, pv, pw, pb, p.batch, p.channels, p.spatial, p.eps, p.training ? 1 : 0, 0, p.channels);
        }),
    },
    batchNormBackward: {
      accepts: (x, gradOut, _mean, _variance, weight, gradInput, gradWeight, gradBias, p) =>
        p.batch * p.channels * p.spatial >= MIN_BATCH_NORM && f32(x, gradOut, weight, gradInput, gradWeight, gradBias),
      kernel: (x, gradOut, mean, variance, weight, gradInput, gradWeight, gradBias, p) =>
        withCall(rt, (c) => {
          e.batchNormBackwardF32(
            c.input(x),
            c.input(gradOut),
            c.input(mean),
            c.input(variance),
            c.input(weight),
            c.output(gradInput),
            c.output(gradWeight),
            c.output(gradBias),
            p.batch,
            p.channels,
            p.spatial,
            p.eps,
            p.training ? 1 : 0,
            0,
            p.channels,
          );
        }),
    },
  };
}
