/**
 * nabla's main entry under Node.js: the whole core API, running on the native oneDNN backend
 * when its addon was built at install time, else on the WebAssembly SIMD kernels (NABLA_BACKEND=native|wasm|js
 * forces one).
 * Browsers resolve `nabla` to the core entry instead (see package.json "exports").
 */

import * as NodeGpu from './backend/webgpu/node-gpu.js';
import { useDefaultBackend } from './nodejs/backends.js';
import { counted } from './tensor/keywords.js';

export { MAX_THREADS } from './backend/native/index.js';
export type { BackendInfo } from './backend/select-node.js';
export {
  backendInfo,
  setNumThreads,
  useDefaultBackend,
  useJsBackend,
  useNativeBackend,
  useWasmBackend,
} from './nodejs/backends.js';
// Node's initWebGpu acquires the GPU through Dawn (the npm package 'webgpu'); it replaces the
// browser one (navigator.gpu) of the star export below.
/**
 * Acquires a GPU through Dawn and registers it as nabla's 'webgpu' device (`x.to('webgpu')`).
 * Throws a `WebGpuUnavailableError` saying why when Dawn finds no adapter (no Vulkan loader, no
 * driver: see {@link nodeNoAdapterHint}).
 */
export const initWebGpu = counted('initWebGpu', NodeGpu.initWebGpu, ['options?']);
export * from './index.js';

useDefaultBackend();
