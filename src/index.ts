/**
 * nabla: tensors, reverse-mode autograd and a PyTorch-shaped eager API. This entry point is the
 * browser-safe core; it imports nothing Node-specific.
 */
import './tensor/methods.js';

export * as analysis from './analysis/index.js';
export { type AutocastDType, type AutocastOptions, autocast, isAutocastEnabled } from './autocast/autocast.js';
export { type BackwardOptions, backward } from './autograd/backward.js';
export { GradFn } from './autograd/grad-fn.js';
export { enableGrad, isGradEnabled, noGrad, setGradEnabled } from './autograd/grad-mode.js';
export { type GradcheckOptions, type GradcheckResult, gradcheck } from './autograd/gradcheck.js';
export * as autograd from './autograd/index.js';
export type { Backend, IndexBuffer, StatsBuffer, Strided } from './backend/backend.js';
export {
  type BackendDefinition,
  backend,
  type Device,
  type DeviceLike,
  type DeviceMemory,
  defineBackend,
  type FallbackListener,
  type FallbackReason,
  type FallbackRecord,
  fallbacks,
  getDefaultDevice,
  getDevice,
  hostMemory,
  type KernelEntry,
  type KernelName,
  type KernelRegistrations,
  listDevices,
  onFallback,
  referenceBackend,
  registerDevice,
  resetFallbacks,
  setBackend,
  setDefaultDevice,
} from './backend/registry.js';
export { initWasmBackend, type WasmFeatures, type WasmInfo, wasmInfo } from './backend/wasm/index.js';
export { initWebGpu, useWebGpu, type WebGpuDevice } from './backend/webgpu/device.js';
export * as data from './data/index.js';
export * as io from './io/index.js';
export * as nn from './nn/index.js';
export { sumTo } from './ops/adjoint.js';
export {
  add,
  addcdiv,
  addcmul,
  div,
  eq,
  ge,
  gt,
  le,
  logicalAnd,
  logicalOr,
  lt,
  maximum,
  minimum,
  mul,
  ne,
  pow,
  sub,
  where,
} from './ops/binary.js';
export { clone, contiguous, detach, to } from './ops/convert.js';
export {
  arange,
  type CreateOptions,
  empty,
  emptyLike,
  eye,
  fromTypedArray,
  full,
  fullLike,
  linspace,
  ones,
  onesLike,
  tensor,
  zeros,
  zerosLike,
} from './ops/creation.js';
export { gather, type IndexEntry, index, indexSelect, oneHot, scatterAdd } from './ops/indexing.js';
export { cat, chunk, split, stack, unbind } from './ops/join.js';
export { bmm, diag, diagflat, dot, matmul, mm, outer } from './ops/linalg.js';
export * as linalg from './ops/linalg-api.js';
export { log2, log10, type NormArgs, norm, vectorNorm } from './ops/norm.js';
export type { Operand } from './ops/operand.js';
export {
  bernoulli,
  bernoulli_,
  exponential_,
  type MultinomialOptions,
  multinomial,
  normal_,
  type RandomOptions,
  rand,
  randint,
  randn,
  randperm,
  uniform_,
} from './ops/random.js';
export {
  argmax,
  argmin,
  logsumexp,
  max,
  mean,
  min,
  prod,
  type ReduceOptions,
  std,
  sum,
  type ValuesIndices,
  type VarOptions,
  variance as var,
} from './ops/reduce.js';
export { logSoftmax, softmax } from './ops/softmax.js';
export {
  abs,
  clamp,
  cos,
  exp,
  expm1,
  log,
  log1p,
  logicalNot,
  neg,
  reciprocal,
  relu,
  rsqrt,
  sigmoid,
  sign,
  sin,
  sqrt,
  square,
  tanh,
} from './ops/unary.js';
export {
  expand,
  flatten,
  narrow,
  permute,
  reshape,
  select,
  slice,
  squeeze,
  t,
  transpose,
  unflatten,
  unsqueeze,
  view,
} from './ops/views.js';
export * as optim from './optim/index.js';
export { defaultGenerator, Generator, type GeneratorState, manualSeed } from './random/generator.js';
export type { DType, TypedArray } from './tensor/dtype.js';
export { promoteTypes, resultType } from './tensor/dtype.js';
export { formatTensor, getPrintOptions, type PrintOptions, setPrintOptions } from './tensor/format.js';
export { type NestedArray, Storage, Tensor } from './tensor/tensor.js';
