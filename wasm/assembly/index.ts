// nabla's WebAssembly kernels (built by wasm/build.mjs into src/backend/wasm/binary.ts).
export { KC, MC, MR, NC, NR, packABytes, packBBytes, sgemm, sgemmBatch } from './gemm';
export { addInto, colBytes, conv2dBackwardData, conv2dBackwardWeights, conv2dForward } from './conv';

/** The first byte past the module's static data: nabla's allocator starts above it. */
export function heapBase(): usize {
  return __heap_base;
}
export { addScaledF32, binaryF32, reduceF32, unaryF32 } from './elementwise';
export { avgPool2dBackwardF32, avgPool2dF32, maxPool2dBackwardF32, maxPool2dF32 } from './pool';
export { batchNormBackwardF32, batchNormF32 } from './batchnorm';
export { adadeltaStepF32, adamStepF32, sgdStepF32 } from './optim';
