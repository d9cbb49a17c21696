/**
 * The backend switches of Node.js (`nabla` and `nabla/node` export the same functions): each
 * refuses surplus arguments, naming itself (tensor/keywords.ts).
 */
import * as Native from '../backend/native/index.js';
import * as Sel from '../backend/select-node.js';
import { counted } from '../tensor/keywords.js';

/** Switches back to the TypeScript reference kernels. */
export const useJsBackend = counted('useJsBackend', Native.useJsBackend, []);
/**
 * Switches to the native backend if the addon loads; returns whether it is active. Throws when
 * NABLA_BACKEND names an unknown backend, or asks for native and the addon is unavailable.
 */
export const useNativeBackend = counted('useNativeBackend', Native.useNativeBackend, []);
export const backendInfo = counted('backendInfo', Sel.backendInfo, []);
/** Sets the number of kernel threads of the native and wasm backends (default: all cores). */
export const setNumThreads = counted('setNumThreads', Sel.setNumThreads, ['n']);
/**
 * Installs the backend NABLA_BACKEND asks for, or the fastest available one, and returns its
 * name. Throws when NABLA_BACKEND names an unknown backend or one that cannot run here.
 */
export const useDefaultBackend = counted('useDefaultBackend', Sel.useDefaultBackend, []);
/**
 * Switches to the WebAssembly SIMD backend (with worker threads); throws where it cannot run.
 * `{ residentLimit }`: bytes of tensors kept in the kernels' memory (default 256 MiB).
 */
export const useWasmBackend = counted('useWasmBackend', Sel.useWasmBackend, ['options?']);
