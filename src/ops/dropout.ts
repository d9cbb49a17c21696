import type { Generator } from '../random/generator.js';
import { isOptionsObject, kinds, parseArgs } from '../tensor/args.js';
import { isFloating } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { div, mul } from './binary.js';
import { bernoulli_ } from './random.js';
import { traceOp, tracing } from './trace.js';

/**
 * Zeroes each element with probability `p` and scales the rest by 1/(1 − p), exactly like
 * torch.nn.functional.dropout on CPU: the mask is `bernoulli_(1 − p)` drawn on a tensor shaped and
 * typed like the input (PyTorch 1.13's CPU kernel draws one 53-bit uniform per element, in
 * row-major order, for float32 and float64 alike), divided by 1 − p, then multiplied into the
 * input. The same seed therefore drops the same units as PyTorch. Identity when not training or
 * p = 0 (no random numbers drawn); p = 1 gives zeros (input · 0, so NaN stays NaN). On another
 * device (`'webgpu'`) the mask is drawn the same way on the CPU and uploaded.
 */
export function dropout(
  input: Tensor,
  ...args:
    | [p?: number, training?: boolean, opts?: { generator?: Generator }]
    | [opts: { p?: number; training?: boolean; generator?: Generator }]
): Tensor {
  const a = parseArgs('dropout', args, {
    positional: [
      ['p', kinds.number],
      ['training', kinds.bool],
    ],
    keywords: [['generator', { desc: 'a Generator', ok: (v) => typeof v === 'object' && v !== null && !isOptionsObject(v) }]],
    usage: 'dropout(x, p?, training?), dropout(x, p, { training, generator }) or dropout(x, { p, training, generator })',
  });
  const p = (a.p as number | undefined) ?? 0.5;
  const training = (a.training as boolean | undefined) ?? true;
  const generator = a.generator as Generator | undefined;
  if (tracing) return traceOp('dropout', [input], () => dropout(input, p, training, { generator }), { p, training });
  if (!(p >= 0 && p <= 1)) throw new RangeError(`dropout: dropout probability has to be between 0 and 1, but got ${p}`);
  if (p === 0 || !training || input.numel === 0) return input;
  if (!isFloating(input.dtype)) throw new TypeError(`dropout: expected a floating-point input, but got ${input.dtype}`);
  if (p === 1) return mul(input, 0);
  // The mask is drawn by the CPU generator on every device (the same units drop as on 'cpu' and
  // in PyTorch), then moved to the input's device.
  const noise = Tensor._empty(input.shape, input.dtype);
  bernoulli_(noise, 1 - p, { generator });
  const mask = div(noise, 1 - p);
  return mul(input, mask.to(input.device)); // to() returns the mask itself on 'cpu'
}
