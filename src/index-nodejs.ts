/**
 * nabla's main entry under Node.js: the whole core API, running on the native oneDNN backend
 * when its addon was built at install time, else on the WebAssembly SIMD kernels (NABLA_BACKEND=native|wasm|js
 * forces one).
 * Browsers resolve `nabla` to the core entry instead (see package.json "exports").
 */
import { useDefaultBackend } from './backend/select-node.js';

export { MAX_THREADS, useJsBackend, useNativeBackend } from './backend/native/index.js';
export { type BackendInfo, backendInfo, setNumThreads, useDefaultBackend, useWasmBackend } from './backend/select-node.js';
// Node's initWebGpu acquires the GPU through Dawn (the npm package 'webgpu'); it replaces the
// browser one (navigator.gpu) of the star export below.
export { initWebGpu } from './backend/webgpu/node-gpu.js';
export * from './index.js';

useDefaultBackend();
