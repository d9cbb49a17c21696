/**
 * Node-only: which backend runs nabla's kernels. NABLA_BACKEND=native|wasm|js forces one;
 * unset, the native oneDNN backend when its addon loads, else the WebAssembly SIMD backend, else
 * the TypeScript kernels.
 */

import { requestedBackend } from './native/addon.js';
import { backendInfo as nativeInfo, setNumThreads as setNativeThreads, useJsBackend, useNativeBackend } from './native/index.js';
import { backend } from './registry.js';
import { checkThreadCount } from './threads.js';
import { type WasmInfo, type WasmMemoryOptions, wasmInfo, wasmUnavailableReason } from './wasm/index.js';
import { setWasmThreads, useWasmBackendNode } from './wasm/node.js';

/** What runs nabla's kernels, for `nabla doctor` and bug reports. */
export interface BackendInfo {
  /** The active backend's name: 'native', 'wasm' or 'js'. */
  active: string;
  nativeAvailable: boolean;
  /** oneDNN version and CPU ISA when the addon is loaded. */
  onednn?: string;
  isa?: string;
  /** Kernel threads of the active backend (the TypeScript kernels use one). */
  threads?: number;
  /** Why the native backend is unavailable, when it is. */
  reason?: string;
  /** The ISA oneDNN runs autocast's bf16 kernels with, or '' when the CPU lacks bf16 instructions (native loaded only). */
  bf16Isa?: string;
  /** The WebAssembly backend: features, threads, and why it is unavailable or single-threaded. */
  wasm: WasmInfo;
}

/**
 * Switches to the WebAssembly SIMD backend (with worker threads); throws where it cannot run.
 * `residentLimit`: bytes of tensors kept in the kernels' memory (see {@link WasmMemoryOptions}).
 */
export function useWasmBackend(options: WasmMemoryOptions = {}): void {
  const why = wasmUnavailableReason();
  if (why !== null) throw new Error(`wasm backend unavailable: ${why}`);
  useWasmBackendNode(options);
}

/**
 * Installs the backend NABLA_BACKEND asks for, or the fastest available one, and returns its
 * name. Throws when NABLA_BACKEND names an unknown backend or one that cannot run here.
 */
export function useDefaultBackend(): string {
  const wanted = requestedBackend();
  if (wanted === 'js') useJsBackend();
  else if (wanted === 'wasm') {
    const why = wasmUnavailableReason();
    if (why !== null) throw new Error(`NABLA_BACKEND=wasm: ${why}`);
    useWasmBackendNode();
  } else if (!useNativeBackend()) {
    if (wasmUnavailableReason() === null) useWasmBackendNode();
    else useJsBackend();
  }
  return backend().name;
}

/** Sets the number of kernel threads of the native and wasm backends (default: all cores). */
export function setNumThreads(n: number): void {
  const bad = checkThreadCount(n);
  if (bad !== null) throw new RangeError(`setNumThreads: n ${bad}`);
  setNativeThreads(n);
  setWasmThreads(n);
}

export function backendInfo(): BackendInfo {
  const n = nativeInfo();
  const wasm = wasmInfo();
  const active = backend().name;
  const threads = active === 'native' ? n.threads : active === 'wasm' ? wasm.threads : 1;
  return { ...n, active, ...(threads !== undefined ? { threads } : {}), wasm };
}
