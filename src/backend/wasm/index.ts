/**
 * The WebAssembly SIMD backend (browser-safe part): instantiating the kernels and installing the
 * backend. Node's entry point adds worker threads (src/backend/wasm/node.ts).
 */
import { backend, setBackend } from '../registry.js';
import { wasmBackend } from './backend.js';
import { createRuntime, createRuntimeAsync, type WasmFeatures, type WasmRuntime, wasmFeatures } from './runtime.js';

let runtime: WasmRuntime | null = null;

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

/**
 * Switches to the WebAssembly SIMD kernels, compiling them synchronously on first use (fine in
 * Node and in workers; a browser's main thread must use {@link initWasmBackend}). One thread
 * unless a thread pool is attached (Node's entry point does that).
 */
export function useWasmBackend(): void {
  runtime ??= createRuntime();
  if (backend().name !== 'wasm') setBackend(wasmBackend(runtime));
}

/** Compiles the kernels asynchronously (required on a browser's main thread) and switches to them. */
export async function initWasmBackend(): Promise<void> {
  runtime ??= await createRuntimeAsync();
  if (backend().name !== 'wasm') setBackend(wasmBackend(runtime));
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
  /** Bytes of WebAssembly memory, once instantiated. */
  memoryBytes?: number;
}

export function wasmInfo(): WasmInfo {
  const features = wasmFeatures();
  const info: WasmInfo = { unavailable: wasmUnavailableReason(), features, threads: runtime?.threads?.size ?? 1 };
  if (runtime !== null) info.memoryBytes = runtime.heap.memory.buffer.byteLength;
  if (runtime !== null && info.threads === 1)
    info.singleThreadReason = !features.sharedMemory
      ? `no shared memory: ${features.sharedReason}`
      : typeof process === 'object' && process.versions?.node !== undefined
        ? 'one thread requested (setNumThreads) or one core'
        : 'worker threads are not wired for browsers yet';
  return info;
}

export type { WasmFeatures } from './runtime.js';
