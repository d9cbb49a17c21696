import { describe, expect, it } from 'vitest';
import { arange, data, Generator, manualSeed, type Tensor, tensor } from '../../src/index.js';
import { checksum, fixture } from './fixture.js';

const { TensorDataset, Subset, ConcatDataset, randomSplit } = data;

const range = (n: number): data.Dataset<number> => ({ length: n, get: (i) => i });

describe('TensorDataset', () => {
  const x = arange(12).reshape([4, 3]);
  const y = tensor([10, 11, 12, 13], { dtype: 'int32' });
  const ds = new TensorDataset(x, y);

  it('indexes rows of every tensor', () => {
    expect(ds.length).toBe(4);
    const [xi, yi] = ds.get(2);
    expect(xi.toArray()).toEqual([6, 7, 8]);
    expect(yi.shape).toEqual([]);
    expect(yi.item()).toBe(12);
  });

  it('gathers batches straight from storage, equal to stacking samples', () => {
    const [xb, yb] = ds.getBatch([3, 0, 3]);
    expect(xb.shape).toEqual([3, 3]);
    expect(xb.toArray()).toEqual([
      [9, 10, 11],
      [0, 1, 2],
      [9, 10, 11],
    ]);
    expect(yb.toArray()).toEqual([13, 10, 13]);
    expect(yb.dtype).toBe('int32');
    // Rows of a non-contiguous tensor come out right too.
    const t = arange(12).reshape([3, 4]).t(); // [4, 3], non-contiguous
    const [tb] = new TensorDataset(t).getBatch([1, 3]);
    expect(tb.toArray()).toEqual([
      [1, 5, 9],
      [3, 7, 11],
    ]);
  });

  it('validates its tensors and indices', () => {
    expect(() => new TensorDataset(arange(3), arange(4))).toThrow(/size mismatch/);
    expect(() => new TensorDataset()).toThrow(/at least one tensor/);
    expect(() => ds.get(4)).toThrow(/index 4 is out of range for a dataset of length 4/);
    expect(() => ds.getBatch([0, -1])).toThrow(/index -1 is out of range/);
  });
});

describe('Subset and ConcatDataset', () => {
  it('Subset maps indices, and forwards batch gathering', () => {
    const ds = new TensorDataset(arange(10).mul(2));
    const sub = new Subset(ds, [7, 2, 5]);
    expect(sub.length).toBe(3);
    expect(sub.get(0)[0].item()).toBe(14);
    expect((sub.getBatch([2, 0]) as Tensor[])[0].toArray()).toEqual([10, 14]);
    expect(new Subset(range(5), [1, 2]).getBatch([0])).toBeUndefined();
    expect(() => new Subset(range(3), [3])).toThrow(/out of range/);
  });

  it('ConcatDataset chains datasets', () => {
    const c = new ConcatDataset([range(2), range(0), range(3)]);
    expect(c.length).toBe(5);
    expect(c.cumulativeSizes).toEqual([2, 2, 5]);
    expect(Array.from({ length: 5 }, (_, i) => c.get(i))).toEqual([0, 1, 0, 1, 2]);
    expect(() => c.get(5)).toThrow(/out of range/);
    expect(() => new ConcatDataset([])).toThrow(/empty/);
  });
});

describe('randomSplit reproduces torch.utils.data.random_split', () => {
  it.each(fixture.randomSplit.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    let parts: data.Subset<number>[];
    if (c.explicitGenerator) parts = randomSplit(range(c.n), c.lengths, { generator: new Generator(c.seed) });
    else {
      manualSeed(c.seed);
      parts = randomSplit(range(c.n), c.lengths);
    }
    expect(parts.map((p) => p.length)).toEqual(c.sizes);
    const idx = parts.map((p) => Array.from({ length: p.length }, (_, i) => p.get(i)));
    if (c.indices) expect(idx).toEqual(c.indices);
    else {
      expect(idx.map((i) => i.slice(0, 20))).toEqual(c.heads);
      expect(idx.map((i) => checksum(i))).toEqual(c.checksums);
    }
  });

  it('rejects lengths that do not add up', () => {
    expect(() => randomSplit(range(10), [3, 6])).toThrow(
      /sum of input lengths \(3 \+ 6\) does not equal the length of the input dataset \(10\)/,
    );
    expect(() => randomSplit(range(10), [1.5, -0.5])).toThrow(/fraction at index 0|non-negative integer/);
  });
});
