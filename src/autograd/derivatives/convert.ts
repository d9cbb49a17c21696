/** Backward rules of dtype conversion and clone (ops/convert.ts). */
import { to } from '../../ops/convert.js';
import type { DType } from '../../tensor/dtype.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Rules } from './rule.js';

export const convertRules = {
  ToCopyBackward0: (g: Tensor, { srcDtype }: { srcDtype: DType }) => [to(g, srcDtype)],
  CloneBackward0: (g: Tensor, _: null) => [g],
} satisfies Rules;
