/** Backward rules of cat and stack (ops/join.ts). */
import { to } from '../../ops/convert.js';
import { narrow, select } from '../../ops/views.js';
import type { DType } from '../../tensor/dtype.js';
import { Tensor } from '../../tensor/tensor.js';
import type { Rules } from './rule.js';

/** One input of cat: its size along the dim, or skipped (a legacy empty 1-D tensor). */
export interface CatPiece {
  skip: boolean;
  size: number;
  shape: readonly number[];
  dtype: DType;
}

export const joinRules = {
  /** Each input gets its slice of the gradient, in its own dtype; skipped inputs an empty one. */
  CatBackward0: (g: Tensor, { d, pieces }: { d: number; pieces: readonly CatPiece[] }) => {
    let start = 0;
    return pieces.map((p) => {
      if (p.skip) return Tensor._empty(p.shape, p.dtype, g._device);
      const piece = to(narrow(g, d, start, p.size), p.dtype);
      start += p.size;
      return piece;
    });
  },
  StackBackward0: (g: Tensor, { d, dtypes }: { d: number; dtypes: readonly DType[] }) =>
    dtypes.map((dtype, i) => to(select(g, d, i), dtype)),
} satisfies Rules;
