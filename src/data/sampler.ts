import { fillRandint, randperm } from '../random/distributions.js';
import { defaultGenerator, Generator } from '../random/generator.js';
import { randomInt64 } from '../random/int64.js';
import { kinds, noMoreArgs, parseArgs } from '../tensor/args.js';

/** An iterable of dataset indices with a known count, PyTorch's `Sampler[int]`. */
export interface Sampler extends Iterable<number> {
  readonly length: number;
}

/** Anything with a length (a dataset). */
export interface Sized {
  readonly length: number;
}

/** 0, 1, …, n−1 in order (PyTorch's `SequentialSampler`). */
export class SequentialSampler implements Sampler {
  readonly dataSource: Sized;

  constructor(dataSource: Sized, ...rest: never[]) {
    noMoreArgs('SequentialSampler', rest, 'SequentialSampler(dataSource)');
    this.dataSource = dataSource;
  }

  get length(): number {
    return this.dataSource.length;
  }

  *[Symbol.iterator](): Iterator<number> {
    const n = this.dataSource.length;
    for (let i = 0; i < n; i++) yield i;
  }
}

/** Options of {@link RandomSampler}. */
export interface RandomSamplerOptions {
  /** Draw with replacement (default false). */
  replacement?: boolean;
  /** Samples per pass (default: the dataset's length). */
  numSamples?: number | null;
  /** Generator to draw from; without one each pass seeds a fresh generator from the global one. */
  generator?: Generator | null;
}

/**
 * Random order, PyTorch 1.13's `RandomSampler` draw for draw. Without a generator each pass
 * (each `for … of`) first takes a seed from the global generator exactly like
 * `int(torch.empty((), dtype=torch.int64).random_().item())` and seeds a fresh `Generator` with
 * it; with one it draws from it directly. Without replacement a pass yields
 * `randperm(n)` ⌊numSamples/n⌋ times and then the first `numSamples % n` of one more
 * `randperm(n)` — which PyTorch computes (and so consumes from the generator) even when that
 * count is 0, once the consumer asks past the last index. With replacement it draws
 * `randint(0, n, [32])` blocks, then one block of `numSamples % 32`.
 *
 * Draws happen lazily, as with Python generators: nothing is taken until the first index is read.
 */
export class RandomSampler implements Sampler {
  readonly replacement: boolean;
  readonly generator: Generator | undefined;
  private readonly _numSamples: number | undefined;

  readonly dataSource: Sized;

  constructor(dataSource: Sized, opts?: RandomSamplerOptions);
  constructor(dataSource: Sized, replacement?: boolean, numSamples?: number | null, generator?: Generator | null);
  constructor(dataSource: Sized, ...args: unknown[]) {
    const opts = parseArgs<{ replacement?: boolean; numSamples?: number | null; generator?: Generator | null }>('RandomSampler', args, {
      positional: [
        ['replacement', kinds.bool],
        ['numSamples', kinds.intOrNull],
        ['generator', { desc: 'a Generator or null', ok: (v) => v === null || v instanceof Generator }],
      ],
      usage:
        'RandomSampler(dataSource, replacement?, numSamples?, generator?) or RandomSampler(dataSource, { replacement, numSamples, generator })',
    });
    this.dataSource = dataSource;
    this.replacement = opts.replacement ?? false;
    this._numSamples = opts.numSamples ?? undefined;
    this.generator = opts.generator ?? undefined;
    const ns = this.numSamples;
    if (!Number.isInteger(ns) || ns <= 0) {
      throw new RangeError(`RandomSampler: numSamples should be a positive integer value, but got numSamples=${ns}`);
    }
  }

  /** Indices per pass. */
  get numSamples(): number {
    return this._numSamples ?? this.dataSource.length;
  }

  get length(): number {
    return this.numSamples;
  }

  *[Symbol.iterator](): Iterator<number> {
    const n = this.dataSource.length;
    let gen = this.generator;
    if (gen === undefined) gen = new Generator(randomInt64(defaultGenerator));
    const numSamples = this.numSamples;
    if (this.replacement) {
      if (n <= 0) throw new RangeError('RandomSampler: cannot sample with replacement from an empty dataset');
      const block = new Int32Array(32);
      for (let b = 0; b < Math.floor(numSamples / 32); b++) {
        fillRandint(gen, block, 0, n);
        yield* block;
      }
      const rest = new Int32Array(numSamples % 32);
      if (rest.length > 0) fillRandint(gen, rest, 0, n);
      yield* rest;
    } else {
      if (n <= 0) throw new RangeError('RandomSampler: cannot sample from an empty dataset');
      for (let r = 0; r < Math.floor(numSamples / n); r++) yield* randperm(gen, n);
      yield* randperm(gen, n).subarray(0, numSamples % n);
    }
  }
}

/**
 * Groups the indices of `sampler` into lists of `batchSize` (PyTorch's `BatchSampler`); the last
 * short batch is dropped when `dropLast`.
 */
export class BatchSampler implements Iterable<number[]> {
  constructor(
    readonly sampler: Iterable<number> & Partial<Sized>,
    readonly batchSize: number,
    readonly dropLast: boolean,
    ...rest: never[]
  ) {
    noMoreArgs('BatchSampler', rest, 'BatchSampler(sampler, batchSize, dropLast)');
    if (!Number.isInteger(batchSize) || batchSize <= 0) {
      throw new RangeError(`BatchSampler: batchSize should be a positive integer value, but got batchSize=${batchSize}`);
    }
    if (typeof dropLast !== 'boolean')
      throw new TypeError(`BatchSampler: dropLast should be a boolean value, but got dropLast=${String(dropLast)}`);
  }

  get length(): number {
    const n = this.sampler.length;
    if (n === undefined) throw new TypeError('BatchSampler: the sampler has no length');
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  *[Symbol.iterator](): Iterator<number[]> {
    let batch: number[] = [];
    // Both of PyTorch's branches read the sampler to its end before stopping, so it is consumed
    // fully here too (this matters for how many draws a RandomSampler pass takes).
    for (const idx of this.sampler) {
      batch.push(idx);
      if (batch.length === this.batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0 && !this.dropLast) yield batch;
  }
}
