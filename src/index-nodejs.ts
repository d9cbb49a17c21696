/**
 * nabla's main entry under Node.js: the whole core API, running on the native oneDNN backend
 * when its addon was built at install time (set NABLA_BACKEND=js to keep the TypeScript kernels).
 * Browsers resolve `nabla` to the core entry instead (see package.json "exports").
 */
import { useNativeBackend } from './backend/native/index.js';

export { type BackendInfo, backendInfo, MAX_THREADS, setNumThreads, useJsBackend, useNativeBackend } from './backend/native/index.js';
export * from './index.js';

useNativeBackend();
