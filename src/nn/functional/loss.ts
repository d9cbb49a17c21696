/**
 * Loss functions (`torch.nn.functional.*_loss`), with PyTorch 1.13's formulas, reductions
 * (including the weighted mean of nll/cross-entropy) and gradients.
 */
import '../../tensor/methods.js';
import { noGrad } from '../../autograd/grad-mode.js';
import { record } from '../../autograd/record.js';
import { add, div, eq, mul, ne, sub, where } from '../../ops/binary.js';
import { detach, materialize, to } from '../../ops/convert.js';
import { gather, indexSelect } from '../../ops/indexing.js';
import { mean, sum } from '../../ops/reduce.js';
import { logSoftmax } from '../../ops/softmax.js';
import { abs, clamp, exp, log, log1p, neg, square } from '../../ops/unary.js';
import { expand, permute, reshape, view } from '../../ops/views.js';
import { kinds, type ParamSpec, parseArgs } from '../../tensor/args.js';
import { type DType, isFloating } from '../../tensor/dtype.js';
import { broadcastShapes, sameShape, shapeStr } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';

/** How a loss reduces its per-element values: PyTorch's `reduction` argument. */
export type Reduction = 'none' | 'mean' | 'sum';

/** Options every loss takes. */
export interface ReductionOptions {
  reduction?: Reduction;
}

export interface NLLLossOptions extends ReductionOptions {
  /** A manual rescaling weight per class (1-D, size C). */
  weight?: Tensor | null;
  /** Targets equal to this are skipped (no loss, no gradient, not in the mean's denominator). */
  ignoreIndex?: number;
}

export interface CrossEntropyOptions extends NLLLossOptions {
  /** Mixes the target with the uniform distribution: (1 − ε)·target + ε/C. */
  labelSmoothing?: number;
}

export interface BCELossOptions extends ReductionOptions {
  /** Rescaling weight, broadcast to the input's shape. */
  weight?: Tensor | null;
}

export interface BCEWithLogitsOptions extends BCELossOptions {
  /** Weight of positive examples, broadcast along the last dim (one per class). */
  posWeight?: Tensor | null;
}

const tensorOrNull = { desc: 'a Tensor or null', ok: (v: unknown) => v === null || v instanceof Tensor };
const LOSS_KEYS: Record<string, readonly ParamSpec[]> = {
  mseLoss: [['reduction', kinds.string]],
  l1Loss: [['reduction', kinds.string]],
  nllLoss: [
    ['weight', tensorOrNull],
    ['ignoreIndex', kinds.int],
    ['reduction', kinds.string],
  ],
  crossEntropy: [
    ['weight', tensorOrNull],
    ['ignoreIndex', kinds.int],
    ['reduction', kinds.string],
    ['labelSmoothing', kinds.number],
  ],
  binaryCrossEntropy: [
    ['weight', tensorOrNull],
    ['reduction', kinds.string],
  ],
  binaryCrossEntropyWithLogits: [
    ['weight', tensorOrNull],
    ['reduction', kinds.string],
    ['posWeight', tensorOrNull],
  ],
};

/** Rejects unknown option keys (and positional extras) of a loss, naming its accepted form. */
export function checkLossOptions(op: string, opts: unknown): void {
  const keys = LOSS_KEYS[op];
  parseArgs(op, [opts], { positional: [], keywords: keys, usage: `${op}(input, target, { ${keys.map((k) => k[0]).join(', ')} })` });
}

function checkReduction(op: string, r: string | undefined): Reduction {
  const red = r ?? 'mean';
  if (red !== 'none' && red !== 'mean' && red !== 'sum')
    throw new RangeError(`${op}: ${red} is not a valid value for reduction (use 'none', 'mean' or 'sum')`);
  return red;
}

function reduce(loss: Tensor, reduction: Reduction): Tensor {
  if (reduction === 'mean') return mean(loss);
  if (reduction === 'sum') return sum(loss);
  return loss;
}

function checkFloat(op: string, what: string, t: Tensor): void {
  if (!isFloating(t.dtype)) throw new TypeError(`${op}: ${what} must be a floating-point tensor (got ${t.dtype})`);
}

/** Mean squared error, `(input − target)²` reduced. */
export function mseLoss(input: Tensor, target: Tensor, opts: ReductionOptions = {}): Tensor {
  checkLossOptions('mseLoss', opts);
  const reduction = checkReduction('mseLoss', opts.reduction);
  checkFloat('mseLoss', 'input', input);
  return reduce(square(sub(input, target)), reduction);
}

/** Mean absolute error, `|input − target|` reduced. */
export function l1Loss(input: Tensor, target: Tensor, opts: ReductionOptions = {}): Tensor {
  checkLossOptions('l1Loss', opts);
  const reduction = checkReduction('l1Loss', opts.reduction);
  checkFloat('l1Loss', 'input', input);
  return reduce(abs(sub(input, target)), reduction);
}

