// The WebGPU kernels, one per kernel of the Backend interface (backend.ts), over GPU arrays
// instead of TypedArrays. They encode work on a WebGpuContext and return at once; values reach
// the host only through WebGpuContext.read.
export {
  type Binding,
  type ContextStats,
  type GpuArray,
  type GpuDType,
  WebGpuContext,
  WebGpuKernelError,
  WebGpuOutOfMemoryError,
} from './context.js';
export { initWebGpu, useWebGpu, WEBGPU_DEVICE, type WebGpuDevice, webGpuBackend, webGpuMemory } from './device.js';
export { batchNorm, batchNormBackward } from './kernels/batchnorm.js';
export { type ConvAlgorithm, conv2d, conv2dBackwardData, conv2dBackwardWeights, setConvAlgorithm } from './kernels/conv.js';
export { binary, clamp, copy, fill, type GpuStrided, unary, where } from './kernels/elementwise.js';
export { gather, scatterAdd } from './kernels/indexing.js';
export { matmul } from './kernels/matmul.js';
export { adadeltaStep, adamStep, sgdStep } from './kernels/optim.js';
export {
  adaptiveAvgPool2d,
  adaptiveAvgPool2dBackward,
  avgPool2d,
  avgPool2dBackward,
  maxPool2d,
  maxPool2dBackward,
} from './kernels/pool.js';
export { argReduce, reduce } from './kernels/reduce.js';
export {
  type AcquiredDevice,
  type AdapterReport,
  describeAdapter,
  type RequestDeviceOptions,
  requestDevice,
  WebGpuUnavailableError,
} from './runtime.js';
