/** Backward rules of the view ops (ops/views.ts): each maps the gradient back onto the input's geometry. */
import { padAlong, sumTo } from '../../ops/adjoint.js';
import { zeros } from '../../ops/creation.js';
import { stack } from '../../ops/join.js';
import { narrow, permute, reshape, squeeze, transpose, unsqueeze } from '../../ops/views.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Rules } from './rule.js';

const reshapeBack = (g: Tensor, { inShape }: { inShape: readonly number[] }) => [reshape(g, inShape)];
/** `dims` null: t() of a tensor with fewer than 2 dims, which is the identity. */
const transposeBack = (g: Tensor, { dims }: { dims: readonly [number, number] | null }) => [
  dims === null ? g : transpose(g, dims[0], dims[1]),
];

export const viewRules = {
  ViewBackward0: reshapeBack,
  PermuteBackward0: (g: Tensor, { inverse }: { inverse: readonly number[] }) => [permute(g, inverse)],
  TransposeBackward0: transposeBack,
  TBackward0: transposeBack,
  /** The adjoint of broadcasting: sum over the expanded dims. */
  ExpandBackward0: (g: Tensor, { inShape }: { inShape: readonly number[] }) => [sumTo(g, inShape)],
  SqueezeBackward0: reshapeBack,
  SqueezeBackward1: reshapeBack,
  UnsqueezeBackward0: (g: Tensor, { d }: { d: number }) => [squeeze(g, d)],
  /** Elements a, a + step, … (len of them) of a dim of `size`. */
  SliceBackward0: (g: Tensor, { d, a, len, size, step }: { d: number; a: number; len: number; size: number; step: number }) => {
    if (step === 1) return [padAlong(g, d, a, size - a - len)];
    // A strided slice: follow each gradient element by step − 1 zeros, then pad around.
    const gap = zeros(g.shape, { dtype: g.dtype, device: g._device });
    const spread = reshape(
      stack([g, ...Array<Tensor>(step - 1).fill(gap)], d + 1),
      g.shape.map((s, i) => (i === d ? s * step : s)),
    );
    const room = size - a;
    const fit = spread.shape[d] > room ? narrow(spread, d, 0, room) : spread;
    return [padAlong(fit, d, a, room - fit.shape[d])];
  },
  SelectBackward0: (g: Tensor, { d, i, size }: { d: number; i: number; size: number }) => [padAlong(unsqueeze(g, d), d, i, size - i - 1)],
} satisfies Rules;
