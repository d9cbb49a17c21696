import { noGrad } from '../autograd/grad-mode.js';
import { record } from '../autograd/record.js';
import { kinds, parseArgs } from '../tensor/args.js';
import { defaultFloatDType, isFloating } from '../tensor/dtype.js';
import { normalizeDim } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { div, sub } from './binary.js';
import { to } from './convert.js';
import { stableShift, sum } from './reduce.js';
import { traceOp, tracing } from './trace.js';
import { exp, log } from './unary.js';

/** `softmax(x, 1)` or `softmax(x, { dim: 1 })`. */
export type SoftmaxArgs = [dim: number] | [opts: { dim: number }];

function dimArg(fn: string, args: readonly unknown[]): number {
  const a = parseArgs(fn, args, { positional: [['dim', kinds.int]], usage: `${fn}(x, dim) or ${fn}(x, { dim })` });
  if (a.dim === undefined)
    throw new TypeError(
      `${fn}: dim is required (PyTorch's implicit dim choice is deprecated). Accepted forms: ${fn}(x, dim) or ${fn}(x, { dim })`,
    );
  return a.dim as number;
}

const asFloat = (x: Tensor) => (isFloating(x.dtype) ? x : to(x, defaultFloatDType));

/**
 * exp(x − max) / Σ exp(x − max) along `dim`, as PyTorch computes it (shifting by the max rather
 * than subtracting logsumexp keeps float32 accurate for large inputs); backward: y ⊙ (g − Σ g ⊙ y).
 */
export function softmax(x: Tensor, ...args: SoftmaxArgs): Tensor {
  const dim = dimArg('softmax', args);
  if (tracing) return traceOp('softmax', [x], () => softmax(x, dim), { dim });
  const xf = asFloat(x);
  const d = normalizeDim('softmax', dim, xf.ndim);
  const y = noGrad(() => {
    const e = exp(sub(xf, stableShift(xf, [d])));
    return div(e, sum(e, { dim: d, keepdim: true }));
  });
  return record(y, 'SoftmaxBackward0', [xf], { y, d }, [y]);
}

/** (x − max) − log Σ exp(x − max) along `dim`; backward: g − exp(y) ⊙ Σ g. */
export function logSoftmax(x: Tensor, ...args: SoftmaxArgs): Tensor {
  const dim = dimArg('logSoftmax', args);
  if (tracing) return traceOp('logSoftmax', [x], () => logSoftmax(x, dim), { dim });
  const xf = asFloat(x);
  const d = normalizeDim('logSoftmax', dim, xf.ndim);
  const y = noGrad(() => {
    const shifted = sub(xf, stableShift(xf, [d]));
    return sub(shifted, log(sum(exp(shifted), { dim: d, keepdim: true })));
  });
  return record(y, 'LogSoftmaxBackward0', [xf], { y, d }, [y]);
}
