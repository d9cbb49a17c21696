import { isGradEnabled, noGrad } from '../autograd/grad-mode.js';
import { record } from '../autograd/record.js';
import type { BatchNormParams } from '../backend/backend.js';
import { sameDevice } from '../backend/device.js';
import { kinds, parseArgs } from '../tensor/args.js';
import { isFloating } from '../tensor/dtype.js';
import { shapeStr } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { add, mul, sub } from './binary.js';
import { contiguous, to } from './convert.js';
import { copy_ } from './inplace.js';
import { mean, sum } from './reduce.js';
import { traceOp, tracing } from './trace.js';
import { rsqrt } from './unary.js';
import { reshape } from './views.js';

/** Options of `batchNorm`, as torch.nn.functional.batch_norm's keyword arguments. */
export interface BatchNormOptions {
  /** Normalize with the batch's statistics (and update the running ones) rather than the running ones. */
  training?: boolean;
  /** Weight of the new batch statistic in the running average (default 0.1). */
  momentum?: number;
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
}

/**
 * Batch normalization over dim 1 of an [N, C] or [N, C, H, W] (any [N, C, ...]) input, exactly
 * torch.nn.functional.batch_norm. In training mode it normalizes with the batch mean and biased
 * variance and, when running statistics are given, updates them in place:
 * running = (1 − momentum)·running + momentum·batch, with the unbiased variance for runningVar.
 * In eval mode it normalizes with runningMean/runningVar.
 */
export function batchNorm(
  input: Tensor,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  weight?: Tensor | null,
  bias?: Tensor | null,
  ...args: [opts?: BatchNormOptions] | [training?: boolean, momentum?: number, eps?: number]
): Tensor {
  const opts = parseArgs<BatchNormOptions>('batchNorm', args, {
    positional: [
      ['training', kinds.bool],
      ['momentum', kinds.number],
      ['eps', kinds.number],
    ],
    usage:
      'batchNorm(input, runningMean, runningVar, weight?, bias?, training?, momentum?, eps?) or batchNorm(input, runningMean, runningVar, weight, bias, { training, momentum, eps })',
  });
  weight = weight ?? null;
  bias = bias ?? null;
  if (tracing) {
    const run = () => batchNorm(input, runningMean, runningVar, weight, bias, opts);
    return traceOp('batchNorm', [input, runningMean, runningVar, weight, bias], run, { training: opts.training ?? false });
  }
  const op = 'batchNorm';
  const training = opts.training ?? false;
  const momentum = opts.momentum ?? 0.1;
  const eps = opts.eps ?? 1e-5;
  if (input.ndim < 2)
    throw new RangeError(`${op}: expected an input of shape [N, C, ...] with at least 2 dims, but got ${shapeStr(input.shape)}`);
  if (!isFloating(input.dtype)) throw new TypeError(`${op}: expected a floating-point input, but got ${input.dtype}`);
  const [batch, channels] = input.shape;
  const spatial = input.shape.slice(2).reduce((a, b) => a * b, 1);
  const named: [string, Tensor | null][] = [
    ['runningMean', runningMean],
    ['runningVar', runningVar],
    ['weight', weight],
    ['bias', bias],
  ];
  for (const [name, t] of named) {
    if (t === null) continue;
    if (t.numel !== channels) {
      throw new RangeError(
        `${op}: ${name} should contain ${channels} elements (one per channel of input ${shapeStr(input.shape)}), not ${t.numel}`,
      );
    }
    if (t.dtype !== input.dtype) throw new TypeError(`${op}: ${name} has dtype ${t.dtype} but the input has ${input.dtype}`);
  }
  if (!training && (runningMean === null || runningVar === null)) {
    throw new Error(`${op}: runningMean and runningVar must be given in eval mode (training: false)`);
  }
  if (training && batch * spatial <= 1) {
    throw new RangeError(`${op}: expected more than 1 value per channel when training, got input of shape ${shapeStr(input.shape)}`);
  }

  const p: BatchNormParams = { batch, channels, spatial, eps, training };
  const x = contiguous(input);
  const w = weight === null ? null : contiguous(weight);
  const b = bias === null ? null : contiguous(bias);
  const dev = sameDevice(op, x, w ?? x, b);
  if (runningMean !== null) sameDevice(op, x, runningMean, runningVar);
  // The statistics the kernel uses (written by it in training mode), float64 on the device
  // unless it has none.
  const stats = dev.memory.statsDType ?? 'float64';
  const meanT = Tensor._empty([channels], stats, dev);
  const varT = Tensor._empty([channels], stats, dev);
  if (!training) {
    copy_(meanT, runningMean as Tensor);
    copy_(varT, runningVar as Tensor);
  }
  const meanArr = meanT.storage.buffer;
  const varArr = varT.storage.buffer;
  const out = Tensor._empty(x.shape, x.dtype, dev);
  const raw = (t: Tensor | null) => (t === null ? null : t._buffer());
  dev.kernels.batchNorm(x._buffer(), out.storage.buffer, meanArr, varArr, raw(w), raw(b), p);

  if (training) {
    const n = batch * spatial;
    // running ← momentum·stat·factor + (1 − momentum)·running, in float64 (each step rounded as
    // the double arithmetic PyTorch's CPU kernel does), then stored in the running tensor's dtype.
    const update = (running: Tensor | null, s: Tensor, factor: number) => {
      if (running === null) return;
      noGrad(() => {
        const next = add(mul(mul(s, momentum), factor), mul(to(running, stats), 1 - momentum));
        copy_(running, next);
      });
    };
    update(runningMean, meanT, 1);
    update(runningVar, varT, n / (n - 1));
  }

  return record(out, 'NativeBatchNormBackward0', [x, w, b], { x, w, b, meanT, varT, p }, [x, ...(w === null ? [] : [w])]);
}

