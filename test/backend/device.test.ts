// Devices: tensors on a device whose memory is opaque (test/backend/opaque-device.ts) compute
// through its kernels and its memory functions only, train exercise 1's MLP to the same bits as
// 'cpu', fall back to the reference kernels through counted transfers, and fail clearly where a
// synchronous read is impossible.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { backpropExample } from '../../examples/01-backprop.js';
import { defineBackend, fallbacks, onFallback, resetFallbacks } from '../../src/backend/kernels.js';
import { registerDevice, removeDevice } from '../../src/backend/registry.js';
import {
  arange,
  bernoulli,
  cat,
  eye,
  full,
  getDefaultDevice,
  io,
  listDevices,
  manualSeed,
  nn,
  oneHot,
  ones,
  optim,
  rand,
  randint,
  randn,
  setDefaultDevice,
  type Tensor,
  tensor,
  zeros,
} from '../../src/index.js';
import { Box, opaqueBackend, opaqueKernels, opaqueMemory, PARTIAL, released } from './opaque-device.js';
import { trainMlp } from './train-mlp.js';

beforeAll(() => {
  // 'opaque': a few kernels and a synchronous read, so the rest runs through transfers.
  registerDevice('opaque', opaqueMemory(true), opaqueBackend('opaque-kernels', PARTIAL));
  // 'opaque-async': every kernel, no synchronous read (like WebGPU).
  registerDevice('opaque-async', opaqueMemory(false), opaqueBackend('opaque-async-kernels'));
  // 'opaque-async-partial': a few kernels and no synchronous read: fallbacks are impossible.
  registerDevice('opaque-async-partial', opaqueMemory(false), opaqueBackend('opaque-async-partial-kernels', PARTIAL));
});
afterAll(() => {
  for (const d of ['opaque', 'opaque-async', 'opaque-async-partial']) removeDevice(d);
});
afterEach(() => {
  setDefaultDevice('cpu');
  onFallback(null);
});

const bits = (a: ArrayLike<number>) => Array.from(new Uint32Array(Float32Array.from(a).buffer));

