/**
 * Node-only: worker_threads sharing the wasm backend's memory. Each worker instantiates the same
 * module over the same shared memory and sleeps on a control word (Atomics.wait); a call writes
 * each worker's kernel and arguments into its control block, bumps the word and wakes it, runs
 * the first share itself, then waits (Atomics.wait) for every worker's done word.
 */
import { Worker } from 'node:worker_threads';
import { THREAD_KERNELS, type ThreadKernel, type ThreadPool, type WasmRuntime } from './runtime.js';

// Per worker: [0] generation, [1] kernel index, [2] argument count, [3..26] arguments,
// [29] failed flag, [30] generation done.
const SLOT = 32;
const MAX_ARGS = 26;

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, ctrl, kernels } = workerData;
const ex = new WebAssembly.Instance(module, { env: { memory } }).exports;
const fns = kernels.map((k) => ex[k]);
const c = new Int32Array(memory.buffer, ctrl, ${SLOT});
let gen = 0;
for (;;) {
  Atomics.wait(c, 0, gen);
  gen = Atomics.load(c, 0);
  if (gen < 0) break;
  const args = [];
  for (let i = 0; i < c[2]; i++) args.push(c[3 + i]);
  try {
    fns[c[1]](...args);
    c[29] = 0;
  } catch (e) {
    c[29] = 1;
  }
  Atomics.store(c, 30, gen);
  Atomics.notify(c, 30);
}
`;

/** A pool of `threads − 1` workers plus the calling thread, over the runtime's shared memory. */
export function createNodeThreadPool(rt: WasmRuntime, threads: number): ThreadPool {
  if (!rt.heap.shared) throw new Error('wasm backend: threads need a shared WebAssembly memory');
  const workers: Worker[] = [];
  const ctrls: Int32Array[] = [];
  const base = rt.heap.alloc((threads - 1) * SLOT * 4);
  for (let i = 0; i < threads - 1; i++) {
    const ctrl = base + i * SLOT * 4;
    const view = new Int32Array(rt.heap.memory.buffer, ctrl, SLOT);
    view.fill(0);
    const w = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { module: rt.module, memory: rt.heap.memory, ctrl, kernels: THREAD_KERNELS },
    });
    // Idle workers sleep in Atomics.wait; they must not keep the process alive.
    w.unref();
    workers.push(w);
    ctrls.push(view);
  }
  let gen = 0;
  let closed = false;
  return {
    size: threads,
    run(kernel: ThreadKernel, argsPerThread: number[][]) {
      if (closed) throw new Error('wasm backend: the thread pool was closed');
      if (argsPerThread.length > threads) throw new Error(`wasm backend: ${argsPerThread.length} tasks for ${threads} threads`);
      gen++;
      const k = THREAD_KERNELS.indexOf(kernel);
      for (let i = 1; i < argsPerThread.length; i++) {
        const c = ctrls[i - 1];
        const args = argsPerThread[i];
        if (args.length > MAX_ARGS) throw new Error(`wasm backend: ${kernel} takes at most ${MAX_ARGS} arguments on a worker`);
        c[1] = k;
        c[2] = args.length;
        for (let j = 0; j < args.length; j++) c[3 + j] = args[j];
        Atomics.store(c, 0, gen);
        Atomics.notify(c, 0);
      }
      let failed = false;
      try {
        (rt.exports[kernel] as (...a: number[]) => void)(...argsPerThread[0]);
      } finally {
        // Even when this thread's share trapped: the workers still use the call's scratch.
        for (let i = 1; i < argsPerThread.length; i++) {
          const c = ctrls[i - 1];
          for (let d = Atomics.load(c, 30); d !== gen; d = Atomics.load(c, 30)) Atomics.wait(c, 30, d);
          if (c[29] !== 0) failed = true;
        }
      }
      if (failed) throw new Error(`wasm backend: ${kernel} failed on a worker thread`);
    },
    close() {
      if (closed) return;
      closed = true;
      for (const c of ctrls) {
        Atomics.store(c, 0, -1);
        Atomics.notify(c, 0);
      }
      for (const w of workers) void w.terminate();
    },
  };
}
