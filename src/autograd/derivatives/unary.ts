/** Backward rules of the elementwise unary ops (ops/unary.ts). */
import { add, div, ge, le, logicalAnd, mul, mulOwned, reluGrad, sub, where } from '../../ops/binary.js';
import { cos, neg, sign, sin } from '../../ops/unary.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Rules } from './rule.js';

/** The op's input or output, whichever the formula reads (as PyTorch saves it). */
export interface Saved {
  saved: Tensor;
}

export const unaryRules = {
  ExpBackward0: (g: Tensor, { saved: y }: Saved) => [mul(g, y)],
  LogBackward0: (g: Tensor, { saved: x }: Saved) => [div(g, x)],
  Log1PBackward0: (g: Tensor, { saved: x }: Saved) => [div(g, add(x, 1))],
  Expm1Backward0: (g: Tensor, { saved: y }: Saved) => [mul(g, add(y, 1))],
  SqrtBackward0: (g: Tensor, { saved: y }: Saved) => [div(g, mul(y, 2))],
  RsqrtBackward0: (g: Tensor, { saved: y }: Saved) => [mul(mul(g, -0.5), mul(y, mul(y, y)))],
  ReciprocalBackward0: (g: Tensor, { saved: y }: Saved) => [mul(neg(g), mul(y, y))],
  SinBackward0: (g: Tensor, { saved: x }: Saved) => [mul(g, cos(x))],
  CosBackward0: (g: Tensor, { saved: x }: Saved) => [mul(g, neg(sin(x)))],
  /** σ' = σ(1 − σ) reuses the output. */
  SigmoidBackward0: (g: Tensor, { saved: y }: Saved) => [mulOwned(mulOwned(sub(1, y), y), g)],
  TanhBackward0: (g: Tensor, { saved: y }: Saved) => [mul(g, sub(1, mul(y, y)))],
  NegBackward0: (g: Tensor, _: null) => [neg(g)],
  /** sign(x)·g (0 at x = 0). */
  AbsBackward0: (g: Tensor, { x }: { x: Tensor }) => [mul(g, sign(x))],
  SignBackward0: (g: Tensor, _: null) => [mul(g, 0)],
  /** The gradient passes where the output is positive (PyTorch's threshold_backward). */
  ReluBackward0: (g: Tensor, { out }: { out: Tensor }) => [reluGrad(g, out)],
  /** The gradient passes where min ≤ x ≤ max. */
  ClampBackward1: (g: Tensor, { xs, min, max }: { xs: Tensor; min?: number | null; max?: number | null }) => {
    let pass = null as Tensor | null;
    if (min !== undefined && min !== null) pass = ge(xs, min);
    if (max !== undefined && max !== null) pass = pass ? logicalAnd(pass, le(xs, max)) : le(xs, max);
    return [where(pass as Tensor, g, 0)];
  },
} satisfies Rules;

/** The unary ops whose rule reads only their saved input or output. */
export type SavedRule = {
  [K in keyof typeof unaryRules]: Parameters<(typeof unaryRules)[K]>[1] extends Saved ? K : never;
}[keyof typeof unaryRules];
