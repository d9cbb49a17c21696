// Tensors living in the wasm backend's memory: which storages are resident, the budget that keeps
// a synchronous training loop from growing the memory, blocks kept alive by every view on them
// and freed once none is left, and results equal to those of the copying path.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { useWasmBackend } from '../../../src/backend/select-node.js';
import { wasmRuntime } from '../../../src/backend/wasm/index.js';
import { RESIDENT_MIN_BYTES, ResidentFloat32Array, WasmHeap } from '../../../src/backend/wasm/memory.js';
import { residentLimitFromEnv } from '../../../src/backend/wasm/node.js';
import { manualSeed, nn, optim, rand, randint, wasmInfo, zeros } from '../../../src/index.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
// Finalizers run in a later task, after a collection.
const collect = async () => {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 10));
  }
};

const heap = () => {
  const rt = wasmRuntime();
  if (rt === null) throw new Error('the wasm project runs on the wasm backend');
  return rt.heap;
};
const defaultLimit = heap().residentLimit;
afterAll(() => useWasmBackend({ residentLimit: defaultLimit }));

describe('WasmHeap.resident', () => {
  it('hands out float32 views of 64 KiB and up while the budget lasts, null otherwise', () => {
    const h = new WasmHeap(new WebAssembly.Memory({ initial: 1, maximum: 1000, shared: true }), 0, true);
    h.residentLimit = 3 * RESIDENT_MIN_BYTES;
    expect(h.resident(RESIDENT_MIN_BYTES / 4 - 1)).toBeNull();
    const a = h.resident(RESIDENT_MIN_BYTES / 4);
    const b = h.resident((2 * RESIDENT_MIN_BYTES) / 4);
    expect(a).toBeInstanceOf(ResidentFloat32Array);
    expect(h.owns(a as Float32Array) && h.owns(b as Float32Array)).toBe(true);
    expect(h.residentBytes).toBe(3 * RESIDENT_MIN_BYTES);
    expect(h.resident(RESIDENT_MIN_BYTES / 4)).toBeNull();
    expect([h.residentCount, h.overBudgetCount, h.residentPeak]).toEqual([2, 1, 3 * RESIDENT_MIN_BYTES]);
  });

  it('never makes views on a plain memory (its growth would detach them)', () => {
    const h = new WasmHeap(new WebAssembly.Memory({ initial: 1, maximum: 1000 }), 0, false);
    expect(h.resident(1 << 20)).toBeNull();
  });

  it('zero-fills a reused block, and slice/map make ordinary arrays', () => {
    const h = new WasmHeap(new WebAssembly.Memory({ initial: 1, maximum: 1000, shared: true }), 0, true);
    const n = RESIDENT_MIN_BYTES / 4;
    const a = h.resident(n) as ResidentFloat32Array;
    a.fill(7);
    const ptr = a.byteOffset;
    (h as unknown as { dropView(b: unknown): void }).dropView(a.block);
    expect(h.residentBytes).toBe(0);
    const b = h.resident(n) as Float32Array;
    expect(b.byteOffset).toBe(ptr);
    expect(b.every((v) => v === 0)).toBe(true);
    for (const copy of [b.slice(0, 4), b.map((v) => v + 1)]) {
      expect(copy.constructor).toBe(Float32Array);
      expect(h.owns(copy)).toBe(false);
    }
  });

  it('counts every subarray as holding the block', () => {
    const h = new WasmHeap(new WebAssembly.Memory({ initial: 1, maximum: 1000, shared: true }), 0, true);
    const a = h.resident(RESIDENT_MIN_BYTES / 4) as ResidentFloat32Array;
    const s = a.subarray(10, 20).subarray(1) as ResidentFloat32Array;
    expect(s).toBeInstanceOf(ResidentFloat32Array);
    expect(s.block).toBe(a.block);
    expect(s.byteOffset).toBe(a.byteOffset + 44);
    expect(a.block.views).toBe(3);
  });
});