/** `input` with the class dim (1) moved last and flattened to [M, C]. */
function rowsOf(input: Tensor): Tensor {
  if (input.ndim === 1) return view(input, [1, input.shape[0]]);
  if (input.ndim === 2) return input;
  const dims = [0, ...input.shape.map((_, i) => i).slice(2), 1];
  return reshape(permute(input, dims), [-1, input.shape[1]]);
}

function checkTargetShape(op: string, input: Tensor, target: Tensor): void {
  if (input.ndim === 0) throw new RangeError(`${op}: input must have at least 1 dimension (got a 0-d tensor)`);
  if (input.ndim === 1) {
    if (target.ndim !== 0)
      throw new RangeError(`${op}: 1-D input ${shapeStr(input.shape)} expects a 0-d target (got ${shapeStr(target.shape)})`);
    return;
  }
  if (input.ndim === 2) {
    if (target.ndim !== 1 || target.shape[0] !== input.shape[0]) {
      throw new RangeError(
        `${op}: expected input batch_size (${input.shape[0]}) to match target batch_size (${target.ndim === 0 ? 'a 0-d target' : target.shape[0]}); ` +
          `input ${shapeStr(input.shape)}, target ${shapeStr(target.shape)} (a 1-D target of class indices)`,
      );
    }
    return;
  }
  const want = [input.shape[0], ...input.shape.slice(2)];
  if (!sameShape(want, target.shape)) throw new RangeError(`${op}: expected target size ${shapeStr(want)}, got ${shapeStr(target.shape)}`);
}

/** Per-target weights (0 where ignored) and the clamped targets, validated. */
function targetWeights(op: string, target: Tensor, C: number, ignoreIndex: number, weight: Tensor | null, dtype: DType) {
  const t = reshape(materialize(detach(target)), [-1]);
  // An out-of-range class must be an error, never an out-of-bounds gather: the check reads the
  // targets through the device's read API (on a device without synchronous reads the gather
  // kernel's own bounds are all that guards it).
  if (t._device.memory.readSync !== undefined) {
    for (const k of t.data) {
      if (k !== ignoreIndex && (k < 0 || k >= C)) {
        throw new RangeError(`${op}: Target ${k} is out of bounds (${C} classes; ignoreIndex ${ignoreIndex}).`);
      }
    }
  }
  return noGrad(() => {
    const ignored = eq(t, ignoreIndex);
    const safe = where(ignored, 0, t);
    const w = weight === null ? to(where(ignored, 0, 1), dtype) : where(ignored, 0, to(indexSelect(detach(weight), 0, safe), dtype));
    // The weighted mean's denominator: the sum of the row weights (accumulated in double, rounded to dtype).
    return { safe, rowWeight: w, total: sum(w) };
  });
}

function checkWeight(op: string, weight: Tensor | null | undefined, C: number): Tensor | null {
  if (weight === undefined || weight === null) return null;
  if (weight.ndim !== 1 || weight.shape[0] !== C) {
    throw new RangeError(
      `${op}: weight tensor should be defined either for all ${C} classes or no classes but got weight tensor of shape: ${shapeStr(weight.shape)}`,
    );
  }
  return weight;
}

/**
 * Negative log-likelihood of int32 class `target`s under log-probabilities `input`
 * ([C], [N, C] or [N, C, d1, …]). With `reduction: 'mean'` the sum is divided by the total
 * weight of the non-ignored targets (PyTorch's weighted mean; NaN when every target is ignored).
 */
export function nllLoss(input: Tensor, target: Tensor, opts: NLLLossOptions = {}): Tensor {
  checkLossOptions('nllLoss', opts);
  const op = 'nllLoss';
  const reduction = checkReduction(op, opts.reduction);
  checkFloat(op, 'input', input);
  if (target.dtype !== 'int32') {
    throw new TypeError(
      `${op}: target must be an int32 tensor of class indices (got ${target.dtype}). Numbers make float32 tensors in nabla; ` +
        "create labels with tensor([...], { dtype: 'int32' }) or an Int32Array, or convert with .int()",
    );
  }
  checkTargetShape(op, input, target);
  const C = input.ndim === 1 ? input.shape[0] : input.shape[1];
  const weight = checkWeight(op, opts.weight, C);
  const { safe, rowWeight, total } = targetWeights(op, target, C, opts.ignoreIndex ?? -100, weight, input.dtype);
  const rows = rowsOf(input);
  const picked = reshape(gather(rows, 1, reshape(safe, [-1, 1])), [-1]);
  const loss = mul(
    picked,
    noGrad(() => neg(rowWeight)),
  );
  if (reduction === 'none') return reshape(loss, target.shape);
  if (reduction === 'sum') return sum(loss);
  return div(sum(loss), total);
}

