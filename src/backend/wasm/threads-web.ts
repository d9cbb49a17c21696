/**
 * Browsers: Web Workers sharing the wasm backend's memory, on cross-origin-isolated pages (the
 * only place a shared WebAssembly.Memory exists). Each worker receives the compiled module and
 * the memory by postMessage, instantiates the kernels and serves its control block (./pool.ts).
 * The pool is handed out only once every worker has said it is ready: a page's main thread
 * spins while workers compute, so a worker must not still need it to start up.
 */
import { controlBlocks, controlPool, WORKER_LOOP } from './pool.js';
import { THREAD_KERNELS, type ThreadPool, type WasmRuntime } from './runtime.js';

const WORKER_SOURCE = `
${WORKER_LOOP}
self.onmessage = async (ev) => {
  const { module, memory, ctrl, kernels } = ev.data;
  try {
    const instance = await WebAssembly.instantiate(module, { env: { memory } });
    self.postMessage({ ready: true });
    serve(instance.exports, memory, ctrl, kernels);
  } catch (e) {
    self.postMessage({ ready: false, error: String(e && e.message ? e.message : e) });
  }
};
`;

/** Whether this thread may block in Atomics.wait (workers may; a page's main thread may not). */
function canBlock(): boolean {
  const g = globalThis as { document?: unknown };
  return g.document === undefined;
}

/** Why Web Workers cannot run the kernels here, or null when they can. */
export function webThreadsUnavailable(rt: WasmRuntime): string | null {
  if (!rt.heap.shared) return 'no shared memory';
  if (typeof Worker !== 'function') return 'this platform has no Web Workers';
  if (typeof Blob !== 'function' || typeof URL?.createObjectURL !== 'function') return 'no Blob URLs to start workers from';
  return null;
}

/** Starts `threads − 1` Web Workers over the runtime's shared memory; resolves when all are ready. */
export async function createWebThreadPool(rt: WasmRuntime, threads: number): Promise<ThreadPool> {
  const why = webThreadsUnavailable(rt);
  if (why !== null) throw new Error(`wasm backend: cannot start Web Workers: ${why}`);
  const ctrls = controlBlocks(rt, threads - 1);
  const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
  const workers: Worker[] = [];
  try {
    await Promise.all(
      ctrls.map(
        (ctrl) =>
          new Promise<void>((resolve, reject) => {
            const w = new Worker(url);
            workers.push(w);
            w.onmessage = (ev: MessageEvent<{ ready: boolean; error?: string }>) => {
              if (ev.data.ready) resolve();
              else reject(new Error(`wasm backend: a Web Worker could not instantiate the kernels: ${ev.data.error}`));
            };
            w.onerror = (ev) => reject(new Error(`wasm backend: a Web Worker failed to start: ${ev.message}`));
            w.postMessage({ module: rt.module, memory: rt.heap.memory, ctrl, kernels: THREAD_KERNELS });
          }),
      ),
    );
  } catch (e) {
    for (const w of workers) w.terminate();
    throw e;
  } finally {
    URL.revokeObjectURL(url);
  }
  return controlPool(rt, ctrls, canBlock(), () => {
    for (const w of workers) w.terminate();
  });
}
