/**
 * Loss functions (`torch.nn.functional.*_loss`), with PyTorch 1.13's formulas, reductions
 * (including the weighted mean of nll/cross-entropy) and gradients.
 */
import '../../tensor/methods.js';
import { noGrad } from '../../autograd/grad-mode.js';
import { record } from '../../autograd/record.js';
import { add, div, eq, mul, sub, where } from '../../ops/binary.js';
import { detach, materialize, to } from '../../ops/convert.js';
import { gather } from '../../ops/indexing.js';
import { mean, sum } from '../../ops/reduce.js';
import { logSoftmax } from '../../ops/softmax.js';
import { abs, neg, square } from '../../ops/unary.js';
import { expand, permute, reshape, view } from '../../ops/views.js';
import { kinds, type ParamSpec, parseArgs } from '../../tensor/args.js';
import { allocate, type DType, isFloating } from '../../tensor/dtype.js';
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
  const t = materialize(target).data as Int32Array;
  const w = weight === null ? null : materialize(detach(weight), 'float64').data;
  const safe = new Int32Array(t.length);
  const rw = allocate(dtype, t.length);
  let total = 0;
  for (let i = 0; i < t.length; i++) {
    const k = t[i];
    if (k === ignoreIndex) continue;
    if (k < 0 || k >= C) throw new RangeError(`${op}: Target ${k} is out of bounds (${C} classes; ignoreIndex ${ignoreIndex}).`);
    safe[i] = k;
    rw[i] = w === null ? 1 : w[k];
    total += rw[i];
  }
  const rowWeight = Tensor._fromData(rw, [t.length], dtype, target._device);
  return { safe, rowWeight, total };
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
  const picked = reshape(gather(rows, 1, Tensor._fromData(safe, [safe.length, 1], 'int32', input._device)), [-1]);
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
      let count = 0;
      for (const k of materialize(target).data) if (k !== ignoreIndex) count++;
      ret = div(sum(smooth), count);
    }
  } else if (reduction === 'sum') {
    ret = sum(smooth);
  } else {
    ret = smooth;
  }
  return add(mul(nll, 1 - ls), mul(ret, ls / C));
}

// ---------------------------------------------------------------- binary cross-entropy

/** Rounds to the dtype after each step, so float32 math follows PyTorch's float kernels. */
const rounder = (dtype: DType): ((v: number) => number) => (dtype === 'float32' ? Math.fround : (v: number) => v);

function elementwiseData(t: Tensor, shape: readonly number[], dtype: DType): ArrayLike<number> {
  return materialize(expand(to(detach(t), dtype), shape)).data;
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
  const r = rounder(dtype);
  const x = materialize(input).data;
  const y = elementwiseData(target, input.shape, dtype);
  const o = allocate(dtype, input.numel);
  for (let i = 0; i < o.length; i++) {
    const xi = x[i];
    if (!(xi >= 0 && xi <= 1)) throw new RangeError(`${op}: all elements of input should be between 0 and 1 (got ${xi})`);
    const yi = y[i];
    const log1m = Math.max(r(Math.log1p(-xi)), -100);
    const logx = Math.max(r(Math.log(xi)), -100);
    o[i] = r(r(r(yi - 1) * log1m) - r(yi * logx));
  }
  const out = Tensor._fromData(o, input.shape, dtype, input._device);
  const tgt = to(target, dtype);
  const loss = record(
    out,
    'BinaryCrossEntropyBackward0',
    [input, tgt],
    (g) => {
      const gd = materialize(g).data;
      const a = allocate(dtype, input.numel);
      const b = allocate(dtype, input.numel);
      for (let i = 0; i < a.length; i++) {
        const xi = x[i];
        a[i] = r(r(gd[i] * r(xi - y[i])) / Math.max(r(r(1 - xi) * xi), 1e-12));
        b[i] = r(gd[i] * r(r(Math.log(r(1 - xi))) - r(Math.log(xi))));
      }
      const gi = Tensor._fromData(a, input.shape, dtype, input._device);
      return [gi, tgt.requiresGrad ? Tensor._fromData(b, input.shape, dtype, input._device) : null];
    },
    [input, tgt],
  );
  return reduce(combineWeight(op, loss, opts.weight), reduction);
}

const logSigmoid = (v: number): number => (v < 0 ? v - Math.log1p(Math.exp(v)) : -Math.log1p(Math.exp(-v)));

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
  const r = rounder(dtype);
  const x = materialize(input).data;
  const y = elementwiseData(target, input.shape, dtype);
  const pwT = opts.posWeight ?? null;
  if (pwT !== null) {
    const s = broadcastShapes(op, input.shape, pwT.shape);
    if (!sameShape(s, input.shape))
      throw new RangeError(`${op}: posWeight of shape ${shapeStr(pwT.shape)} does not broadcast to ${shapeStr(input.shape)}`);
  }
  const pw = pwT === null ? null : elementwiseData(pwT, input.shape, dtype);
  const o = allocate(dtype, input.numel);
  for (let i = 0; i < o.length; i++) {
    const xi = x[i];
    const yi = y[i];
    const m = Math.max(-xi, 0);
    const lse = r(Math.log(r(r(Math.exp(-m)) + r(Math.exp(r(-xi - m))))));
    const lin = r(r(1 - yi) * xi);
    if (pw === null) o[i] = r(r(lin + m) + lse);
    else {
      const lw = r(r(r(pw[i] - 1) * yi) + 1);
      o[i] = r(lin + r(lw * r(lse + m)));
    }
  }
  const out = Tensor._fromData(o, input.shape, dtype, input._device);
  const tgt = to(target, dtype);
  const loss = record(
    out,
    'BinaryCrossEntropyWithLogitsBackward0',
    [input, tgt],
    (g) => {
      const gd = materialize(g).data;
      const a = allocate(dtype, input.numel);
      const b = allocate(dtype, input.numel);
      for (let i = 0; i < a.length; i++) {
        const xi = x[i];
        const yi = y[i];
        const sig = r(1 / (1 + Math.exp(-xi)));
        if (pw === null) {
          a[i] = r(r(sig - yi) * gd[i]);
          b[i] = r(-xi * gd[i]);
        } else {
          const t = r(pw[i] * yi);
          const c = r(r(t + 1) - yi);
          a[i] = r(r(r(c * sig) - t) * gd[i]);
          b[i] = r(r(r(logSigmoid(-xi)) - r(r(logSigmoid(xi)) * pw[i])) * gd[i]);
        }
      }
      const gi = Tensor._fromData(a, input.shape, dtype, input._device);
      return [gi, tgt.requiresGrad ? Tensor._fromData(b, input.shape, dtype, input._device) : null];
    },
    [input, tgt],
  );
  return reduce(combineWeight(op, loss, opts.weight), reduction);
}
