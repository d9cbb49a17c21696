// The float32 tolerances the WebGPU kernels are held to against the TypeScript reference kernels,
// per op family, in one place: the kernel tests and the conformance suite both use this table,
// and docs/webgpu.md states it (test/backend/webgpu/tolerances.test.ts keeps the two equal).
// A tolerance t accepts |webgpu − reference| ≤ t · max(1, |reference|); NaN positions must match.
import type { KernelName } from '../../../src/backend/kernels.js';

export const WEBGPU_TOLERANCE = {
  /** Moves, selections, comparisons, max/min, sign, relu, argmax: no arithmetic, bit for bit. */
  exact: 0,
  /** One float32 rounding (WGSL's division is within 2.5 ulp). */
  arithmetic: 1e-6,
  /** WGSL's exp/log/tanh/pow/… against the reference's float64 Math functions rounded once. */
  transcendental: 1e-5,
  /** WGSL promises sin/cos only within 2^-11 absolute on [-π, π]. */
  trig: 5e-4,
  /** float32 tree sums and products against the reference's float64 accumulation. */
  reduction: 1e-5,
  /** Matmul and convolution: float32 fma chains in another summation order. */
  matmul: 1e-5,
  /** Average pooling and its backward: float32 sums of a window. */
  pool: 1e-6,
  /** Batch norm: float32 statistics (the device's statsDType) against the reference's float64 ones. */
  batchNorm: 1e-4,
  /** Optimizer steps: a few float32 roundings per update (square roots, divisions, decay). */
  optimizer: 1e-5,
} as const;

export type ToleranceFamily = keyof typeof WEBGPU_TOLERANCE;

const UNARY_FAMILY: Record<string, ToleranceFamily> = {
  neg: 'exact',
  abs: 'exact',
  sign: 'exact',
  relu: 'exact',
  not: 'exact',
  square: 'arithmetic',
  reciprocal: 'arithmetic',
  sqrt: 'arithmetic',
  sin: 'trig',
  cos: 'trig',
};
const BINARY_FAMILY: Record<string, ToleranceFamily> = {
  add: 'arithmetic',
  sub: 'arithmetic',
  mul: 'arithmetic',
  div: 'arithmetic',
  pow: 'transcendental',
};
const KERNEL_FAMILY: Record<KernelName, ToleranceFamily | null> = {
  copy: 'exact',
  fill: 'exact',
  unary: null,
  clamp: 'exact',
  binary: null,
  where: 'exact',
  reduce: null,
  argReduce: 'exact',
  matmul: 'matmul',
  gather: 'exact',
  scatterAdd: 'arithmetic',
  conv2d: 'matmul',
  conv2dBackwardData: 'matmul',
  conv2dBackwardWeights: 'matmul',
  maxPool2d: 'exact',
  maxPool2dBackward: 'pool',
  avgPool2d: 'pool',
  avgPool2dBackward: 'pool',
  adaptiveAvgPool2d: 'pool',
  adaptiveAvgPool2dBackward: 'pool',
  batchNorm: 'batchNorm',
  batchNormBackward: 'batchNorm',
  sgdStep: 'optimizer',
  adamStep: 'optimizer',
  adadeltaStep: 'optimizer',
};

/** The family of a kernel call; `op` is the op name of unary, binary and reduce. */
export function toleranceFamily(kernel: KernelName, op?: unknown): ToleranceFamily {
  const fixed = KERNEL_FAMILY[kernel];
  if (fixed !== null) return fixed;
  const name = String(op);
  if (kernel === 'unary') return UNARY_FAMILY[name] ?? 'transcendental';
  if (kernel === 'binary') return BINARY_FAMILY[name] ?? 'exact'; // comparisons, max/min, logic, reluGrad
  return name === 'sum' || name === 'prod' ? 'reduction' : 'exact'; // reduce: max and min select
}
