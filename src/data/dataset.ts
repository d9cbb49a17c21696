import { isGradEnabled } from '../autograd/grad-mode.js';
import { indexSelect } from '../ops/indexing.js';
import { randperm } from '../ops/random.js';
import { select } from '../ops/views.js';
import { defaultGenerator, type Generator } from '../random/generator.js';
import { checkOptions, kinds, noMoreArgs } from '../tensor/args.js';
import { shapeStr } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import type { Collated } from './collate.js';

/**
 * A map-style dataset, PyTorch's `Dataset`: `length` samples, the i-th from `get(i)`
 * (0 ≤ i < length).
 *
 * `getBatch(indices)` is an optional fast path (like later PyTorch's `__getitems__`): when present
 * and it returns a value, that value must equal `defaultCollate(indices.map(i => get(i)))`, and
 * `DataLoader` uses it instead of fetching and stacking samples one by one. Returning `undefined`
 * means "not available here" (the loader then fetches sample by sample).
 */
export interface Dataset<T> {
  readonly length: number;
  get(index: number): T;
  getBatch?(indices: ArrayLike<number>): Collated<T> | undefined;
}

/** The sample type of a dataset. */
export type SampleOf<D> = D extends Dataset<infer T> ? T : never;

/** Throws unless `i` is an integer in [0, n). */
export function checkIndex(op: string, i: number, n: number): void {
  if (!Number.isInteger(i) || i < 0 || i >= n) {
    throw new RangeError(`${op}: index ${i} is out of range for a dataset of length ${n}`);
  }
}

/**
 * Samples are the rows of the given tensors (all with the same size of dim 0), PyTorch's
 * `TensorDataset`: `get(i)` is `[t0[i], t1[i], …]` (views). Batches are gathered straight from the
 * tensors' storage into one new buffer per tensor.
 * @example new TensorDataset(images, labels) // get(i) → [images[i], labels[i]]
 */
export class TensorDataset implements Dataset<Tensor[]> {
  readonly tensors: readonly Tensor[];

  constructor(...tensors: Tensor[]) {
    if (tensors.length === 0) throw new RangeError('TensorDataset: expected at least one tensor');
    tensors.forEach((t, k) => {
      if (!(t instanceof Tensor)) throw new TypeError(`TensorDataset: argument ${k} is not a Tensor`);
      if (t.ndim === 0) throw new RangeError(`TensorDataset: tensor ${k} is 0-d; every tensor needs a first dimension to index`);
      if (t.shape[0] !== tensors[0].shape[0]) {
        throw new RangeError(
          `TensorDataset: size mismatch between tensors: tensor 0 has shape ${shapeStr(tensors[0].shape)}, tensor ${k} has shape ${shapeStr(t.shape)}`,
        );
      }
    });
    this.tensors = tensors;
  }

  get length(): number {
    return this.tensors[0].shape[0];
  }

  get(index: number): Tensor[] {
    checkIndex('TensorDataset.get', index, this.length);
    return this.tensors.map((t) => select(t, 0, index));
  }

  /** Gathers rows `indices` of every tensor into fresh contiguous batch tensors. */
  getBatch(indices: ArrayLike<number>): Tensor[] {
    const n = this.length;
    const k = indices.length;
    for (let j = 0; j < k; j++) checkIndex('TensorDataset.getBatch', indices[j], n);
    return this.tensors.map((t) => gatherRows(t, indices));
  }
}

/**
 * Rows `indices` of `t` (dim 0): one copy kernel per row on t's device (a memcpy on 'cpu'), or
 * `indexSelect` where autograd must record it or the rows are strided.
 */
function gatherRows(t: Tensor, indices: ArrayLike<number>): Tensor {
  const k = indices.length;
  if (!t.isContiguous() || (t.requiresGrad && isGradEnabled())) {
    const idx = Int32Array.from({ length: k }, (_, j) => indices[j]);
    return indexSelect(t, 0, Tensor._fromData(idx, [k], 'int32', t._device));
  }
  const rows = t.shape[0];
  const row = rows === 0 ? 0 : t.numel / rows;
  const out = Tensor._empty([k, ...t.shape.slice(1)], t.dtype, t._device);
  const copy = t._device.kernels.copy;
  const rowShape = [row];
  for (let j = 0; j < k; j++) {
    const i = indices[j];
    if (!(Number.isInteger(i) && i >= 0 && i < rows)) throw new RangeError(`dataset: row index ${i} is out of range for ${rows} rows`);
    copy(
      { buf: t.storage.buffer, offset: t.offset + i * row, strides: [1] },
      { buf: out.storage.buffer, offset: j * row, strides: [1] },
      rowShape,
    );
  }
  return out;
}

