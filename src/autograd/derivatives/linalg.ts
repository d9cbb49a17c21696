/** Backward rules of the matrix products and diag (ops/linalg.ts). */
import { atPrecision } from '../../autocast/state.js';
import { padAlong, sumTo } from '../../ops/adjoint.js';
import { mul } from '../../ops/binary.js';
import { diag, matmul, matmulT } from '../../ops/linalg.js';
import { narrow, t, unsqueeze } from '../../ops/views.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Rules } from './rule.js';

export interface Operands {
  a: Tensor;
  b: Tensor;
  /** Recorded in an autocast scope: the backward products run in bf16 too. */
  bf16: boolean;
}

/** [..., m, k] @ [..., k, n] with broadcast batch dims. */
const product = (g: Tensor, { a, b, bf16 }: Operands) =>
  atPrecision(bf16 ? 'bf16' : 'fp32', () => [
    a.requiresGrad ? sumTo(matmulT(g, false, b, true), a.shape) : null,
    b.requiresGrad ? sumTo(matmulT(a, true, g, false), b.shape) : null,
  ]);

export const linalgRules = {
  MmBackward0: product,
  BmmBackward0: product,
  DotBackward0: (g: Tensor, { a, b }: Operands) => [a.requiresGrad ? mul(g, b) : null, b.requiresGrad ? mul(g, a) : null],
  MvBackward0: (g: Tensor, { a, b, bf16 }: Operands) =>
    atPrecision(bf16 ? 'bf16' : 'fp32', () => [a.requiresGrad ? mul(unsqueeze(g, 1), b) : null, b.requiresGrad ? matmul(t(a), g) : null]),
  DiagBackward0: (g: Tensor, { inShape, offset }: { inShape: readonly number[]; offset: number }) => {
    if (inShape.length === 1) return [diag(g, offset)];
    // The diagonal's gradient as a square matrix, cut or zero-padded to the input's shape (the
    // diagonal lies inside both, so nothing is lost).
    let full = diag(g, offset);
    inShape.forEach((size, d) => {
      const n = full.shape[d];
      full = size <= n ? narrow(full, d, 0, size) : padAlong(full, d, 0, size - n);
    });
    return [full];
  },
} satisfies Rules;
