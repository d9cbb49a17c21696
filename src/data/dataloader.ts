import { defaultGenerator, Generator } from '../random/generator.js';
import { randomInt64 } from '../random/int64.js';
import { type ArgSpec, kinds, parseArgs } from '../tensor/args.js';
import { type Collated, defaultCollate } from './collate.js';
import type { Dataset } from './dataset.js';
import { BatchSampler, RandomSampler, type Sampler, SequentialSampler } from './sampler.js';

/** A batch sampler: lists of indices, one per batch, with a length when `loader.length` is read. */
export type BatchSamplerLike = Iterable<readonly number[]> & { readonly length?: number };

/** Options of {@link DataLoader}: PyTorch 1.13's keyword arguments (camelCase). */
export interface DataLoaderOptions<T, B> {
  /** Samples per batch (default 1). */
  batchSize?: number;
  /** Reshuffle every epoch with a PyTorch-exact {@link RandomSampler} (default false). */
  shuffle?: boolean | null;
  /** Custom index order (excludes `shuffle`). */
  sampler?: Sampler | null;
  /** Yields each batch's indices (excludes `batchSize`, `shuffle`, `sampler` and `dropLast`). */
  batchSampler?: BatchSamplerLike | null;
  /**
   * Accepted for PyTorch programs: nabla loads every batch in the calling thread, so any count
   * gives the batches `numWorkers: 0` gives (default 0).
   */
  numWorkers?: number;
  /** Turns a list of samples into a batch (default {@link defaultCollate}). */
  collateFn?: ((samples: T[]) => B) | null;
  /** The same as `collateFn` (nabla's earlier name). */
  collate?: (samples: T[]) => B;
  /** Accepted for PyTorch programs; batches are always in ordinary host memory. */
  pinMemory?: boolean;
  /** Drop the last batch when it is smaller than `batchSize` (default false). */
  dropLast?: boolean;
  /** Accepted for PyTorch programs (non-negative); loading in the calling thread never times out. */
  timeout?: number;
  /** Generator for the shuffle and for the per-epoch base seed (default: the global one). */
  generator?: Generator | null;
}

const isFunction = { desc: 'a function or null', ok: (v: unknown) => v === null || typeof v === 'function' };
const isIterable = (desc: string) => ({
  desc,
  ok: (v: unknown) => v === null || (typeof v === 'object' && typeof (v as Iterable<unknown>)[Symbol.iterator] === 'function'),
});
const isNull = (desc: string) => ({ desc, ok: (v: unknown) => v === null });
const LOADER_SPEC = {
  positional: [
    ['batchSize', { desc: 'a positive integer', ok: (v: unknown) => Number.isInteger(v) && (v as number) > 0 }],
    ['shuffle', { desc: 'a boolean or null', ok: (v: unknown) => v === null || typeof v === 'boolean' }],
    ['sampler', isIterable('a sampler (an iterable of indices with a length) or null')],
    ['batchSampler', isIterable('a batch sampler (an iterable of index lists) or null')],
    ['numWorkers', { desc: 'a non-negative integer', ok: (v: unknown) => Number.isInteger(v) && (v as number) >= 0 }],
    ['collateFn', isFunction],
    ['pinMemory', kinds.bool],
    ['dropLast', kinds.bool],
    ['timeout', { desc: 'a non-negative number', ok: (v: unknown) => typeof v === 'number' && v >= 0 }],
    ['workerInitFn', isNull('null (nabla loads in the calling thread, so a worker init function would never run)')],
    ['multiprocessingContext', isNull('null (nabla loads in the calling thread)')],
    ['generator', { desc: 'a Generator or null', ok: (v: unknown) => v === null || v instanceof Generator }],
  ],
  keywords: [
    ['collate', { desc: 'a function', ok: (v: unknown) => typeof v === 'function' }],
    ['prefetchFactor', { desc: '2 (nabla loads in the calling thread)', ok: (v: unknown) => v === 2 }],
    ['persistentWorkers', { desc: 'false (nabla loads in the calling thread)', ok: (v: unknown) => v === false }],
    ['pinMemoryDevice', { desc: "'' (batches stay in host memory)", ok: (v: unknown) => v === '' }],
  ],
  usage:
    "DataLoader(dataset, batchSize?, shuffle?, sampler?, batchSampler?, numWorkers?, collateFn?, pinMemory?, dropLast?, timeout?, workerInitFn?, multiprocessingContext?, generator?) with PyTorch's positions, or DataLoader(dataset, { batchSize, shuffle, sampler, batchSampler, collateFn, dropLast, generator, … })",
} satisfies ArgSpec;

