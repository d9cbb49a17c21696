/**
 * nabla: tensors, reverse-mode autograd and a PyTorch-shaped eager API. This entry point is the
 * browser-safe core; it imports nothing Node-specific.
 */
import './tensor/methods.js';

export { Tensor, Storage, type NestedArray } from './tensor/tensor.js';
export type { DType, TypedArray } from './tensor/dtype.js';
export { promoteTypes, resultType } from './tensor/dtype.js';
export { formatTensor, getPrintOptions, setPrintOptions, type PrintOptions } from './tensor/format.js';

export {
  tensor,
  fromTypedArray,
  zeros,
  ones,
  full,
  empty,
  zerosLike,
  onesLike,
  fullLike,
  emptyLike,
  arange,
  linspace,
  eye,
  type CreateOptions,
} from './ops/creation.js';
export { clone, contiguous, detach, to } from './ops/convert.js';
export {
  view,
  reshape,
  flatten,
  unflatten,
  permute,
  transpose,
  t,
  expand,
  squeeze,
  unsqueeze,
  narrow,
  select,
  slice,
} from './ops/views.js';
export { cat, stack, split, chunk, unbind } from './ops/join.js';
export {
  add,
  sub,
  mul,
  div,
  pow,
  maximum,
  minimum,
  eq,
  ne,
  lt,
  le,
  gt,
  ge,
  logicalAnd,
  logicalOr,
  where,
  addcmul,
  addcdiv,
} from './ops/binary.js';
export {
  neg,
  abs,
  sign,
  exp,
  log,
  log1p,
  expm1,
  sqrt,
  rsqrt,
  reciprocal,
  square,
  sin,
  cos,
  sigmoid,
  tanh,
  relu,
  clamp,
  logicalNot,
} from './ops/unary.js';
export {
  sum,
  mean,
  prod,
  max,
  min,
  argmax,
  argmin,
  variance as var,
  std,
  logsumexp,
  sumTo,
  type ReduceOptions,
  type VarOptions,
  type ValuesIndices,
} from './ops/reduce.js';
export { softmax, logSoftmax } from './ops/softmax.js';
export { matmul, mm, bmm, dot, outer, diag, diagflat } from './ops/linalg.js';
export { gather, indexSelect, scatterAdd, oneHot } from './ops/indexing.js';
export type { Operand } from './ops/operand.js';

export { noGrad, enableGrad, isGradEnabled, setGradEnabled } from './autograd/grad-mode.js';
export { backward, type BackwardOptions } from './autograd/backward.js';
export { Node } from './autograd/node.js';

export type { Backend } from './backend/backend.js';
export { backend, setBackend } from './backend/registry.js';
export { gradcheck, type GradcheckOptions, type GradcheckResult } from './autograd/gradcheck.js';
export { rand, randn, randint, randperm, bernoulli, uniform_, normal_, bernoulli_, type RandomOptions } from './ops/random.js';
export { Generator, defaultGenerator, manualSeed, type GeneratorState } from './random/generator.js';

export * as nn from './nn/index.js';
export * as optim from './optim/index.js';
export * as data from './data/index.js';
export * as io from './io/index.js';
