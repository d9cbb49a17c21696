import type { DeviceLike } from '../backend/device.js';
import {
  fillBernoulli,
  fillBernoulliTensor,
  fillExponential,
  fillNormal,
  fillRandint,
  fillUniform,
  randperm as permutation,
} from '../random/distributions.js';
import { defaultGenerator, type Generator } from '../random/generator.js';
import { checkOptions, isOptionsObject, kinds, parseArgs, type SizeArgs, sizeArgs } from '../tensor/args.js';
import { allocate, checkDType, type DType, defaultFloatDType, isFloating } from '../tensor/dtype.js';
import { checkShape, numelOf as numel } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { detach } from './convert.js';
import { deviceOption } from './creation.js';
import { copy_ } from './inplace.js';
import { permute } from './views.js';

/**
 * Options of random creation functions: dtype, the generator to draw from, the device, requiresGrad.
 * Values are drawn on the host by the generator (PyTorch's CPU stream) and uploaded to the
 * device, so a seed gives the same tensor on every device.
 */
export interface RandomOptions {
  dtype?: DType;
  generator?: Generator;
  device?: DeviceLike;
  requiresGrad?: boolean;
}

const generatorKind = { desc: 'a Generator', ok: (v: unknown) => typeof v === 'object' && v !== null && !isOptionsObject(v) };
const randomKeys = [
  ['dtype', kinds.string],
  ['generator', generatorKind],
  ['device', { desc: "a device name such as 'cpu'", ok: (v: unknown) => typeof v === 'string' || (typeof v === 'object' && v !== null) }],
  ['requiresGrad', kinds.bool],
] as const;

const genKeys = [['generator', generatorKind]] as const;
const gen = (opts?: { generator?: Generator }, fn = 'random'): Generator => {
  checkOptions(fn, opts, genKeys, `${fn}(…, { generator })`);
  return opts?.generator ?? defaultGenerator;
};

function floatDType(op: string, opts?: RandomOptions): 'float32' | 'float64' {
  const d = opts?.dtype ?? defaultFloatDType;
  checkDType(op, d);
  if (!isFloating(d)) throw new TypeError(`${op}: expected a floating dtype (got ${d})`);
  return d as 'float32' | 'float64';
}

function finish(t: Tensor, opts?: RandomOptions): Tensor {
  if (opts?.requiresGrad) t.requiresGrad_(true);
  return t;
}

/** Uniform samples in [0, 1), the same stream as `torch.rand` for the same seed: `rand(3, 4)` or `rand([3, 4], opts)`. */
export function rand(...args: SizeArgs<RandomOptions>): Tensor {
  const { shape, opts } = sizeArgs<RandomOptions>('rand', args, randomKeys);
  const s = checkShape('rand', shape);
  const dtype = floatDType('rand', opts);
  const host = allocate(dtype, numel(s));
  fillUniform(opts.generator ?? defaultGenerator, host);
  return finish(Tensor._fromData(host, s, dtype, deviceOption('rand', opts)), opts);
}

/** Standard normal samples, the same stream as `torch.randn` for the same seed: `randn(3, 4)` or `randn([3, 4], opts)`. */
export function randn(...args: SizeArgs<RandomOptions>): Tensor {
  const { shape, opts } = sizeArgs<RandomOptions>('randn', args, randomKeys);
  const s = checkShape('randn', shape);
  const dtype = floatDType('randn', opts);
  const host = allocate(dtype, numel(s));
  fillNormal(opts.generator ?? defaultGenerator, host);
  return finish(Tensor._fromData(host, s, dtype, deviceOption('randn', opts)), opts);
}

type IntOptions = Omit<RandomOptions, 'requiresGrad'>;
type Size = number | readonly number[];

/**
 * Integers uniform in [low, high) (int32 by default), like `torch.randint`: `randint(low, high,
 * size)` or `randint(high, size)`; `size` is an array or (for 1-D) a number.
 */
