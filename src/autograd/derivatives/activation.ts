/** Backward rules of gelu (ops/gelu.ts) and leakyRelu (nn/functional/activation.ts). */
import { gt, mul, where } from '../../ops/binary.js';
import { geluKernel } from '../../ops/gelu.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Rules } from './rule.js';

export const activationRules = {
  /** g · gelu'(x), by a kernel for each form. */
  GeluBackward0: (g: Tensor, { xf, tanhForm }: { xf: Tensor; tanhForm: boolean }) => [
    mul(g, geluKernel(xf, tanhForm ? 'geluTanhGrad' : 'geluGrad')),
  ],
  /** 1 for x > 0, `slope` elsewhere; built from recorded ops, so gradients of gradients are exact. */
  LeakyReluBackward0: (g: Tensor, { xf, slope }: { xf: Tensor; slope: number }) => [where(gt(xf, 0), g, mul(g, slope))],
} satisfies Rules;
