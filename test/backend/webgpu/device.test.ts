// The 'webgpu' device: tensors and modules moved with .to('webgpu') compute with the WGSL kernels
// (no fallbacks), values come back through the async readers, and exercise 1's MLP and a small
// nn.Sequential train there like on 'cpu'.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { SgdStepOptions } from '../../../src/backend/backend.js';
import { jsBackend } from '../../../src/backend/js/index.js';
import { fallbacks, resetFallbacks } from '../../../src/backend/kernels.js';
import { getDevice, removeDevice } from '../../../src/backend/registry.js';
import type { WebGpuContext } from '../../../src/backend/webgpu/context.js';
import { useWebGpu, webGpuMemory } from '../../../src/backend/webgpu/device.js';
import { sgdStep } from '../../../src/backend/webgpu/kernels/optim.js';
import { initWebGpu } from '../../../src/backend/webgpu/node-gpu.js';
import { listDevices, manualSeed, nn, optim, rand, randn, setDefaultDevice, type Tensor, tensor } from '../../../src/index.js';
import { runMismatch, trainExercise1, trainLenet5 } from './device-programs.js';
import { openGpu } from './gpu.js';

const setup = await openGpu();
if (!setup.ctx) console.warn(`webgpu device test skipped: ${setup.reason}`);
if (setup.ctx) useWebGpu(setup.ctx);
afterAll(() => {
  if (setup.ctx) removeDevice('webgpu');
  setup.ctx?.destroy();
});
afterEach(() => setDefaultDevice('cpu'));

/** What the optimizer tests need of an optimizer. */
interface Stepper {
  zeroGrad(): void;
  step(): void;
}

const gpuFallbacks = () => fallbacks().filter((f) => f.device === 'webgpu');

/** Relative 1e-4 (against max(1e-2, |want|)): float32 kernels rounding in another order. */
function close(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const err = Math.abs(got[i] - want[i]) / Math.max(1e-2, Math.abs(want[i]));
    if (!(err <= 1e-4)) throw new Error(`${what}[${i}]: webgpu ${got[i]}, cpu ${want[i]}`);
  }
}

