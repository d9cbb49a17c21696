/**
 * The WebAssembly SIMD backend (browser-safe part): instantiating the kernels and installing the
 * backend, with Web Workers in browsers. Node's entry point adds worker_threads (src/backend/wasm/node.ts).
 */
import { backend, setBackend } from '../registry.js';
import { checkThreadCount } from '../threads.js';
import { wasmBackend } from './backend.js';
import { withResidentMemory } from './resident.js';
import { createRuntime, createRuntimeAsync, type WasmFeatures, type WasmRuntime, wasmFeatures } from './runtime.js';
import { createWebThreadPool, webThreadsUnavailable } from './threads-web.js';

let runtime: WasmRuntime | null = null;
/** Why a browser's kernels run on one thread, set by {@link initWasmBackend}. */
let webSingleReason: string | null = null;

/** The instantiated kernels, or null before {@link useWasmBackend}/{@link initWasmBackend}. */
export function wasmRuntime(): WasmRuntime | null {
  return runtime;
}

/** Why the wasm backend cannot run here, or null when it can (SIMD128 is required). */
export function wasmUnavailableReason(): string | null {
  const f = wasmFeatures();
  if (typeof WebAssembly !== 'object') return 'this platform has no WebAssembly';
  if (!f.simd) return 'this WebAssembly engine lacks SIMD128';
  return null;
}

/** Options of {@link useWasmBackend} (and of {@link initWasmBackend}). */
export interface WasmMemoryOptions {
  /**
   * Bytes that tensors living in the kernels' `WebAssembly.Memory` may take at most (default
   * 256 MiB; 0 keeps every tensor in an ordinary array). Float32 tensors of 64 KiB and up are
   * made there while the budget lasts, so kernels use them without copying; past it, new tensors
   * are ordinary arrays (copied in and out per call), so the memory never grows without bound
   * even in a loop whose dead tensors cannot be freed yet. Only on a shared memory (Node; a
   * cross-origin-isolated page).
   */
  residentLimit?: number;
}

const MAX_RESIDENT_LIMIT = 2 ** 32;

function checkMemoryOptions(fn: string, options: unknown, valid: readonly string[]): void {
  if (typeof options !== 'object' || options === null) throw new TypeError(`${fn}: options must be an object, got ${String(options)}`);
  for (const key of Object.keys(options))
    if (!valid.includes(key)) throw new TypeError(`${fn}: unknown option '${key}' (valid: ${valid.join(', ')})`);
  const limit = (options as WasmMemoryOptions).residentLimit;
  if (limit !== undefined && !(Number.isSafeInteger(limit) && limit >= 0 && limit <= MAX_RESIDENT_LIMIT))
    throw new RangeError(`${fn}: residentLimit must be a whole number of bytes from 0 to 2**32, got ${String(limit)}`);
}

function applyMemoryOptions(rt: WasmRuntime, options: WasmMemoryOptions): void {
  if (options.residentLimit !== undefined) rt.heap.residentLimit = options.residentLimit;
}

/**
 * Switches to the WebAssembly SIMD kernels, compiling them synchronously on first use (fine in
 * Node and in workers; a browser's main thread must use {@link initWasmBackend}). One thread
 * unless a thread pool is attached (Node's entry point does that). Bad options throw before
 * anything changes.
 */
export function useWasmBackend(options: WasmMemoryOptions = {}): void {
  checkMemoryOptions('useWasmBackend', options, ['residentLimit']);
  runtime ??= createRuntime();
  applyMemoryOptions(runtime, options);
  if (backend().name !== 'wasm') setBackend(withResidentMemory(wasmBackend(runtime), runtime));
}

/** Options of {@link initWasmBackend}. */
export interface InitWasmOptions extends WasmMemoryOptions {
  /**
   * Kernel threads in a browser: the page's thread plus `threads − 1` Web Workers over a shared
   * memory. Default: `navigator.hardwareConcurrency` on a cross-origin-isolated page, else 1.
   * Needs cross-origin isolation (COOP/COEP headers); without it the kernels run on one thread
   * and {@link wasmInfo} says why.
   */
  threads?: number;
}

