// nabla's WebAssembly kernels (built by wasm/build.mjs into src/backend/wasm/binary.ts).
export { KC, MC, MR, NC, NR, packABytes, packBBytes, sgemm, sgemmBatch } from './gemm';
export { addInto, colBytes, conv2dBackwardData, conv2dBackwardWeights, conv2dForward } from './conv';

/** The first byte past the module's static data: nabla's allocator starts above it. */
export function heapBase(): usize {
  return __heap_base;
}
