import { defaultGenerator, type Generator } from '../random/generator.js';
import { randomInt64 } from '../random/int64.js';
import { type Collated, defaultCollate } from './collate.js';
import type { Dataset } from './dataset.js';
import { BatchSampler, RandomSampler, type Sampler, SequentialSampler } from './sampler.js';

/** Options of {@link DataLoader} (PyTorch's keyword arguments, single-process). */
export interface DataLoaderOptions<T, B> {
  /** Samples per batch (default 1). */
  batchSize?: number;
  /** Reshuffle every epoch with a PyTorch-exact {@link RandomSampler} (default false). */
  shuffle?: boolean;
  /** Custom index order (excludes `shuffle`). */
  sampler?: Sampler;
  /** Generator for the shuffle and for the per-epoch base seed (default: the global one). */
  generator?: Generator;
  /** Drop the last batch when it is smaller than `batchSize` (default false). */
  dropLast?: boolean;
  /** Turns a list of samples into a batch (default {@link defaultCollate}). */
  collate?: (samples: T[]) => B;
}

/**
 * Iterates over a dataset in batches, PyTorch's `DataLoader` with `num_workers=0`:
 * `for (const [x, y] of loader) …`, one epoch per `for … of`, `length` batches per epoch.
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
  readonly batchSize: number;
  readonly dropLast: boolean;
  readonly generator: Generator | undefined;
  readonly sampler: Sampler;
  readonly batchSampler: BatchSampler;
  readonly collate: (samples: T[]) => B;
  private readonly customCollate: boolean;

  constructor(dataset: Dataset<T>, opts: DataLoaderOptions<T, B> = {}) {
    this.dataset = dataset;
    this.batchSize = opts.batchSize ?? 1;
    this.dropLast = opts.dropLast ?? false;
    this.generator = opts.generator;
    if (opts.sampler && opts.shuffle) throw new TypeError('DataLoader: sampler option is mutually exclusive with shuffle');
    this.sampler =
      opts.sampler ?? (opts.shuffle ? new RandomSampler(dataset, { generator: opts.generator }) : new SequentialSampler(dataset));
    this.batchSampler = new BatchSampler(this.sampler, this.batchSize, this.dropLast);
    this.customCollate = opts.collate !== undefined;
    this.collate = opts.collate ?? (defaultCollate as unknown as (samples: T[]) => B);
  }

  /** Batches per epoch. */
  get length(): number {
    return this.batchSampler.length;
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
