/**
 * nabla's main entry under Node.js: the whole core API, running on the native oneDNN backend
 * when its addon was built at install time, else on the WebAssembly SIMD kernels (NABLA_BACKEND=native|wasm|js
 * forces one).
 * Browsers resolve `nabla` to the core entry instead (see package.json "exports").
 */
import * as Native from './backend/native/index.js';
import * as Sel from './backend/select-node.js';
import * as NodeGpu from './backend/webgpu/node-gpu.js';
import { counted } from './tensor/keywords.js';

export { MAX_THREADS } from './backend/native/index.js';
export type { BackendInfo } from './backend/select-node.js';
// Each refuses surplus arguments, naming itself (tensor/keywords.ts).
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
// Node's initWebGpu acquires the GPU through Dawn (the npm package 'webgpu'); it replaces the
// browser one (navigator.gpu) of the star export below.
/**
 * Acquires a GPU through Dawn and registers it as nabla's 'webgpu' device (`x.to('webgpu')`).
 * Throws a `WebGpuUnavailableError` saying why when Dawn finds no adapter (no Vulkan loader, no
 * driver: see {@link nodeNoAdapterHint}).
 */
export const initWebGpu = counted('initWebGpu', NodeGpu.initWebGpu, ['options?']);
export * from './index.js';

Sel.useDefaultBackend();
