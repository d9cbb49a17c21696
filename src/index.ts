/**
 * nabla: tensors, reverse-mode autograd and a PyTorch-shaped eager API. This entry point is the
 * browser-safe core; it imports nothing Node-specific.
 */
import './tensor/methods.js';

export * as analysis from './analysis/index.js';
export { type AutocastDType, type AutocastOptions, autocast } from './autocast/autocast.js';
export type { BackwardOptions } from './autograd/backward.js';
export { GradFn } from './autograd/grad-fn.js';
export type { GradcheckOptions, GradcheckResult } from './autograd/gradcheck.js';
export * as autograd from './autograd/index.js';
export type { Backend, IndexBuffer, StatsBuffer, Strided } from './backend/backend.js';
export type {
  BackendDefinition,
  Device,
  DeviceLike,
  DeviceMemory,
  FallbackListener,
  FallbackReason,
  FallbackRecord,
  KernelEntry,
  KernelName,
  KernelRegistrations,
} from './backend/registry.js';
export { hostMemory } from './backend/registry.js';
export type { InitWasmOptions, WasmFeatures, WasmInfo, WasmMemoryOptions } from './backend/wasm/index.js';
export type { WebGpuDevice } from './backend/webgpu/device.js';
export { WebGpuUnavailableError } from './backend/webgpu/runtime.js';
export * as data from './data/index.js';
export {
  backend,
  backward,
  defineBackend,
  enableGrad,
  fallbacks,
  formatTensor,
  getDefaultDevice,
  getDevice,
  getPrintOptions,
  gradcheck,
  initWasmBackend,
  initWebGpu,
  isAutocastEnabled,
  isGradEnabled,
  listDevices,
  manualSeed,
  noGrad,
  onFallback,
  promoteTypes,
  referenceBackend,
  registerDevice,
  resetFallbacks,
  resultType,
  setBackend,
  setDefaultDevice,
  setGradEnabled,
  setPrintOptions,
  sumTo,
  useWebGpu,
  wasmInfo,
} from './functions.js';
export * as io from './io/index.js';
export * as nn from './nn/index.js';
export {
  abs,
  add,
  addcdiv,
  addcmul,
  arange,
  bernoulli,
  bernoulli_,
  bmm,
  cat,
  chunk,
  clamp,
  clone,
  contiguous,
  cos,
  detach,
  diag,
  diagflat,
  div,
  dot,
  emptyLike,
  eq,
  exp,
  expand,
  expm1,
  exponential_,
  eye,
  flatten,
  fromTypedArray,
  full,
  fullLike,
  gather,
  ge,
  gt,
  index,
  indexSelect,
  le,
  linspace,
  log,
  log1p,
  log2,
  log10,
  logicalAnd,
  logicalNot,
  logicalOr,
  lt,
  matmul,
  maximum,
  minimum,
  mm,
  mul,
  multinomial,
  narrow,
  ne,
  neg,
  normal_,
  oneHot,
  onesLike,
  outer,
  permute,
  pow,
  randperm,
  reciprocal,
  relu,
  reshape,
  rsqrt,
  scatterAdd,
  select,
  sigmoid,
  sign,
  sin,
  slice,
  split,
  sqrt,
  square,
  squeeze,
  stack,
  sub,
  t,
  tanh,
  tensor,
  to,
  transpose,
  unbind,
  unflatten,
  uniform_,
  unsqueeze,
  view,
  where,
  zerosLike,
} from './ops/api.js';
export { type CreateOptions, empty, ones, zeros } from './ops/creation.js';
export type { IndexEntry } from './ops/indexing.js';
export * as linalg from './ops/linalg-api.js';
export { type NormArgs, norm, vectorNorm } from './ops/norm.js';
export type { Operand } from './ops/operand.js';
export { type MultinomialOptions, type RandomOptions, rand, randint, randn } from './ops/random.js';
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
export * as optim from './optim/index.js';
export { defaultGenerator, Generator, type GeneratorState } from './random/generator.js';
export type { DType, TypedArray } from './tensor/dtype.js';
export type { PrintOptions } from './tensor/format.js';
export { type NestedArray, Storage, Tensor } from './tensor/tensor.js';
