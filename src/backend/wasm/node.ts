/**
 * Node-only: the wasm backend with worker_threads over its shared memory (the calling thread
 * plus threads − 1 workers; default: every core).
 */
import { availableParallelism } from 'node:os';
import { checkThreadCount } from '../threads.js';
import { useWasmBackend, type WasmMemoryOptions, wasmRuntime } from './index.js';
import { createNodeThreadPool } from './threads-node.js';

let wanted: number | null = null;

/** Kernel threads the wasm backend uses from now on (1 to MAX_THREADS; default every core). */
export function setWasmThreads(n: number): void {
  const bad = checkThreadCount(n);
  if (bad !== null) throw new RangeError(`setNumThreads: n ${bad}`);
  wanted = n;
  const rt = wasmRuntime();
  if (rt !== null) attach(n);
}

function attach(n: number): void {
  const rt = wasmRuntime();
  if (rt === null || (rt.threads?.size ?? 1) === n) return;
  rt.threads?.close();
  rt.threads = n > 1 && rt.heap.shared ? createNodeThreadPool(rt, n) : null;
}

/** Switches to the wasm backend with its worker threads. */
export function useWasmBackendNode(options: WasmMemoryOptions = {}): void {
  useWasmBackend(options);
  attach(wanted ?? availableParallelism());
}