export function randint(high: number, size: Size, opts?: IntOptions): Tensor;
export function randint(low: number, high: number, size: Size, opts?: IntOptions): Tensor;
export function randint(...args: unknown[]): Tensor {
  const usage =
    'randint(low, high, size, { dtype, generator }?) or randint(high, size, { dtype, generator }?); size is an array or a number';
  const sizeKind = { desc: 'an array of sizes or a number', ok: (v: unknown) => Number.isInteger(v) || Array.isArray(v) };
  const twoBounds = args.length >= 3 && !isOptionsObject(args[2]);
  const a = parseArgs('randint', args, {
    positional: twoBounds
      ? [
          ['low', kinds.int],
          ['high', kinds.int],
          ['size', sizeKind],
        ]
      : [
          ['high', kinds.int],
          ['size', sizeKind],
        ],
    keywords: randomKeys.filter((k) => k[0] !== 'requiresGrad'),
    usage,
  });
  if (a.high === undefined || a.size === undefined) throw new TypeError(`randint: high and size are required. Accepted forms: ${usage}`);
  const low = (a.low as number | undefined) ?? 0;
  const high = a.high as number;
  if (!(low < high)) throw new RangeError(`randint: low (${low}) must be less than high (${high}). Accepted forms: ${usage}`);
  const shape = typeof a.size === 'number' ? [a.size] : (a.size as number[]);
  const opts = a as IntOptions;
  const dtype = opts?.dtype ?? 'int32';
  checkDType('randint', dtype);
  if (dtype === 'bool') throw new TypeError('randint: bool dtype is not supported');
  const s = checkShape('randint', shape);
  const host = allocate(dtype, numel(s));
  fillRandint(opts?.generator ?? defaultGenerator, host, low, high);
  return Tensor._fromData(host, s, dtype, deviceOption('randint', opts));
}

/** A random permutation of 0..n−1 (int32), the same as `torch.randperm(n)` for the same seed. */
export function randperm(n: number, opts?: { generator?: Generator; device?: DeviceLike }): Tensor {
  const { device, ...rest } = opts ?? {};
  const data = permutation(gen(rest, 'randperm'), n);
  return Tensor._fromData(data, [n], 'int32', deviceOption('randperm', { device }));
}

/** 0/1 samples with the probabilities in `probs` (same dtype as probs), like `torch.bernoulli`. */
export function bernoulli(probs: Tensor, opts?: { generator?: Generator }): Tensor {
  if (!isFloating(probs.dtype)) throw new TypeError(`bernoulli: probabilities must be floating point (got ${probs.dtype})`);
  // The probabilities are read to the host, where the generator draws; the result is uploaded.
  const p = probs.data;
  const out = allocate(probs.dtype as 'float32' | 'float64', probs.numel);
  fillBernoulliTensor(gen(opts, 'bernoulli'), out, p, probs.dtype as 'float32' | 'float64');
  return Tensor._fromData(out, probs.shape, probs.dtype, probs._device);
}

// Draws into a scratch tensor, then copy_ writes it with the usual in-place checks. PyTorch's
// TensorIterator fills in memory order (dims sorted by stride), so a transposed view is filled
// through the matching permutation of its dims.
function fillInPlace(t: Tensor, fill: (data: Float32Array | Float64Array | Int32Array) => void): Tensor {
  const order = t.shape.map((_, i) => i).sort((a, b) => t.strides[b] - t.strides[a] || a - b);
  const target = permute(detach(t), order);
  // Drawn on the host; copy_ moves it to t's device.
  const host = allocate(t.dtype, t.numel);
  fill(host as Float32Array);
  const scratch = Tensor._fromData(host, target.shape, t.dtype);
  copy_(
    t,
    permute(
      scratch,
      order.map((_, i) => order.indexOf(i)),
    ),
  );
  return t;
}

/** Fills `t` with uniform samples in [from, to), like `Tensor.uniform_`. */
export function uniform_(t: Tensor, from = 0, to = 1, opts?: { generator?: Generator }): Tensor {
  floatDType('uniform_', { dtype: t.dtype });
  return fillInPlace(t, (d) => fillUniform(gen(opts, 'uniform_'), d as Float32Array, from, to));
}

/** Fills `t` with normal samples, like `Tensor.normal_`. */
export function normal_(t: Tensor, mean = 0, std = 1, opts?: { generator?: Generator }): Tensor {
  floatDType('normal_', { dtype: t.dtype });
  return fillInPlace(t, (d) => fillNormal(gen(opts, 'normal_'), d as Float32Array, mean, std, t.isContiguous()));
}

/** Fills `t` with 0/1 samples that are 1 with probability `p`, like `Tensor.bernoulli_(p)`. */
export function bernoulli_(t: Tensor, p = 0.5, opts?: { generator?: Generator }): Tensor {
  if (t.dtype === 'bool') throw new TypeError('bernoulli_: bool tensors are not supported');
  return fillInPlace(t, (d) => fillBernoulli(gen(opts, 'bernoulli_'), d, p));
}

/** Fills `t` with samples of the exponential distribution with rate `lambd`, like `Tensor.exponential_`. */
export function exponential_(t: Tensor, lambd = 1, opts?: { generator?: Generator }): Tensor {
  floatDType('exponential_', { dtype: t.dtype });
  return fillInPlace(t, (d) => fillExponential(gen(opts, 'exponential_'), d as Float32Array, lambd));
}

