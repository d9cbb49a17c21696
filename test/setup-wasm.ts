// Runs a test project on the WebAssembly SIMD backend with two kernel threads, so the threaded
// paths (worker_threads over the shared memory) run under every suite.
import { setNumThreads, useWasmBackend } from '../src/backend/select-node.js';

setNumThreads(2);
useWasmBackend();
