/// <reference types="@webgpu/types" />
// The 'webgpu' device: nabla's tensors in GPU buffers, computed by the WGSL kernels. Its memory
// has no synchronous read (a GPU read is asynchronous), so values reach the host only through
// the async readers (x.dataAsync(), x.toArrayAsync(), x.itemAsync()).

import type { DType, TypedArray } from '../../tensor/dtype.js';
import type { Backend } from '../backend.js';
import type { Device, DeviceMemory } from '../device.js';
import { type BackendDefinition, defineBackend } from '../kernels.js';
import { registerDevice } from '../registry.js';
import { type GpuArray, type GpuDType, WebGpuContext } from './context.js';
import { batchNorm, batchNormBackward } from './kernels/batchnorm.js';
import { conv2d, conv2dBackwardData, conv2dBackwardWeights } from './kernels/conv.js';
import { binary, clamp, copy, fill, unary, where } from './kernels/elementwise.js';
import { gather, scatterAdd } from './kernels/indexing.js';
import { matmul } from './kernels/matmul.js';
import { adadeltaStep, adamStep, sgdStep } from './kernels/optim.js';
import {
  adaptiveAvgPool2d,
  adaptiveAvgPool2dBackward,
  avgPool2d,
  avgPool2dBackward,
  maxPool2d,
  maxPool2dBackward,
} from './kernels/pool.js';
import { argReduce, reduce } from './kernels/reduce.js';
import { type RequestDeviceOptions, requestDevice } from './runtime.js';

/** The device name tensors and modules move to: `x.to('webgpu')`. */
export const WEBGPU_DEVICE = 'webgpu';

function gpuDType(dtype: DType, fn: string, hint = ''): GpuDType {
  if (dtype === 'float32' || dtype === 'int32' || dtype === 'bool') return dtype;
  throw new TypeError(
    `${fn}: the 'webgpu' device has no ${dtype} tensors (WebGPU computes in float32; int32 and bool are also stored); ` +
      `convert first, e.g. x.to('webgpu', 'float32')${hint}`,
  );
}

/** The memory functions of a WebGPU context as a nabla device's memory (no `readSync`). */
export function webGpuMemory(ctx: WebGpuContext): DeviceMemory<GpuArray> {
  const mine = new WeakSet<GpuArray>();
  const own = (a: GpuArray): GpuArray => {
    mine.add(a);
    return a;
  };
  return {
    hostMemory: false,
    statsDType: 'float32',
    isBuffer: (v): v is GpuArray => typeof v === 'object' && v !== null && mine.has(v as GpuArray),
    alloc: (dtype, length) => own(ctx.alloc(gpuDType(dtype, 'webgpu alloc'), length)),
    upload: (data, dtype) => own(ctx.upload(data, gpuDType(dtype, 'webgpu upload'))),
    write: (buf, data, offset) => ctx.write(buf, data, offset),
    read: (buf, offset, length) => ctx.read(buf, offset, length) as Promise<TypedArray>,
    length: (buf) => buf.length,
    window: (buf, offset) => {
      if (offset === 0) return buf;
      if (!Number.isInteger(offset) || offset < 0 || offset > buf.length) {
        throw new RangeError(`webgpu window: offset ${offset} is outside an array of ${buf.length}`);
      }
      return own({ buffer: buf.buffer, dtype: buf.dtype, length: buf.length - offset, offset: (buf.offset ?? 0) + offset });
    },
    // Windows share their array's buffer: only whole arrays go back to the pool.
    release: (buf) => {
      if ((buf.offset ?? 0) === 0) ctx.release(buf);
    },
  };
}

