// The WebGPU runtime: errors a user can act on (no adapter, out of memory, a shader that does not
// compile names its kernel), the buffer pool, many kernels per submit, and pipelines compiled once.
import { afterAll, describe, expect, it } from 'vitest';
import { type WebGpuContext, WebGpuKernelError, WebGpuOutOfMemoryError } from '../../../src/backend/webgpu/context.js';
import * as gpu from '../../../src/backend/webgpu/index.js';
import { requestDevice, WebGpuUnavailableError } from '../../../src/backend/webgpu/runtime.js';
import { openGpu } from './gpu.js';

const setup = await openGpu();
const ctx = setup.ctx as WebGpuContext;
if (!setup.ctx) console.warn(`webgpu runtime tests skipped: ${setup.reason}`);
afterAll(() => setup.ctx?.destroy());

describe('webgpu device acquisition', () => {
  it('says why when there is no WebGPU or no adapter', async () => {
    await expect(requestDevice(undefined)).rejects.toThrow(/no WebGPU \(navigator\.gpu is undefined\)/);
    const noAdapter = { requestAdapter: async () => null } as unknown as GPU;
    const err = await requestDevice(noAdapter, {}, 'install libvulkan1').catch((e) => e);
    expect(err).toBeInstanceOf(WebGpuUnavailableError);
    expect(err.message).toMatch(/no adapter.*install libvulkan1/);
  });
});

describe.skipIf(!setup.ctx)('webgpu runtime', () => {
  it('reports the adapter: vendor, architecture, fallback or not, features, limits', () => {
    const r = ctx.adapter;
    expect(typeof r.vendor).toBe('string');
    expect(typeof r.isFallbackAdapter).toBe('boolean');
    expect(r.limits.maxStorageBufferBindingSize).toBeGreaterThan(0);
    expect(Array.isArray(r.features)).toBe(true);
  });

  it('an allocation beyond the device limit is an out-of-memory error naming both sizes', () => {
    const limit = ctx.device.limits.maxStorageBufferBindingSize;
    const n = Math.ceil(limit / 4) + 1024;
    expect(() => ctx.alloc('float32', n)).toThrow(WebGpuOutOfMemoryError);
    expect(() => ctx.alloc('float32', n)).toThrow(/out of memory: float32\[\d+\] needs [\d.]+ MiB .* limit is [\d.]+ MiB/);
  });

  it('a shader that does not compile is reported naming its kernel', async () => {
    ctx.pipeline('myBrokenKernel', 'broken:1', () => '@compute @workgroup_size(1) fn main() { let x: f32 = undefinedThing; }');
    const err = await ctx.read(ctx.alloc('float32', 1)).catch((e) => e);
    expect(err).toBeInstanceOf(WebGpuKernelError);
    expect(err.message).toMatch(/webgpu kernel 'myBrokenKernel': shader failed to compile: .*undefinedThing/);
    // The context stays usable afterwards.
    expect(Array.from(await ctx.read(ctx.upload(new Float32Array([1, 2]))))).toEqual([1, 2]);
  });

  it('pools buffers, encodes many kernels per submit, compiles each pipeline once', async () => {
    const x = ctx.upload(new Float32Array(1000).fill(1));
    const before = { ...ctx.stats };
    let y = x;
    for (let i = 0; i < 50; i++) {
      const z = ctx.allocUninit('float32', 1000);
      gpu.binary(ctx, 'add', { buf: y, offset: 0, strides: [1] }, { buf: x, offset: 0, strides: [1] }, [1000], z);
      if (y !== x) ctx.release(y);
      y = z;
    }
    const out = await ctx.read(y);
    expect(out[0]).toBe(51);
    expect(out[999]).toBe(51);
    expect(ctx.stats.submits - before.submits).toBe(1);
    expect(ctx.stats.dispatches - before.dispatches).toBe(50);
    expect(ctx.stats.pipelinesCompiled - before.pipelinesCompiled).toBeLessThanOrEqual(1);
    // 50 results and 50 parameter arrays, yet most buffers came back from the pool.
    await ctx.read(y);
    const again = { ...ctx.stats };
    for (let i = 0; i < 20; i++) {
      const z = ctx.allocUninit('float32', 1000);
      gpu.unary(ctx, 'neg', y, 0, z, 1000);
      ctx.release(z);
    }
    await ctx.read(y);
    expect(ctx.stats.buffersReused - again.buffersReused).toBeGreaterThan(20);
  });

  it('an output that aliases an input reads the input as it was (in-place ops)', async () => {
    const a = ctx.upload(new Float32Array([2, 3, 4, 5]));
    gpu.binary(ctx, 'mul', { buf: a, offset: 0, strides: [0] }, { buf: a, offset: 0, strides: [1] }, [4], a);
    expect(Array.from(await ctx.read(a))).toEqual([4, 6, 8, 10]);
  });

  it('more than 65535 workgroups spread over two dispatch dimensions', async () => {
    const n = 65535 * 64 + 1000;
    const x = ctx.upload(new Float32Array(n).map((_, i) => i % 1000));
    const y = ctx.allocUninit('float32', n);
    gpu.unary(ctx, 'neg', x, 0, y, n);
    const out = await ctx.read(y);
    expect(out[n - 1]).toBe(-((n - 1) % 1000));
    expect(out[65535 * 64 + 5]).toBe(-((65535 * 64 + 5) % 1000));
  });
});
