/** Backward rules of norm, log10 and log2 (ops/norm.ts). */
import { div, eq, mul, pow, where } from '../../ops/binary.js';
import { sign } from '../../ops/unary.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Rules } from './rule.js';

export const normRules = {
  /** x·g/‖x‖ for p = 2, sign(x)|x|^(p−1)·g/‖x‖^(p−1) otherwise; 0 where the norm is 0. */
  LinalgVectorNormBackward0: (g: Tensor, { x, a, out, ord }: { x: Tensor; a: Tensor; out: Tensor; ord: number }) => {
    const scale = ord === 2 ? div(g, out) : div(g, pow(out, ord - 1));
    const num = ord === 2 ? x : mul(sign(x), pow(a, ord - 1));
    return [where(eq(out, 0), 0, mul(num, scale))];
  },
  Log10Backward0: (g: Tensor, { xf }: { xf: Tensor }) => [div(g, mul(xf, Math.LN10))],
  Log2Backward0: (g: Tensor, { xf }: { xf: Tensor }) => [div(g, mul(xf, Math.LN2))],
} satisfies Rules;