/** The WGSL kernels bound to `ctx`, as a device's kernel registrations (every kernel of the interface). */
export function webGpuBackend(ctx: WebGpuContext, name = WEBGPU_DEVICE): BackendDefinition<GpuArray> {
  const k: Partial<Omit<Backend<GpuArray>, 'name'>> = {
    copy: (s, d, sh) => copy(ctx, s, d, sh),
    fill: (d, sh, v) => fill(ctx, d, sh, v),
    unary: (op, x, xo, out, n) => unary(ctx, op, x, xo, out, n),
    clamp: (x, xo, out, n, lo, hi) => clamp(ctx, x, xo, out, n, lo, hi),
    binary: (op, a, b, sh, out, alpha) => binary(ctx, op, a, b, sh, out, alpha),
    where: (c, a, b, sh, out) => where(ctx, c, a, b, sh, out),
    reduce: (op, x, o, s, i, out) => reduce(ctx, op, x, o, s, i, out),
    argReduce: (op, x, o, s, i, out) => argReduce(ctx, op, x, o, s, i, out),
    matmul: (a, as, ta, b, bs, tb, out, bt, m, kk, n) => matmul(ctx, a, as, ta, b, bs, tb, out, bt, m, kk, n),
    gather: (x, o, s, i, ix, isz, out) => gather(ctx, x, o, s, i, ix, isz, out),
    scatterAdd: (x, o, s, i, ix, isz, out) => scatterAdd(ctx, x, o, s, i, ix, isz, out),
    conv2d: (x, w, b, out, p) => conv2d(ctx, x, w, b, out, p),
    conv2dBackwardData: (g, w, gi, p) => conv2dBackwardData(ctx, g, w, gi, p),
    conv2dBackwardWeights: (x, g, gw, gb, p) => conv2dBackwardWeights(ctx, x, g, gw, gb, p),
    maxPool2d: (x, out, ix, p) => maxPool2d(ctx, x, out, ix, p),
    maxPool2dBackward: (g, ix, gi, p) => maxPool2dBackward(ctx, g, ix, gi, p),
    avgPool2d: (x, out, p) => avgPool2d(ctx, x, out, p),
    avgPool2dBackward: (g, gi, p) => avgPool2dBackward(ctx, g, gi, p),
    adaptiveAvgPool2d: (x, out, p) => adaptiveAvgPool2d(ctx, x, out, p),
    adaptiveAvgPool2dBackward: (g, gi, p) => adaptiveAvgPool2dBackward(ctx, g, gi, p),
    batchNorm: (x, out, mu, v, w, b, p) => batchNorm(ctx, x, out, mu, v, w, b, p),
    batchNormBackward: (x, g, mu, v, w, gi, gw, gb, p) => batchNormBackward(ctx, x, g, mu, v, w, gi, gw, gb, p),
    sgdStep: (ps, gs, bs, init, o) => sgdStep(ctx, ps, gs, bs, init, o),
    adamStep: (ps, gs, ms, vs, mx, ss, bc, o) => adamStep(ctx, ps, gs, ms, vs, mx, ss, bc, o),
    adadeltaStep: (ps, gs, ss, us, o) => adadeltaStep(ctx, ps, gs, ss, us, o),
  };
  return defineBackend<GpuArray>(name, k);
}

/** A registered 'webgpu' device and the WebGPU context its tensors live in. */
export interface WebGpuDevice {
  /** The nabla device (`x.to(device.type)`). */
  readonly device: Device<GpuArray>;
  /** The WebGPU context: buffer pool, pipelines, statistics. */
  readonly context: WebGpuContext;
}

/**
 * Registers `ctx` as nabla's 'webgpu' device (replacing an earlier one for tensors created from
 * then on): tensors and modules move there with `.to('webgpu')`, and its ops run the WGSL kernels.
 * float64 is refused there (WebGPU has no float64), and values are read with the async readers
 * (`await x.dataAsync()`).
 */
export function useWebGpu(ctx: WebGpuContext): WebGpuDevice {
  const device = registerDevice(WEBGPU_DEVICE, webGpuMemory(ctx), webGpuBackend(ctx));
  return { device, context: ctx };
}

/**
 * Acquires a GPU and registers it as the 'webgpu' device. In a browser `gpu` defaults to
 * `navigator.gpu`; in Node use `initWebGpu` from `nabla/webgpu/node` (Dawn). Throws a
 * `WebGpuUnavailableError` saying why when there is no adapter.
 */
export async function initWebGpu(gpu?: GPU, options: RequestDeviceOptions = {}, noAdapterHint = ''): Promise<WebGpuDevice> {
  const { device, report } = await requestDevice(gpu, options, noAdapterHint);
  return useWebGpu(new WebGpuContext(device, report));
}