describe('an opaque device', () => {
  it('is listed, and the default device can be set and read', () => {
    expect(listDevices()).toEqual(expect.arrayContaining(['cpu', 'opaque', 'opaque-async']));
    expect(listDevices()[0]).toBe('cpu');
    expect(getDefaultDevice()).toBe('cpu');
    setDefaultDevice('opaque');
    expect(getDefaultDevice()).toBe('opaque');
    expect(zeros(2).device).toBe('opaque');
    expect(zeros(2, { device: 'cpu' }).device).toBe('cpu');
  });

  it('keeps values in opaque buffers and moves them with to()/cpu()', () => {
    const x = tensor([
      [1, 2],
      [3, 4],
    ]);
    const y = x.to('opaque');
    expect(y.device).toBe('opaque');
    expect(y.storage.buffer).toBeInstanceOf(Box);
    expect(y.to('opaque')).toBe(y);
    expect(y.cpu().toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(x.to({ device: 'opaque', dtype: 'float64' }).dtype).toBe('float64');
    expect(x.to('opaque', 'int32').cpu().toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(y.to(x).device).toBe('cpu');
  });

  it('trains exercise 1’s MLP to the same bits as cpu, through its kernels and counted transfers', () => {
    const want = trainMlp(5);
    setDefaultDevice('opaque');
    resetFallbacks();
    const got = trainMlp(5);
    for (let i = 0; i < want.length; i++) {
      expect(got[i].device).toBe('opaque');
      expect(bits(got[i].cpu().data)).toEqual(bits(want[i].data));
    }
    const records = fallbacks().filter((f) => f.device === 'opaque');
    const kernels = records.map((f) => f.kernel);
    // Its own kernels never fall back; what it lacks runs on the host through transfers.
    expect(kernels).toEqual(['fill', 'sgdStep']);
    for (const f of records) {
      expect(f.backend).toBe('opaque-kernels');
      expect(f.reason).toBe('not registered');
      expect(f.transfers).toBeGreaterThanOrEqual(f.count);
    }
  });

  it('trains it on a device without synchronous reads when every kernel is registered, read back asynchronously', async () => {
    const want = trainMlp(5);
    setDefaultDevice('opaque-async');
    resetFallbacks();
    const got = trainMlp(5);
    for (let i = 0; i < want.length; i++) expect(bits(await got[i].dataAsync())).toEqual(bits(want[i].data));
    expect(fallbacks().filter((f) => f.device === 'opaque-async')).toEqual([]);
  });

  it('gets exercise 1’s gradient on the partial device and reports exactly which kernels fell back', () => {
    const want = backpropExample().autograd;
    setDefaultDevice('opaque');
    resetFallbacks();
    const seen: string[] = [];
    onFallback((b, k, why, d) => seen.push(`${d} ${b} ${k} ${why}`));
    const got = backpropExample();
    expect(bits(got.autograd.cpu().data)).toEqual(bits(want.data));
    expect(fallbacks().map((f) => `${f.kernel}: ${f.reason}`)).toEqual(['copy: not registered', 'fill: not registered']);
    expect(seen.length).toBe(fallbacks().reduce((n, f) => n + f.count, 0));
    expect(seen[0]).toMatch(/^opaque opaque-kernels /);
  });

  it('a call its predicate declines runs the reference through counted transfers: read every buffer argument, write the outputs', () => {
    const exp = opaqueKernels(['unary']).unary as (...a: unknown[]) => void;
    registerDevice(
      'opaque-declines',
      opaqueMemory(true),
      defineBackend<Box>('declines', { unary: { accepts: (op) => op === 'exp', kernel: (...a) => exp(...a) } }),
    );
    try {
      const x = tensor([1, -2, 3], { device: 'opaque-declines' });
      resetFallbacks();
      const here = () => fallbacks().filter((f) => f.device === 'opaque-declines');
      expect(x.exp().cpu().toArray()).toEqual(tensor([1, -2, 3]).exp().toArray());
      expect(here()).toEqual([]);
      expect(x.neg().cpu().toArray()).toEqual([-1, 2, -3]);
      // unary(op, x, xOffset, out, n): x and out read to the host (2), out written back (1).
      expect(here()).toEqual([
        { backend: 'declines', device: 'opaque-declines', kernel: 'unary', reason: 'declined', count: 1, transfers: 3 },
      ]);
    } finally {
      removeDevice('opaque-declines');
    }
  });

  it('creates tensors on the device from every factory, with random values identical to cpu', () => {
    const make = () => {
      manualSeed(3);
      return [
        tensor([1, 2, 3]),
        zeros(2, 3),
        ones([2]),
        full([2, 2], 7),
        arange(5),
        eye(3),
        rand(3),
        randn(2, 2),
        randint(0, 10, [4]),
        bernoulli(rand(4)),
      ];
    };
    const cpu = make();
    setDefaultDevice('opaque');
    const dev = make();
    dev.forEach((t, i) => {
      expect(t.device).toBe('opaque');
      expect(t.cpu().toArray()).toEqual(cpu[i].toArray());
    });
    setDefaultDevice('cpu');
    expect(zeros(2, { device: 'opaque' }).device).toBe('opaque');
    expect(tensor([1], { device: 'opaque' }).device).toBe('opaque');
    expect(rand(2, { device: 'opaque' }).device).toBe('opaque');
    expect(arange(3, undefined, 1, { device: 'opaque' }).device).toBe('opaque');
  });

  it('flows gradients through to() back to the source device', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const y = x.to('opaque').mul(2).sum();
    expect(y.device).toBe('opaque');
    y.backward();
    expect((x.grad as Tensor).device).toBe('cpu');
    expect((x.grad as Tensor).toArray()).toEqual([2, 2, 2]);
    const w = tensor([1, 2], { device: 'opaque', requiresGrad: true });
    w.cpu().pow(2).sum().backward();
    expect((w.grad as Tensor).device).toBe('opaque');
    expect((w.grad as Tensor).cpu().toArray()).toEqual([2, 4]);
  });

  it('reads asynchronously on every device', async () => {
    const c = tensor([
      [1, 2],
      [3, 4],
    ]);
    for (const d of ['cpu', 'opaque', 'opaque-async']) {
      const t = c.to(d);
      expect(Array.from(await t.dataAsync())).toEqual([1, 2, 3, 4]);
      expect(Array.from(await t.t().dataAsync())).toEqual([1, 3, 2, 4]);
      expect(await t.toArrayAsync()).toEqual([
        [1, 2],
        [3, 4],
      ]);
      expect(await t.sum().itemAsync()).toBe(10);
    }
    expect(await tensor([true, false], { device: 'opaque-async' }).toArrayAsync()).toEqual([true, false]);
  });

  it('prints with PyTorch’s device suffix, and without values where it cannot read synchronously', () => {
    expect(String(tensor([1, 2], { device: 'opaque' }))).toBe("tensor([1., 2.], device='opaque')");
    expect(String(tensor([1, 2], { device: 'opaque', dtype: 'float64', requiresGrad: true }))).toBe(
      "tensor([1., 2.], device='opaque', dtype=torch.float64, requires_grad=True)",
    );
    expect(String(zeros([2, 3], { device: 'opaque-async' }))).toBe("tensor(..., device='opaque-async', size=(2, 3))");
    expect(String(zeros([2], { device: 'opaque-async', dtype: 'int32' }))).toBe(
      "tensor(..., device='opaque-async', size=(2,), dtype=torch.int32)",
    );
  });
});

describe('ops on a device without synchronous reads', () => {
  it('every op family computes through the device, to the same bits as cpu', async () => {
    const program = (device: string): Tensor[] => {
      manualSeed(7);
      const x = rand([2, 3, 6, 6], { device, requiresGrad: true });
      const w = randn([4, 3, 3, 3], { device, requiresGrad: true });
      const y = nn.F.conv2d(x, w, null, { padding: 1 });
      const bn = nn.F.batchNorm(y, zeros(4, { device }), ones(4, { device }), null, null, { training: true });
      const p = nn.F.maxPool2d(nn.F.relu(bn), 2);
      const flat = p.flatten(1);
      const labels = tensor([1, 3], { dtype: 'int32', device });
      const logits = flat.narrow(1, 0, 4);
      const ce = nn.F.crossEntropy(logits, labels, { labelSmoothing: 0.1 });
      const bce = nn.F.binaryCrossEntropy(logits.sigmoid(), rand([2, 4], { device }));
      const bcel = nn.F.binaryCrossEntropyWithLogits(logits, rand([2, 4], { device }), { posWeight: full([4], 2, { device }) });
      const loss = ce.add(bce).add(bcel).add(p.mean());
      loss.backward();
      const picked = flat.index([tensor([1, -1], { dtype: 'int32', device })]);
      const hot = oneHot(tensor([0, 2], { dtype: 'int32', device }), 3);
      const joined = cat([x.detach(), x.detach().mul(2)], 1);
      return [loss, x.grad as Tensor, w.grad as Tensor, picked, hot, joined.sum(), flat.argmax(1), flat.max(1).values];
    };
    const want = program('cpu');
    const got = program('opaque-async');
    expect(got.map((t) => t.device)).toEqual(want.map(() => 'opaque-async'));
    for (let i = 0; i < want.length; i++) expect(Array.from(await got[i].dataAsync()), `output ${i}`).toEqual(Array.from(want[i].data));
  });

  it('skips the value checks it cannot read, and asks for what it cannot infer', async () => {
    const t = tensor([0, 2], { dtype: 'int32', device: 'opaque-async' });
    expect(() => oneHot(t)).toThrow(
      "oneHot: give numClasses for a tensor on the 'opaque-async' device (counting the classes needs a synchronous read)",
    );
    expect(await t.add(1).toArrayAsync()).toEqual([1, 3]);
    expect(await t.sum().itemAsync()).toBe(2);
  });
});

describe('device errors', () => {
  it('an op mixing devices names the op and both devices, as PyTorch does', () => {
    const a = tensor([1, 2]);
    const b = tensor([1, 2], { device: 'opaque' });
    const msg = (op: string, d1: string, d2: string) =>
      `${op}: Expected all tensors to be on the same device, but found at least two devices, ${d1} and ${d2}!`;
    expect(() => a.add(b)).toThrow(msg('add', 'cpu', 'opaque'));
    expect(() => b.mul(a)).toThrow(msg('mul', 'opaque', 'cpu'));
    expect(() => tensor([[1]]).matmul(tensor([[1]], { device: 'opaque' }))).toThrow(msg('matmul', 'cpu', 'opaque'));
    expect(() => b.add_(a)).toThrow(msg('add', 'opaque', 'cpu'));
    // A JS number joins the tensor's device, as PyTorch's wrapped scalars do.
    expect(b.add(1).cpu().toArray()).toEqual([2, 3]);
  });

  it('a synchronous read on a device that cannot do it names the async form', () => {
    const t = tensor([1, 2], { device: 'opaque-async' });
    expect(() => t.data).toThrow("data: a tensor on the 'opaque-async' device cannot be read synchronously; use await x.dataAsync()");
    expect(() => t.sum().item()).toThrow(/item: .*'opaque-async'.* use await x\.itemAsync\(\)/);
    expect(() => t.toArray()).toThrow(/toArray: .*use await x\.toArrayAsync\(\)/);
    expect(() => t.cpu()).toThrow(
      /cpu: a tensor on the 'opaque-async' device cannot be copied to 'cpu' synchronously; read it with await x\.dataAsync\(\)/,
    );
  });

  it('a kernel the device lacks, without a synchronous read for a transfer, names the kernel and the device', () => {
    const t = tensor([3, 1, 2], { device: 'opaque-async-partial' });
    expect(t.exp().device).toBe('opaque-async-partial');
    expect(() => t.sum()).toThrow(
      "reduce: the 'opaque-async-partial' device has no 'reduce' kernel for this call, and its memory cannot be read synchronously",
    );
  });

  it('an unknown device is an error listing the available ones', () => {
    expect(() => tensor([1]).to('cuda')).toThrow(
      /to: unknown device 'cuda' \(nabla has no cuda device.*available devices: 'cpu', 'opaque'/,
    );
    expect(() => zeros(2, { device: 'tpu' })).toThrow(/zeros: unknown device 'tpu'; available devices: 'cpu'/);
    expect(() => setDefaultDevice('cpu:0')).toThrow(/setDefaultDevice: unknown device 'cpu:0' \(write 'cpu'/);
    expect(() => tensor([1]).to({ device: 'opaque', layout: 'strided' } as never)).toThrow(/to: unknown option 'layout'/);
    expect(() => tensor([1]).to('float64', 'opaque' as never)).toThrow(/to: a dtype comes after the device/);
    expect(() => tensor([1]).to(3 as never)).toThrow(/to: expected a dtype, a device/);
  });
});

describe('modules on a device', () => {
  it('module.to(device) moves parameters in place (optimizers keep them), buffers and grads, and trains like cpu', () => {
    const build = () => {
      manualSeed(0);
      return new nn.Sequential(new nn.Linear(3, 4), new nn.BatchNorm1d(4), new nn.ReLU(), new nn.Linear(4, 2));
    };
    const step = (m: nn.Module, x: Tensor, y: Tensor) => {
      const opt = new optim.SGD(m.parameters(), { lr: 0.1, momentum: 0.9 });
      for (let i = 0; i < 3; i++) {
        opt.zeroGrad();
        nn.F.crossEntropy(m.call(x) as Tensor, y).backward();
        opt.step();
      }
    };
    manualSeed(1);
    const x = rand([5, 3]);
    const y = tensor([0, 1, 1, 0, 1], { dtype: 'int32' });
    const cpuModel = build();
    step(cpuModel, x, y);
    const devModel = build();
    const params = devModel.parameters();
    params[0].grad = zeros(params[0].shape);
    expect(devModel.to('opaque')).toBe(devModel);
    expect(devModel.parameters()[0]).toBe(params[0]);
    expect(params.every((p) => p.device === 'opaque')).toBe(true);
    expect((params[0].grad as Tensor).device).toBe('opaque');
    params[0].grad = null;
    const sd = devModel.stateDict();
    expect(Object.values(sd).every((t) => t.device === 'opaque')).toBe(true);
    step(devModel, x.to('opaque'), y.to('opaque'));
    const got = devModel.stateDict();
    for (const [k, t] of Object.entries(cpuModel.stateDict())) expect(bits(got[k].cpu().data), k).toEqual(bits(t.data));
    // loadStateDict copies cpu values onto the parameters' device; a state dict saves by reading the device.
    devModel.loadStateDict(build().stateDict());
    expect(devModel.parameters()[0].device).toBe('opaque');
    expect(devModel.parameters()[0].cpu().toArray()).toEqual(build().parameters()[0].toArray());
    const back = io.deserialize(io.serialize(devModel.stateDict()));
    expect(back['0.weight'].toArray()).toEqual(build().parameters()[0].toArray());
    expect(devModel.to('cpu').parameters()[0].device).toBe('cpu');
    expect(() => devModel.to('opaque', 'float64').to({ device: 'cpu', dtype: 'float32' })).not.toThrow();
    expect(() => devModel.to({ device: 'cpu', memoryFormat: 'x' } as never)).toThrow(/to: unknown option 'memoryFormat'/);
  });

  it('an optimizer state loaded from cpu lands on its parameters\u2019 device', () => {
    const p = zeros(3, { device: 'opaque', requiresGrad: true });
    const opt = new optim.SGD([p], { lr: 0.1, momentum: 0.9 });
    const cpuP = zeros(3, { requiresGrad: true });
    const cpuOpt = new optim.SGD([cpuP], { lr: 0.1, momentum: 0.9 });
    cpuP.grad = ones(3);
    cpuOpt.step();
    opt.loadStateDict(cpuOpt.stateDict());
    p.grad = ones(3, { device: 'opaque' });
    opt.step();
    // The same second step on cpu: the loaded momentum buffer (1) took part on the device.
    const q = zeros(3, { requiresGrad: true });
    const qOpt = new optim.SGD([q], { lr: 0.1, momentum: 0.9 });
    qOpt.loadStateDict(cpuOpt.stateDict());
    q.grad = ones(3);
    qOpt.step();
    expect(p.device).toBe('opaque');
    expect(p.cpu().toArray()).toEqual(q.toArray());
    expect(q.toArray()).not.toEqual([-0.1, -0.1, -0.1].map(Math.fround));
  });

  it('a Linear layer forwards on the device like on cpu', () => {
    manualSeed(0);
    const lin = new nn.Linear(3, 2);
    const x = rand([4, 3]);
    const want = lin.forward(x).toArray();
    const wDev = lin.weight.to('opaque');
    const bDev = (lin.bias as Tensor).to('opaque');
    expect(x.to('opaque').matmul(wDev.t()).add(bDev).cpu().toArray()).toEqual(want);
  });
});

describe('device memory', () => {
  it('releases a buffer of a collected storage through the device (FinalizationRegistry)', async () => {
    const { setFlagsFromString } = await import('node:v8');
    const { runInNewContext } = await import('node:vm');
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const before = released.count;
    (() => {
      for (let i = 0; i < 20; i++) zeros(8, { device: 'opaque' });
    })();
    for (let i = 0; i < 100 && released.count === before; i++) {
      gc();
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(released.count).toBeGreaterThan(before);
  });
});