describe.skipIf(!setup.ctx)("the 'webgpu' device", () => {
  it('moves tensors with to(), computes with its kernels and reads back asynchronously', async () => {
    resetFallbacks();
    const x = tensor([
      [1, -2, 3],
      [4, 5, -6],
    ]);
    const g = x.to('webgpu');
    expect(g.device).toBe('webgpu');
    expect(g.to('webgpu')).toBe(g);
    const y = g
      .relu()
      .mul(2)
      .add(g.t().matmul(g).sum(1).reshape([3, 1]).t())
      .exp()
      .log();
    const want = x
      .relu()
      .mul(2)
      .add(x.t().matmul(x).sum(1).reshape([3, 1]).t())
      .exp()
      .log();
    close(await y.dataAsync(), want.data, 'y');
    expect(await g.sum().itemAsync()).toBe(5);
    expect(await g.argmax(1).toArrayAsync()).toEqual([2, 1]);
    expect(await g.gt(0).toArrayAsync()).toEqual([
      [true, false, true],
      [true, true, false],
    ]);
    // A view that does not start at element 0 (a window on its storage) and a sliced column.
    const row = g.select(0, 1);
    close(await row.exp().dataAsync(), x.select(0, 1).exp().data, 'row');
    close(await g.select(1, 2).neg().dataAsync(), [-3, 6], 'column');
    expect(gpuFallbacks()).toEqual([]);
  });

  it('refuses synchronous reads, float64, and mixed devices with errors saying what to do', () => {
    const g = tensor([1, 2, 3]).to('webgpu');
    expect(() => g.data).toThrow(/dataAsync/);
    expect(() => g.sum().item()).toThrow(/itemAsync/);
    expect(() => g.toArray()).toThrow(/toArrayAsync/);
    expect(() => g.cpu()).toThrow(/dataAsync/);
    expect(() => tensor([1, 2], { dtype: 'float64' }).to('webgpu')).toThrow(/webgpu.*float64.*float32/);
    expect(() => g.add(tensor([1, 2, 3]))).toThrow(/same device.*webgpu and cpu|same device.*cpu and webgpu/);
  });

  it("trains exercise 1's MLP like cpu (1e-4 relative): losses, last gradients, parameters; every kernel on the GPU", async () => {
    const want = await trainExercise1('cpu', 5);
    resetFallbacks();
    const got = await trainExercise1('webgpu', 5);
    expect(gpuFallbacks()).toEqual([]);
    expect(want.losses[4]).toBeLessThan(want.losses[0]);
    expect(runMismatch(got, want, 1e-4)).toBeNull();
  });

  it('takes a few LeNet-5 steps like cpu (1e-4 relative): losses, last gradients, parameters; no fallbacks', async () => {
    const want = await trainLenet5('cpu', 3);
    resetFallbacks();
    const got = await trainLenet5('webgpu', 3);
    expect(gpuFallbacks()).toEqual([]);
    expect(want.losses[2]).toBeLessThan(want.losses[0]);
    expect(runMismatch(got, want, 1e-4)).toBeNull();
  });

  it('module.to("webgpu"): an nn.Sequential with cross-entropy trains like cpu', async () => {
    const run = async (device: string) => {
      manualSeed(1);
      const model = new nn.Sequential(new nn.Linear(8, 16), new nn.ReLU(), new nn.Linear(16, 3));
      model.to(device);
      const x = randn([6, 8]).to(device);
      const target = tensor([0, 2, 1, 1, 0, 2], { dtype: 'int32' }).to(device);
      const opt = new optim.SGD(model.parameters(), { lr: 0.05 });
      const losses: number[] = [];
      for (let s = 0; s < 3; s++) {
        const loss = nn.F.crossEntropy(model.forward(x), target);
        opt.zeroGrad();
        loss.backward();
        opt.step();
        losses.push(await loss.itemAsync());
      }
      const params = await Promise.all(model.parameters().map(async (p) => Float32Array.from(await p.dataAsync())));
      return { losses, params, devices: model.parameters().map((p) => p.device) };
    };
    const want = await run('cpu');
    resetFallbacks();
    const got = await run('webgpu');
    expect(got.devices.every((d) => d === 'webgpu')).toBe(true);
    expect(gpuFallbacks()).toEqual([]);
    close(got.losses, want.losses, 'loss');
    for (let i = 0; i < want.params.length; i++) close(got.params[i], want.params[i], `param ${i}`);
  });

  it('dropout draws its mask on the CPU generator: the same units drop as on cpu', async () => {
    const x = randn([5, 7]);
    manualSeed(3);
    const want = nn.F.dropout(x, 0.4).data;
    manualSeed(3);
    const got = nn.F.dropout(x.to('webgpu'), 0.4);
    expect(got.device).toBe('webgpu');
    close(await got.dataAsync(), want, 'dropout');
    expect(Array.from(want).some((v) => v === 0)).toBe(true);
  });

  it('batch norm (float32 statistics on the device) trains a conv model like cpu, running statistics included', async () => {
    const run = async (device: string) => {
      manualSeed(4);
      const model = new nn.Sequential(
        new nn.Conv2d(2, 4, 3, { padding: 1 }),
        new nn.BatchNorm2d(4),
        new nn.ReLU(),
        new nn.Flatten(),
        new nn.Linear(64, 3),
      );
      model.to(device);
      const x = randn([3, 2, 4, 4]).to(device);
      const target = tensor([0, 2, 1], { dtype: 'int32' }).to(device);
      const opt = new optim.SGD(model.parameters(), { lr: 0.05, momentum: 0.9 });
      const losses: number[] = [];
      for (let s = 0; s < 3; s++) {
        const loss = nn.F.crossEntropy(model.forward(x), target);
        opt.zeroGrad();
        loss.backward();
        opt.step();
        losses.push(await loss.itemAsync());
      }
      const bn = model.stateDict();
      const state = await Promise.all(Object.values(bn).map(async (t) => Float32Array.from(await t.dataAsync())));
      return { losses, state };
    };
    const want = await run('cpu');
    resetFallbacks();
    const got = await run('webgpu');
    expect(gpuFallbacks()).toEqual([]);
    close(got.losses, want.losses, 'loss');
    for (let i = 0; i < want.state.length; i++) close(got.state[i], want.state[i], `state ${i}`);
  });

  it('binary cross-entropy (with logits, posWeight, weight; and on probabilities): loss, input and target gradients like cpu', async () => {
    // The double-precision steps of their backward (log-sigmoid, the 1e-12 floor) run in the
    // device's statsDType there: float32 on webgpu.
    const run = async (device: string) => {
      manualSeed(6);
      const logits = randn([3, 5]).mul(3);
      const target = rand([3, 5]);
      const posWeight = rand([5]).add(0.5);
      const weight = rand([3, 1]);
      const out: Float32Array[] = [];
      for (const opts of [
        {},
        { posWeight: posWeight.to(device), weight: weight.to(device) },
        { posWeight: posWeight.to(device), reduction: 'sum' as const },
      ]) {
        const x = logits.to(device).detach().requiresGrad_();
        const y = target.to(device).detach().requiresGrad_();
        const loss = nn.F.binaryCrossEntropyWithLogits(x, y, opts);
        loss.backward();
        out.push(Float32Array.from(await loss.dataAsync()), Float32Array.from(await (x.grad as Tensor).dataAsync()));
        out.push(Float32Array.from(await (y.grad as Tensor).dataAsync()));
      }
      const p = logits.sigmoid().to(device).detach().requiresGrad_();
      const y = target.to(device).detach().requiresGrad_();
      const loss = nn.F.binaryCrossEntropy(p, y, { reduction: 'sum' });
      loss.backward();
      out.push(Float32Array.from(await loss.dataAsync()), Float32Array.from(await (p.grad as Tensor).dataAsync()));
      out.push(Float32Array.from(await (y.grad as Tensor).dataAsync()));
      return out;
    };
    const want = await run('cpu');
    resetFallbacks();
    const got = await run('webgpu');
    expect(gpuFallbacks()).toEqual([]);
    expect(got.length).toBe(want.length);
    for (let i = 0; i < want.length; i++) close(got[i], want[i], `loss/gradient ${i}`);
  });

  it('Adam, AdamW (AMSGrad) and Adadelta step parameters on webgpu like cpu, with no fallbacks', async () => {
    const run = async (device: string, make: (ps: Tensor[]) => Stepper) => {
      manualSeed(2);
      const w = randn([5, 3]).to(device).requiresGrad_();
      const b = randn([5]).to(device).requiresGrad_();
      const x = randn([4, 3]).to(device);
      const opt = make([w, b]);
      for (let s = 0; s < 3; s++) {
        opt.zeroGrad();
        x.matmul(w.t()).add(b).tanh().square().sum().backward();
        opt.step();
      }
      return Promise.all([w, b].map(async (p) => Float32Array.from(await p.dataAsync())));
    };
    const makers: [string, (ps: Tensor[]) => Stepper][] = [
      ['Adam', (ps) => new optim.Adam(ps, { lr: 0.05, weightDecay: 0.01 })],
      ['AdamW', (ps) => new optim.AdamW(ps, { lr: 0.05, weightDecay: 0.1, amsgrad: true, maximize: true })],
      ['Adadelta', (ps) => new optim.Adadelta(ps, { lr: 1, weightDecay: 0.01 })],
    ];
    for (const [name, make] of makers) {
      const want = await run('cpu', make);
      resetFallbacks();
      const got = await run('webgpu', make);
      expect(gpuFallbacks()).toEqual([]);
      for (let i = 0; i < want.length; i++) close(got[i], want[i], `${name} param ${i}`);
    }
  });

  it('memory: zero-filled alloc, windows, writes at an offset, ranged async reads, release to the pool', async () => {
    const ctx = setup.ctx as WebGpuContext;
    const mem = webGpuMemory(ctx);
    expect(mem.hostMemory).toBe(false);
    expect(mem.readSync).toBeUndefined();
    const z = mem.alloc('int32', 5);
    expect(Array.from(await mem.read(z, 0, 5))).toEqual([0, 0, 0, 0, 0]);
    const a = mem.upload(Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7]), 'float32');
    expect(mem.isBuffer(a)).toBe(true);
    expect(mem.isBuffer({ buffer: null, dtype: 'float32', length: 1 })).toBe(false);
    const w = mem.window(a, 3);
    expect(mem.isBuffer(w)).toBe(true);
    expect(mem.length(w)).toBe(5);
    expect(Array.from(await mem.read(w, 1, 2))).toEqual([4, 5]);
    mem.write(w, Float32Array.from([-1, -2]), 2); // elements 5 and 6 of a
    expect(Array.from(await mem.read(a, 0, 8))).toEqual([0, 1, 2, 3, 4, -1, -2, 7]);
    // A window bound by a kernel of the registered device: neg over its first 3 elements.
    const out = mem.alloc('float32', 3);
    getDevice('webgpu').kernels.unary('neg', mem.window(a, 4), 0, out, 3);
    expect(Array.from(await mem.read(out, 0, 3))).toEqual([-4, 1, 2]);
    const b = mem.upload(Uint8Array.from([1, 0, 1]), 'bool');
    expect(Array.from(await mem.read(b, 0, 3))).toEqual([1, 0, 1]);
    await expect(mem.read(a, 6, 5)).rejects.toThrow(/outside an array of 8/);
    const reused = ctx.stats.buffersReused;
    mem.release?.(a);
    mem.alloc('float32', 8);
    expect(ctx.stats.buffersReused).toBe(reused + 1);
  });

  it('sgdStep matches the reference for weight decay, dampening, Nesterov and maximize', async () => {
    const ctx = setup.ctx as WebGpuContext;
    const base: SgdStepOptions = { lr: 0.05, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false, maximize: false };
    const cases: [Partial<SgdStepOptions>, boolean][] = [
      [{ momentum: 0 }, false],
      [{ weightDecay: 0.01, dampening: 0.2, maximize: true }, false],
      [{ weightDecay: 0.01, nesterov: true }, false],
      [{ nesterov: true }, true],
    ];
    for (const [opts, init] of cases) {
      const o = { ...base, ...opts };
      const n = 37;
      const p = Float32Array.from({ length: n }, (_, i) => Math.sin(i) * 2);
      const g = Float32Array.from({ length: n }, (_, i) => Math.cos(3 * i));
      const b = Float32Array.from({ length: n }, (_, i) => Math.sin(7 * i) / 3);
      const gp = ctx.upload(p);
      const gb = ctx.upload(b);
      sgdStep(ctx, [gp], [ctx.upload(g)], o.momentum === 0 ? null : [gb], [init], o);
      jsBackend.sgdStep([p], [g], o.momentum === 0 ? null : [b], [init], o);
      close(await ctx.read(gp), p, `param ${JSON.stringify(opts)}`);
      if (o.momentum !== 0) close(await ctx.read(gb), b, `momentum ${JSON.stringify(opts)}`);
    }
    expect(() => sgdStep(ctx, [ctx.upload(new Int32Array(2))], [ctx.upload(new Int32Array(2))], null, [false], base)).toThrow(
      /sgdStep.*float32.*int32/,
    );
  });

  it("before initWebGpu, 'webgpu' is an unknown device whose error says to call it", () => {
    removeDevice('webgpu');
    try {
      expect(listDevices()).not.toContain('webgpu');
      expect(() => tensor([1]).to('webgpu')).toThrow(/unknown device 'webgpu' \(await initWebGpu\(\) first/);
    } finally {
      useWebGpu(setup.ctx as WebGpuContext);
    }
  });

  it("nabla/webgpu/node's initWebGpu acquires a GPU through Dawn and registers 'webgpu'", async () => {
    const { device, context } = await initWebGpu();
    try {
      expect(device.type).toBe('webgpu');
      expect(listDevices()).toContain('webgpu');
      const y = tensor([1, 2, 3]).to('webgpu').mul(2);
      expect(await y.toArrayAsync()).toEqual([2, 4, 6]);
      expect(context.stats.dispatches).toBeGreaterThan(0);
    } finally {
      useWebGpu(setup.ctx as WebGpuContext); // the rest of the file's device again
      context.destroy();
    }
  });
});