const isNode = () => typeof process === 'object' && process.versions?.node !== undefined;

/**
 * Compiles the kernels asynchronously (required on a browser's main thread) and switches to them;
 * in a browser, also starts the Web Workers that share the kernels' work. Bad options throw at
 * once, before anything starts.
 */
export function initWasmBackend(options: InitWasmOptions = {}): Promise<void> {
  checkMemoryOptions('initWasmBackend', options, ['threads', 'residentLimit']);
  if (options.threads !== undefined) {
    const bad = checkThreadCount(options.threads);
    if (bad !== null) throw new RangeError(`initWasmBackend: threads ${bad}`);
  }
  return start(options);
}

async function start(options: InitWasmOptions): Promise<void> {
  runtime ??= await createRuntimeAsync();
  applyMemoryOptions(runtime, options);
  if (!isNode()) await attachWebThreads(runtime, options.threads);
  if (backend().name !== 'wasm') setBackend(withResidentMemory(wasmBackend(runtime), runtime));
}

async function attachWebThreads(rt: WasmRuntime, requested: number | undefined): Promise<void> {
  const cores = typeof navigator === 'object' ? (navigator.hardwareConcurrency ?? 1) : 1;
  const want = requested ?? cores;
  const why = !rt.heap.shared ? `no shared memory: ${wasmFeatures().sharedReason}` : webThreadsUnavailable(rt);
  if (want === 1 || why !== null) {
    webSingleReason = why ?? (requested === 1 ? 'one thread requested' : 'one core');
    if (rt.threads !== null) rt.threads.close();
    rt.threads = null;
    return;
  }
  if (rt.threads?.size === want) return;
  rt.threads?.close();
  rt.threads = null;
  rt.threads = await createWebThreadPool(rt, want);
  webSingleReason = null;
}

/** What the wasm backend runs with, for `nabla doctor` and bug reports. */
export interface WasmInfo {
  /** Null when the backend can run here, else why not. */
  unavailable: string | null;
  features: WasmFeatures;
  /** Threads the kernels use (1 until a pool is attached). */
  threads: number;
  /** Why the kernels run on one thread, when they are instantiated and do. */
  singleThreadReason?: string;
  /** Kernel calls split across threads so far (0 on one thread). */
  threadedCalls: number;
  /** Bytes of WebAssembly memory, once instantiated. */
  memoryBytes?: number;
  /**
   * Tensors living in that memory (see {@link WasmMemoryOptions.residentLimit}), once
   * instantiated: `bytes` their blocks hold now (dead tensors included until their finalizers
   * run), `peak` the most they held, `limit` the budget, `tensors` how many were made there and
   * `overBudget` how many became ordinary arrays because it was full; `reason` when tensors
   * cannot live there at all (a plain memory).
   */
  resident?: { bytes: number; peak: number; limit: number; tensors: number; overBudget: number; reason?: string };
}

export function wasmInfo(): WasmInfo {
  const features = wasmFeatures();
  const info: WasmInfo = {
    unavailable: wasmUnavailableReason(),
    features,
    threads: runtime?.threads?.size ?? 1,
    threadedCalls: runtime?.threads?.threadedCalls ?? 0,
  };
  if (runtime !== null) {
    const h = runtime.heap;
    info.memoryBytes = h.memory.buffer.byteLength;
    info.resident = {
      bytes: h.residentBytes,
      peak: h.residentPeak,
      limit: h.residentLimit,
      tensors: h.residentCount,
      overBudget: h.overBudgetCount,
      ...(h.shared ? {} : { reason: 'a plain (non-shared) memory: growing it would detach views, so every call copies' }),
    };
  }
  if (runtime !== null && info.threads === 1)
    info.singleThreadReason = !features.sharedMemory
      ? `no shared memory: ${features.sharedReason}`
      : isNode()
        ? 'one thread requested (setNumThreads) or one core'
        : (webSingleReason ?? 'initWasmBackend() has not started Web Workers');
  return info;
}

export type { WasmFeatures } from './runtime.js';
