/** Backward rules of the elementwise binary ops (ops/binary.ts). */
import { sumTo } from '../../ops/adjoint.js';
import { div, eq, ge, gt, logicalAnd, lt, mul, mulOwned, pow, reluGrad, sub, where } from '../../ops/binary.js';
import { log, neg } from '../../ops/unary.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Rules } from './rule.js';

const subtract = (g: Tensor, { a, b, alpha }: { a: Tensor; b: Tensor; alpha: number }) => [
  sumTo(g, a.shape),
  sumTo(mul(g, -alpha), b.shape),
];

/** d/da a^b and d/db a^b for tensor operands; `out` is a^b. */
const power = (g: Tensor, { a, b, out }: { a: Tensor; b: Tensor; out: Tensor }) => [
  // d/da a^b = b·a^(b−1), taken as 0 where b = 0 (PyTorch's convention).
  a.requiresGrad ? sumTo(where(eq(b, 0), 0, mul(mul(g, b), pow(a, sub(b, 1)))), a.shape) : null,
  // d/db a^b = a^b·ln a, taken as 0 where a = 0 and b ≥ 0.
  b.requiresGrad ? sumTo(where(logicalAnd(eq(a, 0), ge(b, 0)), 0, mul(mul(g, out), log(a))), b.shape) : null,
];

/** maximum/minimum: the larger (smaller) operand takes the gradient; ties split it in half, as in PyTorch. */
const extremum =
  (aWins: (a: Tensor, b: Tensor) => Tensor, bWins: (a: Tensor, b: Tensor) => Tensor) =>
  (g: Tensor, { a, b }: { a: Tensor; b: Tensor }) => {
    const shared = where(eq(a, b), div(g, 2), g);
    return [sumTo(where(bWins(a, b), 0, shared), a.shape), sumTo(where(aWins(a, b), 0, shared), b.shape)];
  };

export const binaryRules = {
  AddBackward0: (g: Tensor, { a, b, alpha }: { a: Tensor; b: Tensor; alpha: number }) => [
    sumTo(g, a.shape),
    sumTo(alpha === 1 ? g : mul(g, alpha), b.shape),
  ],
  SubBackward0: subtract,
  RsubBackward1: subtract,
  // Each input's gradient reads the other input.
  MulBackward0: (g: Tensor, { a, b }: { a: Tensor; b: Tensor }) => [
    a.requiresGrad ? sumTo(mul(g, b), a.shape) : null,
    b.requiresGrad ? sumTo(mul(g, a), b.shape) : null,
  ],
  DivBackward0: (g: Tensor, { a, b }: { a: Tensor; b: Tensor }) => [
    a.requiresGrad ? sumTo(div(g, b), a.shape) : null,
    b.requiresGrad ? sumTo(neg(div(mul(g, a), mul(b, b))), b.shape) : null,
  ],
  /** x ** e for a number exponent (square is e = 2): e·x^(e−1), taken as 0 when e = 0. */
  PowBackward0: (g: Tensor, { x, e }: { x: Tensor; e: number }) => [
    e === 0 ? mul(g, 0) : e === 2 ? mulOwned(mul(x, 2), g) : mul(mul(g, e), pow(x, e - 1)),
  ],
  PowBackward1: power,
  PowBackward2: power,
  MaximumBackward0: extremum(gt, lt),
  MinimumBackward0: extremum(lt, gt),
  WhereBackward0: (g: Tensor, { cond, a, b }: { cond: Tensor; a: Tensor; b: Tensor }) => [
    a.requiresGrad ? sumTo(where(cond, g, 0), a.shape) : null,
    b.requiresGrad ? sumTo(where(cond, 0, g), b.shape) : null,
  ],
  /** ReLU's gradient is differentiable in `g`, so second derivatives through ReLU stay exact. */
  ThresholdBackwardBackward0: (gg: Tensor, { out }: { out: Tensor }) => [reluGrad(gg, out)],
} satisfies Rules;
