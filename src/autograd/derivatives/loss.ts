/** Backward rules of the binary cross-entropy losses (nn/functional/loss.ts). */
import { add, div, lt, mul, sub, where } from '../../ops/binary.js';
import { detach, to } from '../../ops/convert.js';
import { clamp, exp, log, log1p, neg, sigmoid } from '../../ops/unary.js';
import type { DType } from '../../tensor/dtype.js';
import type { Tensor } from '../../tensor/tensor.js';
import { noGrad } from '../grad-mode.js';
import type { Rules } from './rule.js';

/** What the BCE losses' backward reads: the detached input x, the target y (as tgt, in x's dtype), posWeight. */
export interface BceContext {
  x: Tensor;
  y: Tensor;
  tgt: Tensor;
  dtype: DType;
}

/**
 * The dtype PyTorch's double-precision steps run in on `t`'s device: float64, or the device's
 * statsDType where it has no float64 (WebGPU: float32).
 */
function wide(t: Tensor): DType {
  return t._device.memory.statsDType ?? 'float64';
}

/** log σ(v) computed in the device's wide dtype the stable way: v − log1p(eᵛ) for v < 0, else −log1p(e⁻ᵛ). */
function logSigmoidWide(v: Tensor): Tensor {
  const d = to(v, wide(v));
  return where(lt(d, 0), sub(d, log1p(exp(d))), neg(log1p(exp(neg(d)))));
}

export const lossRules = {
  /** g·(x − y) / max((1 − x)·x, 1e-12), the floor and the division in double (statsDType); the target's g·log((1 − x)/x). */
  BinaryCrossEntropyBackward0: (grad: Tensor, { x, y, tgt, dtype }: BceContext) =>
    noGrad(() => {
      const g = detach(grad);
      const gi = to(div(mul(g, sub(x, y)), clamp(to(mul(sub(1, x), x), wide(x)), 1e-12)), dtype);
      const gt = tgt.requiresGrad ? mul(g, sub(log(sub(1, x)), log(x))) : null;
      return [gi, gt];
    }),
  /** (σ(x) − y)·g, with posWeight p: ((1 + (p − 1)y)σ(x) − py)·g; the target's −x·g (or its posWeight form). */
  BinaryCrossEntropyWithLogitsBackward0: (grad: Tensor, { x, y, pw, tgt, dtype }: BceContext & { pw: Tensor | null }) =>
    noGrad(() => {
      const g = detach(grad);
      const sig = sigmoid(x);
      if (pw === null) return [mul(sub(sig, y), g), tgt.requiresGrad ? mul(neg(x), g) : null];
      const t = mul(pw, y);
      const c = sub(add(t, 1), y);
      const gi = mul(sub(mul(c, sig), t), g);
      const gt = tgt.requiresGrad ? mul(sub(to(logSigmoidWide(neg(x)), dtype), mul(to(logSigmoidWide(x), dtype), pw)), g) : null;
      return [gi, gt];
    }),
} satisfies Rules;