describe('NABLA_WASM_RESIDENT_LIMIT', () => {
  it('gives the budget in bytes, and names itself when it is not a whole number of bytes', () => {
    const saved = process.env.NABLA_WASM_RESIDENT_LIMIT;
    try {
      delete process.env.NABLA_WASM_RESIDENT_LIMIT;
      expect(residentLimitFromEnv()).toBeUndefined();
      process.env.NABLA_WASM_RESIDENT_LIMIT = '0';
      expect(residentLimitFromEnv()).toBe(0);
      process.env.NABLA_WASM_RESIDENT_LIMIT = '134217728';
      expect(residentLimitFromEnv()).toBe(2 ** 27);
      for (const bad of ['128M', '-1', '1.5', '8589934592'] as const) {
        process.env.NABLA_WASM_RESIDENT_LIMIT = bad;
        expect(() => residentLimitFromEnv()).toThrow(`NABLA_WASM_RESIDENT_LIMIT=${bad}: expected a whole number of bytes from 0 to 2**32`);
      }
    } finally {
      if (saved === undefined) delete process.env.NABLA_WASM_RESIDENT_LIMIT;
      else process.env.NABLA_WASM_RESIDENT_LIMIT = saved;
    }
  });
});

describe('tensors on the wasm backend', () => {
  it('are resident from 64 KiB (float32 only), ordinary arrays below', () => {
    useWasmBackend({ residentLimit: 64 << 20 });
    expect(heap().owns(zeros([128, 128]).data)).toBe(true);
    expect(heap().owns(zeros([127, 128]).data)).toBe(false);
    expect(heap().owns(zeros([128, 128], { dtype: 'float64' }).data)).toBe(false);
    const info = wasmInfo().resident;
    expect(info?.limit).toBe(64 << 20);
    expect(info?.bytes).toBeGreaterThanOrEqual(RESIDENT_MIN_BYTES);
  });

  it('free their block once neither the tensor nor any view of its data is left', async () => {
    useWasmBackend({ residentLimit: 64 << 20 });
    await collect();
    const before = heap().residentBytes;
    let t: ReturnType<typeof zeros> | null = zeros([256, 256]).add(1.5);
    let view: Float32Array | null = (t.data as Float32Array).subarray(100, 200);
    expect(heap().owns(view)).toBe(true);
    t = null;
    await collect();
    // The view alone keeps the block: new tensors must not take it over.
    const others = Array.from({ length: 8 }, () => zeros([256, 256]).add(-3));
    expect(heap().residentBytes).toBeGreaterThanOrEqual(before + 9 * 256 * 256 * 4);
    expect(view.every((v) => v === 1.5)).toBe(true);
    expect(others[7].data[0]).toBe(-3);
    view = null;
    others.length = 0;
    await collect();
    expect(heap().residentBytes).toBe(before);
  });

  it('stay within the budget over many synchronous training steps, with the results of the copying path', async () => {
    const limit = 4 << 20;
    const train = (residentLimit: number) => {
      useWasmBackend({ residentLimit });
      const h = heap();
      h.residentPeak = h.residentBytes;
      manualSeed(0);
      const model = new nn.Sequential(
        new nn.Conv2d(1, 16, 3, { padding: 1 }),
        new nn.ReLU(),
        new nn.Conv2d(16, 32, 3, { padding: 1 }),
        new nn.ReLU(),
        new nn.MaxPool2d(2),
        new nn.Flatten(),
        new nn.Linear(32 * 14 * 14, 10),
      );
      const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
      const lossFn = new nn.CrossEntropyLoss();
      const x = rand([32, 1, 28, 28]);
      const y = randint(0, 10, [32]);
      const losses: number[] = [];
      const memory: number[] = [];
      const over0 = h.overBudgetCount;
      for (let i = 0; i < 40; i++) {
        opt.zeroGrad();
        const loss = lossFn.call(model.call(x), y);
        loss.backward();
        opt.step();
        losses.push(loss.item());
        expect(h.residentBytes).toBeLessThanOrEqual(residentLimit);
        memory.push(h.memory.buffer.byteLength);
      }
      return { losses, memory, overBudget: h.overBudgetCount - over0, peak: h.residentPeak };
    };
    await collect();
    expect(heap().residentBytes).toBe(0);
    const copying = train(0);
    expect(copying.peak).toBe(0);
    await collect();
    const resident = train(limit);
    expect(resident.losses).toEqual(copying.losses);
    // The budget filled (nothing is freed inside a synchronous loop) and later tensors were ordinary arrays.
    expect(resident.overBudget).toBeGreaterThan(0);
    expect(resident.peak).toBeGreaterThan(limit / 2);
    expect(resident.peak).toBeLessThanOrEqual(limit);
    // The memory stopped growing once the budget was full.
    expect(resident.memory[resident.memory.length - 1]).toBe(resident.memory[4]);
  });
});
