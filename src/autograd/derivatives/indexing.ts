/** Backward rules of gather, scatterAdd and indexSelect (ops/indexing.ts). */
import { padTo } from '../../ops/adjoint.js';
import { gather, scatterAdd } from '../../ops/indexing.js';
import { Tensor } from '../../tensor/tensor.js';
import type { Rules } from './rule.js';

export const indexingRules = {
  /** The gradient goes back to the gathered positions (summed where an index repeats). */
  GatherBackward0: (g: Tensor, { inShape, d, index }: { inShape: readonly number[]; d: number; index: Tensor }) => [
    scatterAdd(Tensor._empty(inShape, g.dtype, g._device), d, index, g),
  ],
  ScatterAddBackward0: (g: Tensor, { d, index, srcShape }: { d: number; index: Tensor; srcShape: readonly number[] }) => [
    g,
    padTo(gather(g, d, index), srcShape),
  ],
  IndexSelectBackward0: (g: Tensor, { inShape, d, expanded }: { inShape: readonly number[]; d: number; expanded: Tensor }) => [
    scatterAdd(Tensor._empty(inShape, g.dtype, g._device), d, expanded, g),
  ],
} satisfies Rules;
