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
export const useJsBackend = counted('useJsBackend', Native.useJsBackend, []);
export const useNativeBackend = counted('useNativeBackend', Native.useNativeBackend, []);
export const backendInfo = counted('backendInfo', Sel.backendInfo, []);
export const setNumThreads = counted('setNumThreads', Sel.setNumThreads, ['n']);
export const useDefaultBackend = counted('useDefaultBackend', Sel.useDefaultBackend, []);
export const useWasmBackend = counted('useWasmBackend', Sel.useWasmBackend, []);
// Node's initWebGpu acquires the GPU through Dawn (the npm package 'webgpu'); it replaces the
// browser one (navigator.gpu) of the star export below.
export const initWebGpu = counted('initWebGpu', NodeGpu.initWebGpu, ['options?']);
export * from './index.js';

Sel.useDefaultBackend();