/** The samples of `dataset` at `indices`, in that order (PyTorch's `Subset`). */
export class Subset<T> implements Dataset<T> {
  constructor(
    readonly dataset: Dataset<T>,
    readonly indices: ArrayLike<number>,
    ...rest: never[]
  ) {
    noMoreArgs('Subset', rest, 'Subset(dataset, indices)');
    if (indices === null || typeof indices !== 'object' || typeof indices.length !== 'number') {
      throw new TypeError('Subset: indices must be an array of integers (or a typed array)');
    }
    for (let j = 0; j < indices.length; j++) checkIndex('Subset', indices[j], dataset.length);
  }

  get length(): number {
    return this.indices.length;
  }

  get(index: number): T {
    checkIndex('Subset.get', index, this.length);
    return this.dataset.get(this.indices[index]);
  }

  getBatch(indices: ArrayLike<number>): Collated<T> | undefined {
    if (!this.dataset.getBatch) return undefined;
    const mapped = new Int32Array(indices.length);
    for (let j = 0; j < indices.length; j++) {
      checkIndex('Subset.getBatch', indices[j], this.length);
      mapped[j] = this.indices[indices[j]];
    }
    return this.dataset.getBatch(mapped);
  }
}

/** Several datasets one after the other (PyTorch's `ConcatDataset`). */
export class ConcatDataset<T> implements Dataset<T> {
  readonly datasets: readonly Dataset<T>[];
  /** Running totals of the lengths: `cumulativeSizes[k]` = samples in datasets 0..k. */
  readonly cumulativeSizes: readonly number[];

  constructor(datasets: readonly Dataset<T>[], ...rest: never[]) {
    noMoreArgs('ConcatDataset', rest, 'ConcatDataset(datasets)');
    if (!Array.isArray(datasets)) throw new TypeError('ConcatDataset: datasets must be an array of datasets');
    if (datasets.length === 0) throw new RangeError('ConcatDataset: datasets should not be an empty iterable');
    this.datasets = [...datasets];
    let total = 0;
    this.cumulativeSizes = this.datasets.map((d) => {
      total += d.length;
      return total;
    });
  }

  get length(): number {
    return this.cumulativeSizes[this.cumulativeSizes.length - 1];
  }

  get(index: number): T {
    checkIndex('ConcatDataset.get', index, this.length);
    // Binary search for the first cumulative size > index (bisect_right).
    let lo = 0;
    let hi = this.cumulativeSizes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulativeSizes[mid] <= index) lo = mid + 1;
      else hi = mid;
    }
    const start = lo === 0 ? 0 : this.cumulativeSizes[lo - 1];
    return this.datasets[lo].get(index - start);
  }
}

/** Options of {@link randomSplit}. */
export interface RandomSplitOptions {
  /** Generator of the permutation (default: the global one, as in PyTorch). */
  generator?: Generator;
}

/**
 * Splits `dataset` into non-overlapping random subsets, PyTorch's `random_split`: `lengths` are
 * sizes summing to `dataset.length`, or fractions summing to 1 (each split gets
 * ⌊fraction·n⌋, then the remainder is dealt out one by one from the first split). The order
 * is `randperm(n, generator)` cut into consecutive pieces, so the same seed gives the same
 * subsets as PyTorch.
 * @example randomSplit(ds, [0.8, 0.2], { generator: new Generator(42) })
 */
export function randomSplit<T>(dataset: Dataset<T>, lengths: readonly number[], opts: RandomSplitOptions = {}): Subset<T>[] {
  checkOptions('randomSplit', opts, [['generator', kinds.any]], 'randomSplit(dataset, lengths, { generator }?)');
  const n = dataset.length;
  let sizes = [...lengths];
  const total = sizes.reduce((a, b) => a + b, 0);
  // math.isclose(sum, 1) with its default rel_tol=1e-9, and sum <= 1.
  if (Math.abs(total - 1) <= 1e-9 * Math.max(1, Math.abs(total)) && total <= 1) {
    sizes = sizes.map((f, i) => {
      if (!(f >= 0 && f <= 1)) throw new RangeError(`randomSplit: fraction at index ${i} is not between 0 and 1 (got ${f})`);
      return Math.floor(n * f);
    });
    const remainder = n - sizes.reduce((a, b) => a + b, 0);
    for (let i = 0; i < remainder; i++) sizes[i % sizes.length] += 1;
  }
  sizes.forEach((s, i) => {
    if (!Number.isInteger(s) || s < 0) throw new RangeError(`randomSplit: length at index ${i} must be a non-negative integer (got ${s})`);
  });
  if (sizes.reduce((a, b) => a + b, 0) !== n) {
    throw new RangeError(`randomSplit: sum of input lengths (${sizes.join(' + ')}) does not equal the length of the input dataset (${n})`);
  }
  const perm = randperm(n, { generator: opts.generator ?? defaultGenerator }).data as Int32Array;
  const out: Subset<T>[] = [];
  let offset = 0;
  for (const s of sizes) {
    out.push(new Subset(dataset, perm.slice(offset, offset + s)));
    offset += s;
  }
  return out;
}
