/**
 * nabla's Node.js-only entry point (`import … from 'nabla/node'`): file-backed datasets,
 * checkpoint files and anything else that needs `node:` modules. The core (`nabla`) stays
 * browser-safe.
 */

export { MAX_THREADS } from '../backend/native/index.js';
export type { BackendInfo } from '../backend/select-node.js';
export { writeFileAtomic } from './atomic.js';
export { backendInfo, setNumThreads, useDefaultBackend, useJsBackend, useNativeBackend, useWasmBackend } from './backends.js';
export { load, loadWithMetadata, save } from './checkpoint.js';
export { type IdxArray, type IdxType, type LoadIdxOptions, loadIdxDataset, type ReadIdxOptions, readIdx } from './idx.js';
export { loadMnist } from './mnist.js';
export { savePlot, svgToPng } from './plot-file.js';
