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

/**
 * The resident budget NABLA_WASM_RESIDENT_LIMIT asks for (bytes; for the CLI, which has no
 * `useWasmBackend` call to pass it to), or undefined when unset. Anything but a whole number of
 * bytes from 0 to 2**32 is an error naming the variable.
 */
export function residentLimitFromEnv(): number | undefined {
  const v = process.env.NABLA_WASM_RESIDENT_LIMIT;
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!/^\d+$/.test(v) || !(n <= 2 ** 32))
    throw new RangeError(
      `NABLA_WASM_RESIDENT_LIMIT=${v}: expected a whole number of bytes from 0 to 2**32 (0: no tensor in the wasm memory)`,
    );
  return n;
}

/** Switches to the wasm backend with its worker threads (the resident budget from `options`, else NABLA_WASM_RESIDENT_LIMIT). */
export function useWasmBackendNode(options: WasmMemoryOptions = {}): void {
  const fromEnv = options.residentLimit === undefined ? residentLimitFromEnv() : undefined;
  useWasmBackend(fromEnv === undefined ? options : { ...options, residentLimit: fromEnv });
  attach(wanted ?? availableParallelism());
}
