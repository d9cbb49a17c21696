/** Backward rules of softmax and logSoftmax (ops/softmax.ts), from their outputs `y`. */
import { mul, sub } from '../../ops/binary.js';
import { sum } from '../../ops/reduce.js';
import { exp } from '../../ops/unary.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Rules } from './rule.js';

export const softmaxRules = {
  /** y ⊙ (g − Σ g ⊙ y) along the dim. */
  SoftmaxBackward0: (g: Tensor, { y, d }: { y: Tensor; d: number }) => [mul(y, sub(g, sum(mul(g, y), { dim: d, keepdim: true })))],
  /** g − exp(y) ⊙ Σ g along the dim. */
  LogSoftmaxBackward0: (g: Tensor, { y, d }: { y: Tensor; d: number }) => [sub(g, mul(exp(y), sum(g, { dim: d, keepdim: true })))],
} satisfies Rules;
