/**
 * The control protocol shared by Node's worker_threads and browsers' Web Workers: each worker
 * owns a control block of {@link SLOT} int32s in the shared memory and sleeps on its word 0
 * (Atomics.wait); a call writes the worker's kernel and arguments, bumps word 0 and wakes it,
 * runs the first share on the calling thread, then waits for every worker's done word.
 */
import { THREAD_KERNELS, type ThreadKernel, type ThreadPool, type WasmRuntime } from './runtime.js';

// Per worker: [0] generation, [1] kernel index, [2] argument count, [3..28] arguments,
// [29] failed flag, [30] generation done.
export const SLOT = 32;
const MAX_ARGS = 26;

/** The loop each worker runs (plain JavaScript, shared by the Node and browser worker sources). */
export const WORKER_LOOP = `
function serve(ex, memory, ctrl, kernels) {
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
}
`;

/**
 * A pool over workers already serving the control blocks `ctrls` (byte offsets in the shared
 * memory). `canBlock`: whether this thread may sleep in Atomics.wait (a browser page's main
 * thread may not: it spins on Atomics.load instead, for the few milliseconds a split kernel takes).
 */
export function controlPool(rt: WasmRuntime, ctrls: number[], canBlock: boolean, terminate: () => void): ThreadPool {
  const views = ctrls.map((ctrl) => new Int32Array(rt.heap.memory.buffer, ctrl, SLOT));
  const threads = ctrls.length + 1;
  let gen = 0;
  let closed = false;
  let calls = 0;
  const waitDone = (c: Int32Array) => {
    for (let d = Atomics.load(c, 30); d !== gen; d = Atomics.load(c, 30)) if (canBlock) Atomics.wait(c, 30, d);
  };
  return {
    size: threads,
    get threadedCalls() {
      return calls;
    },
    run(kernel: ThreadKernel, argsPerThread: number[][]) {
      if (closed) throw new Error('wasm backend: the thread pool was closed');
      if (argsPerThread.length > threads) throw new Error(`wasm backend: ${argsPerThread.length} tasks for ${threads} threads`);
      gen++;
      calls++;
      const k = THREAD_KERNELS.indexOf(kernel);
      for (let i = 1; i < argsPerThread.length; i++) {
        const c = views[i - 1];
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
          waitDone(views[i - 1]);
          if (views[i - 1][29] !== 0) failed = true;
        }
      }
      if (failed) throw new Error(`wasm backend: ${kernel} failed on a worker thread`);
    },
    close() {
      if (closed) return;
      closed = true;
      for (const c of views) {
        Atomics.store(c, 0, -1);
        Atomics.notify(c, 0);
      }
      terminate();
    },
  };
}

/** Control blocks for `workers` workers, zeroed, in the runtime's shared memory. */
export function controlBlocks(rt: WasmRuntime, workers: number): number[] {
  if (!rt.heap.shared) throw new Error('wasm backend: threads need a shared WebAssembly memory');
  const base = rt.heap.alloc(Math.max(1, workers) * SLOT * 4);
  new Int32Array(rt.heap.memory.buffer, base, workers * SLOT).fill(0);
  return Array.from({ length: workers }, (_, i) => base + i * SLOT * 4);
}
