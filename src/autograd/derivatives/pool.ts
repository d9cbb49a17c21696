/**
 * Backward rules of the pooling ops (ops/pool.ts): each gradient is a kernel whose own gradient
 * is the forward kernel again, so pooling supports gradients of any order.
 */
import type { AdaptivePool2dParams, AvgPool2dParams, Pool2dParams } from '../../backend/backend.js';
import { contiguous } from '../../ops/convert.js';
import { adaptiveBackward, adaptiveForward, avgBackward, avgForward, maxPoolGather, maxPoolScatter } from '../../ops/pool.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Rules } from './rule.js';

/** The argmax positions of a max pooling, its geometry and the shape of the tensor the rule's gradient takes. */
export interface MaxPoolContext {
  /** The device buffer of int32 argmax positions. */
  idx: unknown;
  p: Pool2dParams;
  shape: readonly number[];
}

const maxPoolBack = (g: Tensor, { idx, p, shape }: MaxPoolContext) => [maxPoolScatter(contiguous(g), idx, p, shape)];
const adaptiveBack = (g: Tensor, { p, inShape }: { p: AdaptivePool2dParams; inShape: readonly number[] }) => [
  adaptiveBackward(contiguous(g), p, inShape),
];

export const poolRules = {
  /** g scattered onto the argmax positions. */
  MaxPool2DWithIndicesBackward0: maxPoolBack,
  /** The gather at the argmax positions (the adjoint of the scatter). */
  MaxPool2DWithIndicesBackwardBackward0: (u: Tensor, { idx, p, shape }: MaxPoolContext) => [maxPoolGather(contiguous(u), idx, p, shape)],
  AvgPool2DBackward0: (g: Tensor, { p, inShape }: { p: AvgPool2dParams; inShape: readonly number[] }) => [
    avgBackward(contiguous(g), p, inShape),
  ],
  AvgPool2DBackwardBackward0: (u: Tensor, { p, outShape }: { p: AvgPool2dParams; outShape: readonly number[] }) => [
    avgForward(contiguous(u), p, outShape),
  ],
  AdaptiveAvgPool2DBackward0: adaptiveBack,
  /** PyTorch computes a 1×1 adaptive average as a mean over the last two dims (hence its name). */
  'MeanBackward1#adaptiveAvgPool2d': adaptiveBack,
  AdaptiveAvgPool2DBackwardBackward0: (u: Tensor, { p, outShape }: { p: AdaptivePool2dParams; outShape: readonly number[] }) => [
    adaptiveForward(contiguous(u), p, outShape),
  ],
} satisfies Rules;
