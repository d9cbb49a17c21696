/** The backward rule of batch normalization (ops/batchnorm.ts). */
import type { BatchNormParams } from '../../backend/backend.js';
import { batchNormGrads } from '../../ops/batchnorm.js';
import { contiguous } from '../../ops/convert.js';
import { reshape } from '../../ops/views.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Rules } from './rule.js';

/** What batch norm's backward reads: its operands and the statistics (float64) the forward pass used. */
export interface BatchNormContext {
  x: Tensor;
  w: Tensor | null;
  b: Tensor | null;
  meanT: Tensor;
  varT: Tensor;
  p: BatchNormParams;
}

export const batchNormRules = {
  /** The gradients of x, weight and bias, weight and bias reshaped to their own shapes. */
  NativeBatchNormBackward0: (g: Tensor, { x, w, b, meanT, varT, p }: BatchNormContext) => {
    const need = [x.requiresGrad, w?.requiresGrad ?? false, b?.requiresGrad ?? false];
    const [gi, gw, gb] = batchNormGrads(x, w, contiguous(g), meanT, varT, p, need);
    return [gi, gw === null ? null : reshape(gw, (w as Tensor).shape), gb === null ? null : reshape(gb, (b as Tensor).shape)];
  },
} satisfies Rules;