/**
 * Iterates over a dataset in batches, PyTorch's `DataLoader`: `for (const [x, y] of loader) …`,
 * one epoch per `for … of`, `length` batches per epoch. It takes PyTorch's arguments in PyTorch's
 * positions (`new DataLoader(ds, 64, true)`) or in an options object
 * (`new DataLoader(ds, { batchSize: 64, shuffle: true })`); batches are loaded in the calling
 * thread, so `numWorkers` is accepted and changes nothing, and what needs worker processes
 * (`workerInitFn`, `persistentWorkers`, …) is refused.
 *
 * Random draws match PyTorch 1.13 exactly: starting an epoch draws the loader's base seed
 * (`torch.empty((), dtype=torch.int64).random_(generator=…)`: two 32-bit draws from `generator`,
 * or from the global generator — PyTorch does this even with `shuffle: false`), then a
 * shuffling loader's {@link RandomSampler} draws its own seed from the global generator (no
 * `generator` given) or uses `randperm` on `generator`. So after `manualSeed(s)` the batches, and
 * every random number drawn after them, are the ones PyTorch gives.
 *
 * With the default collate, a dataset that offers `getBatch` (TensorDataset, MnistLike with a
 * batchable transform, and Subsets / label wrappers of those) is asked for each batch at once, so
 * rows are copied straight from its storage into one batch buffer.
 */
export class DataLoader<T, B = Collated<T>> implements Iterable<B> {
  readonly dataset: Dataset<T>;
  /** Samples per batch; null when a `batchSampler` decides (as PyTorch's `batch_size`). */
  readonly batchSize: number | null;
  readonly dropLast: boolean;
  readonly generator: Generator | undefined;
  readonly sampler: Sampler | undefined;
  readonly batchSampler: BatchSamplerLike;
  readonly collate: (samples: T[]) => B;
  private readonly customCollate: boolean;

  constructor(dataset: Dataset<T>, opts?: DataLoaderOptions<T, B>);
  constructor(
    dataset: Dataset<T>,
    batchSize?: number,
    shuffle?: boolean | null,
    sampler?: Sampler | null,
    batchSampler?: BatchSamplerLike | null,
    numWorkers?: number,
    collateFn?: ((samples: T[]) => B) | null,
    pinMemory?: boolean,
    dropLast?: boolean,
    opts?: DataLoaderOptions<T, B>,
  );
  constructor(dataset: Dataset<T>, ...args: unknown[]) {
    if (dataset === null || typeof dataset !== 'object' || typeof (dataset as Dataset<T>).get !== 'function') {
      throw new TypeError(`DataLoader: dataset must be a Dataset (an object with length and get(i)). Accepted forms: ${LOADER_SPEC.usage}`);
    }
    const o = parseArgs<DataLoaderOptions<T, B>>('DataLoader', args, LOADER_SPEC);
    if (o.collate !== undefined && o.collateFn != null) throw new TypeError('DataLoader: give collateFn or collate, not both');
    this.dataset = dataset;
    this.generator = o.generator ?? undefined;
    const shuffle = o.shuffle ?? false;
    if (o.sampler != null && shuffle) throw new TypeError('DataLoader: sampler option is mutually exclusive with shuffle');
    if (o.batchSampler != null) {
      if ((o.batchSize !== undefined && o.batchSize !== 1) || shuffle || o.sampler != null || o.dropLast) {
        throw new TypeError('DataLoader: batchSampler option is mutually exclusive with batchSize, shuffle, sampler, and dropLast');
      }
      this.batchSize = null;
      this.dropLast = false;
      this.sampler = undefined;
      this.batchSampler = o.batchSampler;
    } else {
      this.batchSize = o.batchSize ?? 1;
      this.dropLast = o.dropLast ?? false;
      this.sampler = o.sampler ?? (shuffle ? new RandomSampler(dataset, { generator: this.generator }) : new SequentialSampler(dataset));
      this.batchSampler = new BatchSampler(this.sampler, this.batchSize, this.dropLast);
    }
    const collate = o.collateFn ?? o.collate;
    this.customCollate = collate !== undefined;
    this.collate = collate ?? (defaultCollate as unknown as (samples: T[]) => B);
  }

  /** Batches per epoch. */
  get length(): number {
    const n = this.batchSampler.length;
    if (n === undefined) throw new TypeError('DataLoader: its batchSampler has no length');
    return n;
  }

  /** One epoch. The base seed is drawn here, the shuffle's draws when the first batch is read. */
  [Symbol.iterator](): Iterator<B> {
    randomInt64(this.generator ?? defaultGenerator);
    const batches = this.batchSampler[Symbol.iterator]();
    const dataset = this.dataset;
    const useBatch = !this.customCollate && typeof dataset.getBatch === 'function';
    const collate = this.collate;
    return {
      next: (): IteratorResult<B> => {
        const r = batches.next();
        if (r.done) return { done: true, value: undefined };
        const indices = r.value;
        if (useBatch) {
          const b = dataset.getBatch!(indices);
          if (b !== undefined) return { done: false, value: b as B };
        }
        return { done: false, value: collate(indices.map((i) => dataset.get(i))) };
      },
      [Symbol.iterator]() {
        return this;
      },
    } as Iterator<B>;
  }
}
