/**
 * Label tools for the random-label memorization experiment (Zhang et al. 2017, exercise 6).
 * Both are seeded recipes that PyTorch reproduces line for line (see each function).
 */
import { fillRandint, randperm } from '../random/distributions.js';
import { defaultGenerator, type Generator } from '../random/generator.js';
import { checkOptions, kinds } from '../tensor/args.js';
import { Tensor } from '../tensor/tensor.js';
import type { Collated } from './collate.js';
import { checkIndex, type Dataset, Subset } from './dataset.js';

/** Options of {@link withRandomLabels}. */
const LABEL_KEYS = [
  ['fraction', kinds.number],
  ['numClasses', kinds.int],
  ['generator', kinds.any],
] as const;

export interface RandomLabelOptions {
  /** Share of samples whose label is replaced, in [0, 1] (default 1: all). */
  fraction?: number;
  /** New labels are uniform over 0..numClasses−1 (default 10). */
  numClasses?: number;
  /** Generator of the choice and of the new labels (default: the global one). */
  generator?: Generator;
}

/**
 * A dataset whose labels are partly or wholly replaced by uniformly random classes, chosen once
 * (the same every epoch). See {@link withRandomLabels}.
 */
export class RandomLabels<X> implements Dataset<[X, number]> {
  /** Indices whose label was replaced, ascending. */
  readonly indices: Int32Array;
  /** The new label of each of `indices` (the same order). */
  readonly newLabels: Int32Array;
  private readonly override: Int32Array;

  constructor(
    readonly dataset: Dataset<readonly unknown[]>,
    indices: Int32Array,
    newLabels: Int32Array,
    readonly numClasses: number,
  ) {
    this.indices = indices;
    this.newLabels = newLabels;
    this.override = new Int32Array(dataset.length).fill(-1);
    indices.forEach((i, j) => {
      this.override[i] = newLabels[j];
    });
  }

  get length(): number {
    return this.dataset.length;
  }

  /** Whether sample `i`'s label was replaced (the new one may equal the old by chance). */
  isRandomized(index: number): boolean {
    checkIndex('RandomLabels.isRandomized', index, this.length);
    return this.override[index] >= 0;
  }

  get(index: number): [X, number] {
    checkIndex('RandomLabels.get', index, this.length);
    const sample = this.dataset.get(index);
    const y = sample[1];
    if (sample.length !== 2 || !(typeof y === 'number' || (y instanceof Tensor && y.numel === 1))) {
      throw new TypeError(`RandomLabels.get: sample ${index} is not an [input, label] pair with a number or one-element tensor label`);
    }
    const o = this.override[index];
    return [sample[0] as X, o >= 0 ? o : typeof y === 'number' ? y : y.item()];
  }

  getBatch(indices: ArrayLike<number>): Collated<[X, number]> | undefined {
    const base = this.dataset.getBatch?.(indices) as unknown;
    if (!Array.isArray(base) || base.length !== 2) return undefined;
    const [x, y] = base as [unknown, unknown];
    if (!(y instanceof Tensor) || y.ndim !== 1 || y.shape[0] !== indices.length) return undefined;
    const old = y.data;
    const labels = new Int32Array(indices.length);
    for (let j = 0; j < indices.length; j++) {
      const o = this.override[indices[j]];
      labels[j] = o >= 0 ? o : old[j];
      if (o < 0 && labels[j] !== old[j]) return undefined; // non-integer labels: let collate decide
    }
    return [x, Tensor._fromData(labels, [indices.length], 'int32')] as unknown as Collated<[X, number]>;
  }
}

/**
 * Replaces a `fraction` of the labels of a `[x, label]` dataset by uniformly random classes,
 * fixed once. The recipe, in PyTorch terms, with `k = round(fraction · n)`:
 * ```
 * perm = torch.randperm(n, generator=g)
 * indices = perm[:k].sort().values
 * new_labels = torch.randint(0, num_classes, (k,), generator=g)
 * ```
 * The result exposes `indices` and `newLabels`; labels come out as numbers.
 * @example withRandomLabels(train, { fraction: 1, generator: new Generator(0) })
 */
export function withRandomLabels<S extends readonly unknown[]>(dataset: Dataset<S>, opts: RandomLabelOptions = {}): RandomLabels<S[0]> {
  checkOptions('withRandomLabels', opts, LABEL_KEYS, 'withRandomLabels(dataset, { fraction, numClasses, generator }?)');
  const fraction = opts.fraction ?? 1;
  const numClasses = opts.numClasses ?? 10;
  if (!(fraction >= 0 && fraction <= 1)) throw new RangeError(`withRandomLabels: fraction must be in [0, 1] (got ${fraction})`);
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new RangeError(`withRandomLabels: numClasses must be a positive integer (got ${numClasses})`);
  }
  const gen = opts.generator ?? defaultGenerator;
  const n = dataset.length;
  const k = Math.round(fraction * n);
  const indices = randperm(gen, n).slice(0, k).sort();
  const labels = fillRandint(gen, new Int32Array(k), 0, numClasses);
  return new RandomLabels<S[0]>(dataset, indices, labels, numClasses);
}

/** Options of {@link fractionSubset}. */
export interface FractionSubsetOptions {
  /** Generator of the choice (default: the global one). */
  generator?: Generator;
}

/**
 * A seeded random `fraction` of a dataset ("10% of MNIST": 6,000 of 60,000): the first
 * `round(fraction · n)` entries of `randperm(n, generator)`, in that order — the same subset as
 * `random_split(dataset, [k, n - k], generator=g)[0]` in PyTorch.
 */
export function fractionSubset<T>(dataset: Dataset<T>, fraction: number, opts: FractionSubsetOptions = {}): Subset<T> {
  checkOptions('fractionSubset', opts, [['generator', kinds.any]], 'fractionSubset(dataset, fraction, { generator }?)');
  if (!(fraction >= 0 && fraction <= 1)) throw new RangeError(`fractionSubset: fraction must be in [0, 1] (got ${fraction})`);
  const n = dataset.length;
  const k = Math.round(fraction * n);
  const perm = randperm(opts.generator ?? defaultGenerator, n);
  return new Subset(dataset, perm.slice(0, k));
}
