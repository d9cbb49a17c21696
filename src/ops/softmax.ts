import { noGrad } from '../autograd/grad-mode.js';
import { record } from '../autograd/record.js';
import { defaultFloatDType, isFloating } from '../tensor/dtype.js';
import { normalizeDim } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { mul, sub } from './binary.js';
import { to } from './convert.js';
import { logsumexp, sum } from './reduce.js';
import { exp } from './unary.js';

const asFloat = (x: Tensor) => (isFloating(x.dtype) ? x : to(x, defaultFloatDType));

/** exp(x) / Σ exp(x) along `dim`, computed stably; backward: y ⊙ (g − Σ g ⊙ y). */
export function softmax(x: Tensor, dim: number): Tensor {
  const xf = asFloat(x);
  const d = normalizeDim('softmax', dim, xf.ndim);
  const y = noGrad(() => exp(sub(xf, logsumexp(xf, { dim: d, keepdim: true }))));
  return record(y, 'SoftmaxBackward0', [xf], (g) => [mul(y, sub(g, sum(mul(g, y), { dim: d, keepdim: true })))], [y]);
}

/** x − log Σ exp(x) along `dim`; backward: g − exp(y) ⊙ Σ g. */
export function logSoftmax(x: Tensor, dim: number): Tensor {
  const xf = asFloat(x);
  const d = normalizeDim('logSoftmax', dim, xf.ndim);
  const y = noGrad(() => sub(xf, logsumexp(xf, { dim: d, keepdim: true })));
  return record(y, 'LogSoftmaxBackward0', [xf], (g) => [sub(g, mul(exp(y), sum(g, { dim: d, keepdim: true })))], [y]);
}
