/**
 * The data of a memorization run: a seeded training subset of the digits with (partly) random
 * labels, and a disjoint held-out subset with the true labels.
 *
 * Recipe, from `Generator(seed)` (separate from the global generator that initializes the model,
 * so a run with random labels and one with true labels share the split, the weights and the
 * shuffles):
 * ```
 * perm = randperm(poolSize)                       // train = perm[:N], held-out = perm[N:N+M]
 * replaced = randperm(N)[:round(corrupt·N)].sort() // withRandomLabels
 * newLabels = randint(0, 10, [len(replaced)])
 * ```
 * then, with `--pixels`, the images are randomized from their own `Generator(pixelSeed)` (pixels.ts).
 */

import { TensorDataset } from '../../src/data/dataset.js';
import { withRandomLabels } from '../../src/data/labels.js';
import type { MnistLike } from '../../src/data/mnist.js';
import { randperm } from '../../src/random/distributions.js';
import { Generator } from '../../src/random/generator.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { UsageError } from '../usage-error.js';
import type { MemorizeConfig } from './options.js';
import { randomizePixels } from './pixels.js';

export const NUM_CLASSES = 10;

/** Which samples a run trains and tests on, and with which labels (saved as labels.json). */
export interface LabelRecord {
  /** Where the samples come from: 'embedded' or the IDX folder. */
  source: string;
  poolSize: number;
  /** Pool indices of the training samples, in training-set order. */
  trainIndices: number[];
  /** The labels the network is trained on. */
  labels: number[];
  /** The true labels of the same samples. */
  trueLabels: number[];
  /** Training-set positions whose label was replaced by a random one (ascending). */
  replaced: number[];
  /** Pool indices of the held-out samples (true labels). */
  heldOutIndices: number[];
}

export interface RunData {
  train: TensorDataset;
  /** Held-out images [M, 1, H, W] and true labels [M] (M may be 0). */
  heldOutX: Tensor;
  heldOutY: Tensor;
  height: number;
  width: number;
  record: LabelRecord;
}

/** The training-set size a config asks for, given the pool size (resolves `--fraction`). */
export function resolveTrainSize(config: MemorizeConfig, poolSize: number): number {
  return config.fraction === null ? config.trainSize : Math.max(1, Math.round(config.fraction * poolSize));
}

/**
 * Builds the run's data from a loaded pool. Throws {@link UsageError} when the pool is too small
 * for the requested sizes or holds labels outside 0–9.
 */
export function prepareData(config: MemorizeConfig, pool: MnistLike): RunData {
  const poolSize = pool.length;
  const source = config.data ?? 'embedded';
  const what = config.data === null ? 'the embedded MNIST sample' : config.data;
  const n = config.trainSize;
  const m = config.heldOut;
  if (n + m > poolSize) {
    throw new UsageError(`${n} training + ${m} held-out samples are more than the ${poolSize} digits of ${what}`);
  }
  for (let i = 0; i < pool.labels.length; i++) {
    const y = pool.labels[i];
    if (!(y >= 0 && y < NUM_CLASSES)) throw new UsageError(`--data: ${what}: label ${y} of sample ${i} is not a digit class 0–9`);
  }
  const gen = new Generator(config.seed);
  const perm = randperm(gen, poolSize);
  const trainIdx = perm.slice(0, n);
  const heldIdx = perm.slice(n, n + m);
  const [trueX, trueY] = pool.getBatch(trainIdx) as unknown as [Tensor, Tensor];
  let x = trueX;
  const trueLabels = Int32Array.from(trueY.data as Int32Array);
  const relabel = withRandomLabels(new TensorDataset(x, trueY), { fraction: config.corrupt, numClasses: NUM_CLASSES, generator: gen });
  const labels = trueLabels.slice();
  relabel.indices.forEach((i, j) => {
    labels[i] = relabel.newLabels[j];
  });
  const y = Tensor._fromData(labels, [n], 'int32');
  let heldOutX: Tensor;
  let heldOutY: Tensor;
  if (m > 0) {
    [heldOutX, heldOutY] = pool.getBatch(heldIdx) as unknown as [Tensor, Tensor];
  } else {
    heldOutX = Tensor._fromData(new Float32Array(0), [0, 1, pool.height, pool.width], 'float32');
    heldOutY = Tensor._fromData(new Int32Array(0), [0], 'int32');
  }
  if (config.pixels !== 'none') {
    const size = pool.height * pool.width;
    const px = randomizePixels(
      config.pixels,
      { data: x.data as Float32Array, count: n },
      { data: heldOutX.data as Float32Array, count: m },
      size,
      config.pixelSeed,
    );
    x = Tensor._fromData(px.train, [...x.shape], 'float32');
    heldOutX = Tensor._fromData(px.heldOut, [...heldOutX.shape], 'float32');
  }
  return {
    train: new TensorDataset(x, y),
    heldOutX,
    heldOutY,
    height: pool.height,
    width: pool.width,
    record: {
      source,
      poolSize,
      trainIndices: Array.from(trainIdx),
      labels: Array.from(labels),
      trueLabels: Array.from(trueLabels),
      replaced: Array.from(relabel.indices),
      heldOutIndices: Array.from(heldIdx),
    },
  };
}

/** Whether two label records describe the same samples and labels. */
export function sameRecord(a: LabelRecord, b: LabelRecord): boolean {
  const eq = (u: readonly number[], v: readonly number[]) => u.length === v.length && u.every((x, i) => x === v[i]);
  return (
    a.poolSize === b.poolSize &&
    eq(a.trainIndices, b.trainIndices) &&
    eq(a.labels, b.labels) &&
    eq(a.trueLabels, b.trueLabels) &&
    eq(a.replaced, b.replaced) &&
    eq(a.heldOutIndices, b.heldOutIndices)
  );
}
