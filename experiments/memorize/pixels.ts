/**
 * Zhang et al.'s pixel randomizations (2017, §2): the images themselves are replaced, so nothing
 * about a digit's shape survives, and a network must memorize them to fit the labels.
 *
 * - `shuffled`: one random permutation of the pixels, the same for every image (train and held-out);
 * - `random`: a different random permutation for each image;
 * - `gaussian`: every pixel drawn from a normal distribution with the mean and standard deviation
 *   of the training images' pixels.
 *
 * All three draw from their own `Generator(pixelSeed)`, so the split, the labels, the weights and
 * the shuffles of a run do not change when only its pixels do. Order of draws: the training images
 * first, then the held-out ones.
 */
import { fillNormal, randperm } from '../../src/random/distributions.js';
import { Generator } from '../../src/random/generator.js';

export const PIXEL_MODES = ['none', 'shuffled', 'random', 'gaussian'] as const;
export type PixelMode = (typeof PIXEL_MODES)[number];

/** Images as one flat array of `count` images of `size` pixels each. */
export interface ImageBlock {
  data: Float32Array;
  count: number;
}

function permute(src: Float32Array, dst: Float32Array, offset: number, perm: Int32Array): void {
  for (let p = 0; p < perm.length; p++) dst[offset + p] = src[offset + perm[p]];
}

/** Mean and (population) standard deviation of every pixel of the block. */
export function pixelStats(block: ImageBlock): { mean: number; std: number } {
  const n = block.data.length;
  if (n === 0) return { mean: 0, std: 0 };
  let sum = 0;
  for (let i = 0; i < n; i++) sum += block.data[i];
  const mean = sum / n;
  let sq = 0;
  for (let i = 0; i < n; i++) sq += (block.data[i] - mean) ** 2;
  return { mean, std: Math.sqrt(sq / n) };
}

/**
 * Returns the randomized copies of the training and held-out images (`none` returns them
 * unchanged). `size` is the number of pixels of one image.
 */
export function randomizePixels(
  mode: PixelMode,
  train: ImageBlock,
  heldOut: ImageBlock,
  size: number,
  seed: number,
): { train: Float32Array; heldOut: Float32Array } {
  if (mode === 'none') return { train: train.data, heldOut: heldOut.data };
  for (const [what, b] of [
    ['training', train],
    ['held-out', heldOut],
  ] as const) {
    if (b.data.length !== b.count * size) {
      throw new RangeError(`randomizePixels: ${b.data.length} ${what} values are not ${b.count} images of ${size} pixels`);
    }
  }
  const gen = new Generator(seed);
  const out = [new Float32Array(train.data.length), new Float32Array(heldOut.data.length)] as const;
  const blocks = [train, heldOut] as const;
  if (mode === 'gaussian') {
    const { mean, std } = pixelStats(train);
    fillNormal(gen, out[0], mean, std);
    fillNormal(gen, out[1], mean, std);
  } else {
    const shared = mode === 'shuffled' ? randperm(gen, size) : null;
    blocks.forEach((b, k) => {
      for (let i = 0; i < b.count; i++) permute(b.data, out[k], i * size, shared ?? randperm(gen, size));
    });
  }
  return { train: out[0], heldOut: out[1] };
}
