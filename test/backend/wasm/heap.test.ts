// The wasm backend's memory: its allocator, growth with live views, in-place operands, threads.
import { describe, expect, it } from 'vitest';
import { jsBackend } from '../../../src/backend/js/index.js';
import { fallbacks, resetFallbacks, resolveBackend } from '../../../src/backend/kernels.js';
import { backend } from '../../../src/backend/registry.js';
import { backendInfo } from '../../../src/backend/select-node.js';
import { wasmBackend } from '../../../src/backend/wasm/backend.js';
import { WasmHeap } from '../../../src/backend/wasm/memory.js';
import { createRuntime } from '../../../src/backend/wasm/runtime.js';
import { createNodeThreadPool } from '../../../src/backend/wasm/threads-node.js';

const random = (n: number, seed: number) => {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648 - 0.5;
  });
};

describe('WasmHeap', () => {
  it('hands out 64-byte aligned blocks, reuses released ones and merges neighbours', () => {
    const heap = new WasmHeap(new WebAssembly.Memory({ initial: 1, maximum: 100, shared: true }), 100, true);
    const a = heap.alloc(10);
    const b = heap.alloc(100);
    const c = heap.alloc(1);
    expect([a % 64, b % 64, c % 64]).toEqual([0, 0, 0]);
    expect(b - a).toBe(64);
    expect(c - b).toBe(128);
    heap.release(a, 10);
    heap.release(b, 100);
    // a and b merged into one 192-byte block: a 150-byte request fits at a.
    expect(heap.alloc(150)).toBe(a);
    const top = heap.reserved;
    heap.release(c, 1);
    expect(heap.reserved).toBe(top - 64);
  });

  it('grows a shared memory without invalidating arrays handed out before', () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1000, shared: true });
    const heap = new WasmHeap(memory, 0, true);
    const x = heap.array(Float32Array, 1000);
    x.set(random(1000, 1));
    const before = Array.from(x);
    heap.alloc(5 * 65536); // forces growth
    expect(memory.buffer.byteLength).toBeGreaterThanOrEqual(heap.reserved);
    expect(memory.buffer.byteLength).toBeGreaterThan(65536);
    expect(Array.from(x)).toEqual(before);
    expect(heap.owns(x)).toBe(true);
    expect(heap.owns(new Float32Array(4))).toBe(false);
    x[0] = 42;
    expect(heap.f32[x.byteOffset >>> 2]).toBe(42);
  });

  it('a plain (non-shared) memory refuses long-lived arrays, which its growth would detach', () => {
    const heap = new WasmHeap(new WebAssembly.Memory({ initial: 1 }), 0, false);
    expect(() => heap.array(Float32Array, 4)).toThrow(/plain \(non-shared\) WebAssembly memory would detach/);
  });

  it('reports a memory that cannot grow', () => {
    const heap = new WasmHeap(new WebAssembly.Memory({ initial: 1, maximum: 2, shared: true }), 0, true);
    expect(() => heap.alloc(4 * 65536)).toThrow(/wasm backend: cannot grow WebAssembly memory to \d+ bytes for a 262144-byte block/);
  });
});

describe('wasm kernels', () => {
  const rt = createRuntime();
  const one = resolveBackend(wasmBackend(rt), jsBackend);

  it('read operands in their memory in place, before and after it grows', () => {
    const [m, k, n] = [37, 300, 41];
    const a = rt.heap.array(Float32Array, m * k);
    const b = rt.heap.array(Float32Array, k * n);
    a.set(random(m * k, 2));
    b.set(random(k * n, 3));
    const want = new Float32Array(m * n);
    jsBackend.matmul(a, 0, false, b, 0, false, want, 1, m, k, n);
    const out = rt.heap.array(Float32Array, m * n);
    one.matmul(a, 0, false, b, 0, false, out, 1, m, k, n);
    for (let i = 0; i < m * n; i++) expect(out[i]).toBeCloseTo(want[i], 4);
    rt.heap.alloc(64 << 20); // grow by 64 MiB
    out.fill(0);
    one.matmul(a, 0, false, b, 0, false, out, 1, m, k, n);
    for (let i = 0; i < m * n; i++) expect(out[i]).toBeCloseTo(want[i], 4);
  });

  it('give the same bits on two threads as on one (rows split, then batches split)', () => {
    const two = createRuntime();
    two.threads = createNodeThreadPool(two, 2);
    const threaded = resolveBackend(wasmBackend(two), jsBackend);
    for (const [batch, m, k, n] of [
      [1, 203, 150, 97],
      [4, 64, 70, 66],
    ]) {
      const a = random(batch * m * k, 4);
      const b = random(batch * k * n, 5);
      const o1 = new Float32Array(batch * m * n);
      const o2 = new Float32Array(batch * m * n);
      one.matmul(a, m * k, false, b, k * n, false, o1, batch, m, k, n);
      threaded.matmul(a, m * k, false, b, k * n, false, o2, batch, m, k, n);
      expect(o2).toEqual(o1);
    }
    two.threads.close();
  });

  it('report a kernel that traps on a worker thread', () => {
    const rt2 = createRuntime();
    const pool = createNodeThreadPool(rt2, 2);
    const pa = rt2.heap.alloc(rt2.exports.packABytes());
    const pb = rt2.heap.alloc(rt2.exports.packBBytes(8));
    const m = rt2.heap.alloc(8 * 8 * 4);
    const ok = [0, 1, 8, 8, 8, m, 0, 8, 0, m, 0, 8, 0, m, 0, 8, pa, pb];
    // The second thread's A lies past the end of the memory (4 GiB − 64 bytes): a trap there.
    const pa2 = rt2.heap.alloc(rt2.exports.packABytes());
    const pb2 = rt2.heap.alloc(rt2.exports.packBBytes(8));
    const bad = [0, 1, 8, 8, 8, -64, 0, 8, 0, m, 0, 8, 0, rt2.heap.alloc(8 * 8 * 4), 0, 8, pa2, pb2];
    expect(() => pool.run('sgemmBatch', [ok, bad])).toThrow('wasm backend: sgemmBatch failed on a worker thread');
    pool.close();
    expect(() => pool.run('sgemmBatch', [ok])).toThrow('wasm backend: the thread pool was closed');
  });

  it('leave small products to the TypeScript kernels, counted as declined', () => {
    resetFallbacks();
    const out = new Float32Array(16);
    one.matmul(random(16, 6), 0, false, random(16, 7), 0, false, out, 1, 4, 4, 4);
    expect(fallbacks()).toEqual([{ backend: 'wasm', device: 'cpu', kernel: 'matmul', reason: 'declined', count: 1, transfers: 0 }]);
  });
});

describe('the wasm test project', () => {
  it('runs on the wasm backend with two kernel threads', () => {
    expect(backend().name).toBe('wasm');
    const info = backendInfo();
    expect(info.active).toBe('wasm');
    expect(info.threads).toBe(2);
    expect(info.wasm.features.simd).toBe(true);
    expect(info.wasm.features.sharedMemory).toBe(true);
  });
});
