/** Backward rules of the ops that overwrite a tensor (copy_, fill_, zero_ in ops/inplace.ts). */
import { sumTo } from '../../ops/adjoint.js';
import { to } from '../../ops/convert.js';
import { zerosLike } from '../../ops/creation.js';
import type { DType } from '../../tensor/dtype.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Rules } from './rule.js';

/** The overwritten value (null when it had no history) and the source written (null for fills). */
export interface Overwrite {
  old: Tensor | null;
  src: Tensor | null;
  srcShape: readonly number[];
  srcDtype: DType;
}

/** The old value gets a zero gradient (its history stays in the graph, as PyTorch keeps it); the source the gradient. */
const overwrite = (g: Tensor, { old, src, srcShape, srcDtype }: Overwrite) => [
  old ? zerosLike(g) : null,
  src ? sumTo(to(g, srcDtype), srcShape) : null,
];

export const inplaceRules = {
  CopyBackwards: overwrite,
  FillBackward2: overwrite,
  ZeroBackward0: overwrite,
} satisfies Rules;
