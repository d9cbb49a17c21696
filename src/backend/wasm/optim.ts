import type { TypedArray } from '../../tensor/dtype.js';
import type { KernelRegistrations } from '../kernels.js';
import { withCall } from './call.js';
import type { WasmRuntime } from './runtime.js';

// Below this many elements per group the TypeScript loops beat staging every state array.
const MIN_OPTIM = 1 << 12;

const f = Math.fround;
const allF32 = (...groups: (TypedArray[] | null)[]) => groups.every((g) => g === null || g.every((a) => a instanceof Float32Array));
const total = (g: TypedArray[]) => g.reduce((s, a) => s + a.length, 0);

/**
 * The fused optimizer steps on the wasm kernels (float32), bit for bit the reference's and so
 * PyTorch 1.13's: the same float32 scalars (cast here with Math.fround), the same operation order
 * and exactly rounded fused multiply-adds.
 */
export function optimKernels(rt: WasmRuntime): KernelRegistrations {
  const e = rt.exports;
  return {
    sgdStep: {
      accepts: (params, grads, buffers) => total(params) >= MIN_OPTIM && allF32(params, grads, buffers),
      kernel: (params, grads, buffers, initBuffers, o) => {
        for (let t = 0; t < params.length; t++) {
          if (params[t].length === 0) continue;
          withCall(rt, (c) => {
            const pb = buffers === null ? 0 : c.output(buffers[t], true);
            e.sgdStepF32(
              c.output(params[t], true),
              c.input(grads[t]),
              pb,
              params[t].length,
              initBuffers[t] === true ? 1 : 0,
              f(o.lr),
              f(o.momentum),
              f(1 - o.dampening),
              f(o.weightDecay),
              o.nesterov ? 1 : 0,
              o.maximize ? 1 : 0,
            );
          });
        }
      },
    },
    adamStep: {
      accepts: (params, grads, expAvgs, expAvgSqs, maxExpAvgSqs) =>
        total(params) >= MIN_OPTIM && allF32(params, grads, expAvgs, expAvgSqs, maxExpAvgSqs),
      kernel: (params, grads, expAvgs, expAvgSqs, maxExpAvgSqs, stepSizes, bc2Sqrts, o) => {
        const decay = f(1 - o.lr * o.weightDecay);
        for (let t = 0; t < params.length; t++) {
          if (params[t].length === 0) continue;
          withCall(rt, (c) => {
            const pmx = maxExpAvgSqs === null ? 0 : c.output(maxExpAvgSqs[t], true);
            e.adamStepF32(
              c.output(params[t], true),
              c.input(grads[t]),
              c.output(expAvgs[t], true),
              c.output(expAvgSqs[t], true),
              pmx,
              params[t].length,
              !o.decoupled && o.weightDecay !== 0 ? 1 : 0,
              f(o.weightDecay),
              o.decoupled && decay !== 1 ? 1 : 0,
              decay,
              f(o.beta1),
              f(1 - o.beta1),
              f(o.beta2),
              f(1 - o.beta2),
              f(o.eps),
              f(-stepSizes[t]),
              f(bc2Sqrts[t]),
              o.maximize ? 1 : 0,
            );
          });
        }
      },
    },
    adadeltaStep: {
      accepts: (params, grads, squareAvgs, accDeltas) => total(params) >= MIN_OPTIM && allF32(params, grads, squareAvgs, accDeltas),
      kernel: (params, grads, squareAvgs, accDeltas, o) => {
        for (let t = 0; t < params.length; t++) {
          if (params[t].length === 0) continue;
          withCall(rt, (c) => {
            e.adadeltaStepF32(
              c.output(params[t], true),
              c.input(grads[t]),
              c.output(squareAvgs[t], true),
              c.output(accDeltas[t], true),
              params[t].length,
              f(o.weightDecay),
              f(o.rho),
              f(1 - o.rho),
              f(o.eps),
              f(-o.lr),
              o.maximize ? 1 : 0,
            );
          });
        }
      },
    },
  };
}
