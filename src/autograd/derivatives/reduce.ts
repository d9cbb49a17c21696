/** Backward rules of the reductions (ops/reduce.ts). */
import { div, eq, mul, sub, where } from '../../ops/binary.js';
import { to } from '../../ops/convert.js';
import { scatterAdd } from '../../ops/indexing.js';
import { centered, prod, sum } from '../../ops/reduce.js';
import { exp } from '../../ops/unary.js';
import { expand, reshape } from '../../ops/views.js';
import { Tensor } from '../../tensor/tensor.js';
import type { Rules } from './rule.js';

/** The input's shape and the output's shape with the reduced dims kept as 1s. */
export interface Shapes {
  inShape: readonly number[];
  keptShape: readonly number[];
}

const sumBack = (g: Tensor, { inShape, keptShape }: Shapes) => [expand(reshape(g, keptShape), inShape)];
const meanBack = (g: Tensor, { inShape, keptShape, size }: Shapes & { size: number }) => [
  div(expand(reshape(g, keptShape), inShape), size),
];

/**
 * d/dx_i Πx is the product of the other elements: Π/x_i without zeros; with one zero, the product
 * of the nonzero elements at the zero and 0 elsewhere; with more zeros, 0 everywhere.
 */
const prodBack = (g: Tensor, { x, dims, keptShape }: { x: Tensor; dims: number[]; keptShape: readonly number[] }) => {
  const kept = { dim: dims, keepdim: true };
  const isZero = eq(x, 0);
  const zeros = sum(isZero, kept);
  const safe = where(isZero, 1, x); // no 0/0 in either branch, so double backward stays finite
  const nonzero = prod(safe, kept);
  const d = where(isZero, where(eq(zeros, 1), nonzero, 0), where(eq(zeros, 0), div(nonzero, safe), 0));
  return [mul(reshape(g, keptShape), d)];
};

/** max()/min() over everything: the gradient is shared evenly among tied extreme elements, as PyTorch does. */
const extremeAllBack = (g: Tensor, { x, out }: { x: Tensor; out: Tensor }) => {
  const mask = to(eq(x, out), x.dtype);
  return [mul(div(mask, sum(mask)), g)];
};

/** max/min along a dim: the gradient goes to the index that won. */
const extremeDimBack = (g: Tensor, { inShape, d, indices, keptShape }: Shapes & { d: number; indices: Tensor }) => [
  scatterAdd(Tensor._empty(inShape, g.dtype, g._device), d, reshape(indices, keptShape), reshape(g, keptShape)),
];

export interface Spread {
  xf: Tensor;
  dims: number[];
  keptShape: readonly number[];
  divisor: number;
}

export const reduceRules = {
  SumBackward0: sumBack,
  SumBackward1: sumBack,
  MeanBackward0: meanBack,
  MeanBackward1: meanBack,
  ProdBackward0: prodBack,
  ProdBackward1: prodBack,
  MaxBackward1: extremeAllBack,
  MinBackward1: extremeAllBack,
  MaxBackward0: extremeDimBack,
  MinBackward0: extremeDimBack,
  /** d var / dx = 2 (x − mean) / (N − correction). */
  VarBackward0: (g: Tensor, { xf, dims, keptShape, divisor }: Spread) => [
    mul(reshape(g, keptShape), div(mul(centered(xf, dims), 2), divisor)),
  ],
  /** d std / dx = (x − mean) / ((N − correction) · std). */
  StdBackward0: (g: Tensor, { xf, dims, keptShape, divisor, out }: Spread & { out: Tensor }) => [
    mul(div(reshape(g, keptShape), mul(reshape(out, keptShape), divisor)), centered(xf, dims)),
  ],
  /** d/dx log Σ exp(x) = exp(x − logsumexp(x)), the softmax. */
  LogsumexpBackward0: (g: Tensor, { xf, out, keptShape }: { xf: Tensor; out: Tensor; keptShape: readonly number[] }) => [
    mul(reshape(g, keptShape), exp(sub(xf, reshape(out, keptShape)))),
  ],
} satisfies Rules;