/** `weight` shaped to broadcast along `classDim` of an `ndim`-d tensor. */
function classView(weight: Tensor, ndim: number, classDim: number): Tensor {
  return view(
    weight,
    Array.from({ length: ndim }, (_, i) => (i === classDim ? weight.shape[0] : 1)),
  );
}

/**
 * Cross-entropy between logits `input` ([C], [N, C] or [N, C, d1, …]) and either int32 class
 * indices (shape without the class dim) or class probabilities (same shape as `input`), like
 * `torch.nn.functional.cross_entropy` with `weight`, `ignoreIndex`, `labelSmoothing` and
 * `reduction`. Computed stably from `logSoftmax`, so large logits are fine.
 */
export function crossEntropy(input: Tensor, target: Tensor, opts: CrossEntropyOptions = {}): Tensor {
  checkLossOptions('crossEntropy', opts);
  const op = 'crossEntropy';
  const reduction = checkReduction(op, opts.reduction);
  const ls = opts.labelSmoothing ?? 0;
  if (!(ls >= 0 && ls <= 1)) throw new RangeError(`${op}: labelSmoothing must be between 0.0 and 1.0. Got: ${ls}`);
  checkFloat(op, 'input', input);
  if (input.ndim === 0) throw new RangeError(`${op}: input must have at least 1 dimension (got a 0-d tensor)`);
  const classDim = input.ndim === 1 ? 0 : 1;
  const C = input.shape[classDim];
  const weight = checkWeight(op, opts.weight, C);
  const logp = logSoftmax(input, classDim);

  if (sameShape(input.shape, target.shape)) {
    // Class probabilities.
    if (!isFloating(target.dtype)) {
      throw new TypeError(`${op}: expected a floating point target with class probabilities (same shape as input), got ${target.dtype}`);
    }
    if (opts.ignoreIndex !== undefined && opts.ignoreIndex >= 0)
      throw new RangeError(`${op}: ignoreIndex is not supported for floating point target`);
    const t = ls > 0 ? add(mul(target, 1 - ls), ls / C) : target;
    let prod = mul(logp, t);
    if (weight) prod = mul(prod, classView(weight, input.ndim, classDim));
    if (reduction === 'none') return neg(sum(prod, { dim: classDim }));
    if (reduction === 'sum') return neg(sum(prod));
    if (input.numel === 0) return mul(neg(sum(prod)), Number.NaN);
    return div(neg(sum(prod)), input.numel / C);
  }

  const ignoreIndex = opts.ignoreIndex ?? -100;
  if (target.dtype !== 'int32') {
    throw new TypeError(
      `${op}: target must be an int32 tensor of class indices, or class probabilities shaped like the input ${shapeStr(input.shape)} ` +
        `(got ${target.dtype} of shape ${shapeStr(target.shape)}). Numbers make float32 tensors in nabla; ` +
        "create labels with tensor([...], { dtype: 'int32' }) or an Int32Array, or convert with .int()",
    );
  }
  const nll = nllLoss(logp, target, { weight, ignoreIndex, reduction });
  if (ls === 0) return nll;
  // Label smoothing with class indices (PyTorch's cross_entropy_loss_label_smoothing).
  const ignored = eq(target, ignoreIndex);
  let smooth = weight ? neg(sum(mul(logp, classView(weight, input.ndim, classDim)), { dim: classDim })) : neg(sum(logp, { dim: classDim }));
  smooth = where(ignored, 0, smooth);
  let ret: Tensor;
  if (reduction === 'mean') {
    if (weight) {
      const { total } = targetWeights(op, target, C, ignoreIndex, weight, input.dtype);
      ret = div(sum(smooth), total);
    } else {
      // Divided by the number of non-ignored targets (NaN when there are none).
      ret = div(
        sum(smooth),
        noGrad(() => sum(ne(target, ignoreIndex))),
      );
    }
  } else if (reduction === 'sum') {
    ret = sum(smooth);
  } else {
    ret = smooth;
  }
  return add(mul(nll, 1 - ls), mul(ret, ls / C));
}

// ---------------------------------------------------------------- binary cross-entropy
//
// Both losses are compositions of elementwise kernels in the input's dtype, so each step rounds
// as PyTorch's float kernels do; the few steps PyTorch takes in double (the 1e-12 floor of the
// BCE gradient, log-sigmoid) run in float64 and are rounded once. Nothing is recorded inside;
// each loss records its own backward formula.

/** `t` converted to `dtype` and broadcast to `shape`, contiguous, cut from the graph. */
function elementwise(t: Tensor, shape: readonly number[], dtype: DType): Tensor {
  return materialize(expand(to(detach(t), dtype), shape));
}

