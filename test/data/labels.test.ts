import { describe, expect, it } from 'vitest';
import { arange, data, Generator, manualSeed, tensor } from '../../src/index.js';
import { checksum, fixture } from './fixture.js';

const { withRandomLabels, fractionSubset, TensorDataset, DataLoader } = data;

const pairs = (n: number, label = (i: number) => i % 10): data.Dataset<[number, number]> => ({ length: n, get: (i) => [i, label(i)] });

describe('withRandomLabels', () => {
  it.each(fixture.labels.randomLabels.map((c) => [c.seed, c.n, c.fraction, c] as const))(
    'seed %i, n %i, fraction %f: PyTorch recipe',
    (_s, _n, _f, c) => {
      const ds = withRandomLabels(
        pairs(c.n, () => -1),
        { fraction: c.fraction, numClasses: c.numClasses, generator: new Generator(c.seed) },
      );
      expect(Array.from(ds.indices)).toEqual(c.indices);
      expect(Array.from(ds.newLabels)).toEqual(c.labels);
      const changed = new Set(c.indices);
      for (let i = 0; i < c.n; i++) {
        const [x, y] = ds.get(i);
        expect(x).toBe(i);
        expect(ds.isRandomized(i)).toBe(changed.has(i));
        if (!changed.has(i)) expect(y).toBe(-1);
        else expect(y).toBe(c.labels[c.indices.indexOf(i)]);
      }
    },
  );

  it('is fixed once: the same labels every epoch, also through batches', () => {
    const base = new TensorDataset(arange(100).float(), tensor(Array.from({ length: 100 }, (_, i) => i % 10)));
    const ds = withRandomLabels(base, { generator: new Generator(4) });
    const epoch = () => {
      const loader = new DataLoader(ds, { batchSize: 16, shuffle: true, generator: new Generator(9) });
      const m = new Map<number, number>();
      for (const [x, y] of loader) {
        x.data.forEach((v, j) => {
          m.set(v, y.data[j]);
        });
      }
      return m;
    };
    const e1 = epoch();
    const e2 = epoch();
    expect(e1.size).toBe(100);
    expect([...e1.entries()].sort((a, b) => a[0] - b[0])).toEqual([...e2.entries()].sort((a, b) => a[0] - b[0]));
    for (let i = 0; i < 100; i++) expect(e1.get(i)).toBe(ds.get(i)[1]);
    // Batch labels are int32 like collated numbers.
    const [, y] = ds.getBatch([0, 1]) as [unknown, data.Collated<number>];
    expect(y.dtype).toBe('int32');
  });

  it('uses the global generator by default and validates options', () => {
    manualSeed(0);
    const a = withRandomLabels(pairs(100), { fraction: 0.5 });
    const b = withRandomLabels(pairs(100), { fraction: 0.5, generator: new Generator(0) });
    expect(Array.from(a.indices)).toEqual(Array.from(b.indices));
    expect(() => withRandomLabels(pairs(3), { fraction: 1.5 })).toThrow(/fraction must be in \[0, 1\]/);
    expect(() => withRandomLabels(pairs(3), { numClasses: 0 })).toThrow(/numClasses/);
  });
});

describe('fractionSubset', () => {
  it('10% of 60,000 equals random_split(…, [6000, 54000])[0] in PyTorch', () => {
    const f = fixture.labels.fractionSubset;
    const sub = fractionSubset({ length: f.n, get: (i: number) => i }, f.fraction, { generator: new Generator(f.seed) });
    expect(sub.length).toBe(6000);
    const idx = Array.from({ length: sub.length }, (_, i) => sub.get(i));
    expect(idx.slice(0, 20)).toEqual(f.head);
    expect(checksum(idx)).toBe(f.checksum);
    const split = fixture.randomSplit.find((c) => c.name === 'mnist10pct')!;
    expect(idx.slice(0, 20)).toEqual(split.heads![0]);
  });
});