/** Options of {@link multinomial}. */
export interface MultinomialOptions {
  replacement?: boolean;
  generator?: Generator;
}

/**
 * Draws `numSamples` category indices (int32) from each row of the non-negative weights `probs`
 * (1-D or 2-D; rows need not sum to 1), like `torch.multinomial(probs, numSamples, replacement)`,
 * consuming the generator as PyTorch 1.13's CPU kernels do: without replacement (or one sample)
 * it divides the weights by Exp(1) draws and takes the largest (argmax/topk); with replacement it
 * binary-searches one uniform draw per sample in each row's cumulative distribution.
 */
export function multinomial(
  probs: Tensor,
  numSamples: number,
  ...args: [replacement?: boolean, opts?: { generator?: Generator }] | [opts: MultinomialOptions]
): Tensor {
  const a = parseArgs<MultinomialOptions>('multinomial', args, {
    positional: [['replacement', kinds.bool]],
    keywords: [['generator', generatorKind]],
    usage: 'multinomial(probs, numSamples, replacement?, { generator }?) or multinomial(probs, numSamples, { replacement, generator })',
  });
  const op = 'multinomial';
  if (!isFloating(probs.dtype)) throw new TypeError(`${op}: probs must be a floating-point tensor (got ${probs.dtype})`);
  if (probs.ndim !== 1 && probs.ndim !== 2) throw new RangeError(`${op}: prob_dist must be 1 or 2 dim (got ${probs.ndim})`);
  const replacement = a.replacement ?? false;
  const rows = probs.ndim === 1 ? 1 : probs.shape[0];
  const cats = probs.shape[probs.ndim - 1];
  if (!Number.isInteger(numSamples) || numSamples <= 0)
    throw new RangeError(`${op}: cannot sample numSamples <= 0 samples (got ${numSamples})`);
  if (!replacement && numSamples > cats) {
    throw new RangeError(`${op}: cannot sample numSamples > prob_dist.size(-1) samples without replacement (${numSamples} > ${cats})`);
  }
  // Validation and sampling read the weights through the device's read API; sampling is the
  // generator's work on the host (PyTorch's CPU stream), and the indices are uploaded.
  const p = probs.data as Float32Array | Float64Array;
  for (let r = 0; r < rows; r++) {
    let total = 0;
    for (let c = 0; c < cats; c++) {
      const v = p[r * cats + c];
      if (!(v >= 0) || v === Number.POSITIVE_INFINITY)
        throw new RangeError(`${op}: probability tensor contains either inf, nan or element < 0`);
      total += v;
    }
    if (total === 0) throw new RangeError(`${op}: invalid multinomial distribution (sum of probabilities <= 0)`);
  }
  const out = new Int32Array(rows * numSamples);
  const g = a.generator ?? defaultGenerator;
  if (!replacement || numSamples === 1) {
    // q ~ Exp(1) drawn over the whole [rows, cats] tensor, then argmax/topk of p / q per row.
    const q = probs.dtype === 'float64' ? new Float64Array(rows * cats) : new Float32Array(rows * cats);
    fillExponential(g, q, 1);
    for (let i = 0; i < q.length; i++) q[i] = p[i] / q[i];
    for (let r = 0; r < rows; r++) {
      const order = Array.from({ length: cats }, (_, c) => c);
      order.sort((x, y) => q[r * cats + y] - q[r * cats + x] || x - y);
      for (let k = 0; k < numSamples; k++) out[r * numSamples + k] = order[k];
    }
  } else {
    const cum = probs.dtype === 'float64' ? new Float64Array(cats) : new Float32Array(cats);
    for (let r = 0; r < rows; r++) {
      let total = 0;
      for (let c = 0; c < cats; c++) {
        total = probs.dtype === 'float64' ? total + p[r * cats + c] : Math.fround(total + p[r * cats + c]);
        cum[c] = total;
      }
      for (let c = 0; c < cats; c++) cum[c] = cum[c] / total;
      cum[cats - 1] = 1;
      for (let k = 0; k < numSamples; k++) {
        const u = g.random53() * 2 ** -53;
        let lo = 0;
        let hi = cats;
        while (hi - lo > 0) {
          const mid = lo + Math.floor((hi - lo) / 2);
          if (cum[mid] < u) lo = mid + 1;
          else hi = mid;
        }
        out[r * numSamples + k] = lo;
      }
    }
  }
  return Tensor._fromData(out, probs.ndim === 1 ? [numSamples] : [rows, numSamples], 'int32', probs._device);
}