function combineWeight(op: string, loss: Tensor, weight: Tensor | null | undefined): Tensor {
  if (weight === undefined || weight === null) return loss;
  const shape = broadcastShapes(op, loss.shape, weight.shape);
  if (!sameShape(shape, loss.shape)) {
    throw new RangeError(
      `${op}: weight of shape ${shapeStr(weight.shape)} does not broadcast to the input's shape ${shapeStr(loss.shape)}`,
    );
  }
  return mul(loss, weight);
}

/**
 * Binary cross-entropy of probabilities `input` (in [0, 1]) against `target` of the same shape:
 * −w·(y·log x + (1 − y)·log(1 − x)), each log clamped at −100 like PyTorch so that x = 0 or 1
 * gives a finite loss. The input gradient is PyTorch's w·(x − y) / max(x(1 − x), 1e-12).
 * Inputs outside [0, 1] are an error where the device reads synchronously (the check reads the
 * input); elsewhere they give NaN, as CUDA's asynchronous check would not stop the op either.
 */
export function binaryCrossEntropy(input: Tensor, target: Tensor, opts: BCELossOptions = {}): Tensor {
  checkLossOptions('binaryCrossEntropy', opts);
  const op = 'binaryCrossEntropy';
  const reduction = checkReduction(op, opts.reduction);
  checkFloat(op, 'input', input);
  if (!sameShape(input.shape, target.shape)) {
    throw new RangeError(
      `${op}: using a target size (${shapeStr(target.shape)}) that is different to the input size (${shapeStr(input.shape)}) is not supported; ` +
        'please ensure they have the same size',
    );
  }
  const dtype = input.dtype;
  const x = materialize(detach(input));
  if (x._device.memory.readSync !== undefined) {
    const values = x.data;
    for (let i = 0; i < values.length; i++) {
      const xi = values[i];
      if (!(xi >= 0 && xi <= 1)) throw new RangeError(`${op}: all elements of input should be between 0 and 1 (got ${xi})`);
    }
  }
  const y = elementwise(target, input.shape, dtype);
  // (y − 1)·max(log(1 − x), −100) − y·max(log x, −100)
  const out = noGrad(() => sub(mul(sub(y, 1), clamp(log1p(neg(x)), -100)), mul(y, clamp(log(x), -100))));
  const tgt = to(target, dtype);
  const loss = record(out, 'BinaryCrossEntropyBackward0', [input, tgt], { x, y, tgt, dtype }, [input, tgt]);
  return reduce(combineWeight(op, loss, opts.weight), reduction);
}

/**
 * Binary cross-entropy on logits (sigmoid fused in), computed stably for any magnitude as
 * (1 − y)·x + m + log(e^(−m) + e^(−x−m)) with m = max(−x, 0); `posWeight` p scales the
 * positive term: (1 − y)·x + (1 + (p − 1)·y)·(log(e^(−m) + e^(−x−m)) + m).
 */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, opts: BCEWithLogitsOptions = {}): Tensor {
  checkLossOptions('binaryCrossEntropyWithLogits', opts);
  const op = 'binaryCrossEntropyWithLogits';
  const reduction = checkReduction(op, opts.reduction);
  checkFloat(op, 'input', input);
  if (!sameShape(input.shape, target.shape)) {
    throw new RangeError(`${op}: target size (${shapeStr(target.shape)}) must be the same as input size (${shapeStr(input.shape)})`);
  }
  const dtype = input.dtype;
  const x = materialize(detach(input));
  const y = elementwise(target, input.shape, dtype);
  const pwT = opts.posWeight ?? null;
  if (pwT !== null) {
    const s = broadcastShapes(op, input.shape, pwT.shape);
    if (!sameShape(s, input.shape))
      throw new RangeError(`${op}: posWeight of shape ${shapeStr(pwT.shape)} does not broadcast to ${shapeStr(input.shape)}`);
  }
  const pw = pwT === null ? null : elementwise(pwT, input.shape, dtype);
  const out = noGrad(() => {
    const m = clamp(neg(x), 0);
    const lse = log(add(exp(neg(m)), exp(sub(neg(x), m))));
    const lin = mul(sub(1, y), x);
    if (pw === null) return add(add(lin, m), lse);
    const lw = add(mul(sub(pw, 1), y), 1);
    return add(lin, mul(lw, add(lse, m)));
  });
  const tgt = to(target, dtype);
  const loss = record(out, 'BinaryCrossEntropyWithLogitsBackward0', [input, tgt], { x, y, pw, tgt, dtype }, [input, tgt]);
  return reduce(combineWeight(op, loss, opts.weight), reduction);
}
