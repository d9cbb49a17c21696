/**
 * Backward rules of conv2d (ops/conv.ts). Its three maps (the convolution, its input gradient and
 * its weight gradient) are closed under differentiation, so each rule is made of the others and
 * conv2d supports gradients of any order. PyTorch names all double-backward nodes
 * ConvolutionBackwardBackward0; the variant after `#` says which map recorded it.
 */
import { atPrecision } from '../../autocast/state.js';
import type { Conv2dParams } from '../../backend/backend.js';
import { convForward, inputAndWeightGrads, inputGrad, weightGrad } from '../../ops/conv.js';
import { contiguous } from '../../ops/convert.js';
import { expand, reshape } from '../../ops/views.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Rules } from './rule.js';

export const convRules = {
  /** out = conv(x, w) + b. */
  ConvolutionBackward0: (grad: Tensor, { x, w, b, p, bf16 }: { x: Tensor; w: Tensor; b: Tensor | null; p: Conv2dParams; bf16: boolean }) =>
    atPrecision(bf16 ? 'bf16' : 'fp32', () => {
      const g = contiguous(grad);
      const wantBias = b?.requiresGrad ?? false;
      // Both gradients from one kernel call when both are wanted (the output gradient is prepared once).
      if (x.requiresGrad && w.requiresGrad) {
        const r = inputAndWeightGrads(x, g, w, p, wantBias);
        return [r.input, r.weight, r.bias];
      }
      const wb = w.requiresGrad || wantBias ? weightGrad(x, g, p, w.requiresGrad, wantBias) : null;
      return [x.requiresGrad ? inputGrad(g, w, p) : null, wb?.weight ?? null, wb?.bias ?? null];
    }),
  /** inputGrad(g, w), linear in g and in w. */
  'ConvolutionBackwardBackward0#input': (grad: Tensor, { g, w, p, bf16 }: { g: Tensor; w: Tensor; p: Conv2dParams; bf16: boolean }) =>
    atPrecision(bf16 ? 'bf16' : 'fp32', () => {
      const u = contiguous(grad);
      return [
        g.requiresGrad ? convForward(u, w, null, p) : null,
        w.requiresGrad ? (weightGrad(u, g, p, true, false).weight as Tensor) : null,
      ];
    }),
  /** weightGrad(x, g), linear in x and in g. */
  'ConvolutionBackwardBackward0#weight': (grad: Tensor, { x, g, p, bf16 }: { x: Tensor; g: Tensor; p: Conv2dParams; bf16: boolean }) =>
    atPrecision(bf16 ? 'bf16' : 'fp32', () => {
      const u = contiguous(grad);
      return [x.requiresGrad ? inputGrad(g, u, p) : null, g.requiresGrad ? convForward(x, u, null, p) : null];
    }),
  /** The bias gradient: g summed over batch and pixels. */
  'ConvolutionBackwardBackward0#bias': (grad: Tensor, { gShape }: { gShape: readonly number[] }) => [
    expand(reshape(grad, [1, -1, 1, 1]), gShape),
  ],
} satisfies Rules;
