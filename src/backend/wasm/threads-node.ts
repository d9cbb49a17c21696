/**
 * Node-only: worker_threads sharing the wasm backend's memory. Each worker instantiates the same
 * module over the same shared memory and serves its control block (./pool.ts).
 */
import { Worker } from 'node:worker_threads';
import { controlBlocks, controlPool, WORKER_LOOP } from './pool.js';
import { THREAD_KERNELS, type ThreadPool, type WasmRuntime } from './runtime.js';

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, ctrl, kernels } = workerData;
${WORKER_LOOP}
serve(new WebAssembly.Instance(module, { env: { memory } }).exports, memory, ctrl, kernels);
`;

/** A pool of `threads − 1` workers plus the calling thread, over the runtime's shared memory. */
export function createNodeThreadPool(rt: WasmRuntime, threads: number): ThreadPool {
  const ctrls = controlBlocks(rt, threads - 1);
  const workers = ctrls.map((ctrl) => {
    const w = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { module: rt.module, memory: rt.heap.memory, ctrl, kernels: THREAD_KERNELS },
    });
    // Idle workers sleep in Atomics.wait; they must not keep the process alive.
    w.unref();
    return w;
  });
  return controlPool(rt, ctrls, true, () => {
    for (const w of workers) void w.terminate();
  });
}