/**
 * The gradients of batchNorm for x, weight and bias (those in `need`), given the statistics the
 * forward pass used: the fused kernel, or, when the backward pass itself is being recorded
 * (createGraph), differentiable ops, so batchNorm supports higher-order gradients.
 */
export function batchNormGrads(
  x: Tensor,
  w: Tensor | null,
  g: Tensor,
  meanT: Tensor,
  varT: Tensor,
  p: BatchNormParams,
  need: boolean[],
): [Tensor | null, Tensor | null, Tensor | null] {
  if (isGradEnabled()) return composedBackward(x, w, g, meanT, varT, p, need);
  const dev = sameDevice('batchNorm', x, g);
  const raw = (t: Tensor | null) => (t === null ? null : t._buffer());
  const gi = need[0] ? Tensor._empty(x.shape, x.dtype, dev) : null;
  const gw = need[1] ? Tensor._empty([p.channels], x.dtype, dev) : null;
  const gb = need[2] ? Tensor._empty([p.channels], x.dtype, dev) : null;
  dev.kernels.batchNormBackward(x._buffer(), g._buffer(), meanT.storage.buffer, varT.storage.buffer, raw(w), raw(gi), raw(gw), raw(gb), p);
  return [gi, gw, gb];
}

/**
 * The same gradients built from differentiable ops, used when the backward pass itself is recorded
 * (backward with createGraph), so batchNorm supports higher-order gradients.
 */
function composedBackward(
  x: Tensor,
  w: Tensor | null,
  g: Tensor,
  meanT: Tensor,
  varT: Tensor,
  p: BatchNormParams,
  need: boolean[],
): [Tensor | null, Tensor | null, Tensor | null] {
  const dims = [0, ...Array.from({ length: x.ndim - 2 }, (_, i) => i + 2)];
  const perChannel = [1, p.channels, ...Array.from({ length: x.ndim - 2 }, () => 1)];
  // Statistics computed in float64, then rounded to x's dtype.
  const channelTensor = (stat: Tensor) => reshape(to(stat, x.dtype), perChannel);
  let xhat: Tensor;
  let invstd: Tensor;
  if (p.training) {
    const centered = sub(x, mean(x, { dim: dims, keepdim: true }));
    invstd = rsqrt(add(mean(mul(centered, centered), { dim: dims, keepdim: true }), p.eps));
    xhat = mul(centered, invstd);
  } else {
    invstd = channelTensor(rsqrt(add(varT, p.eps)));
    xhat = mul(sub(x, channelTensor(meanT)), invstd);
  }
  const scale = w === null ? invstd : mul(reshape(w, perChannel), invstd);
  let gi: Tensor | null = null;
  if (need[0]) {
    gi = p.training
      ? mul(scale, sub(sub(g, mean(g, { dim: dims, keepdim: true })), mul(xhat, mean(mul(g, xhat), { dim: dims, keepdim: true }))))
      : mul(g, scale);
  }
  const gw = need[1] ? sum(mul(g, xhat), { dim: dims }) : null;
  const gb = need[2] ? sum(g, { dim: dims }) : null;
  return [gi, gw, gb];
}
