import { describe, expect, it } from 'vitest';
import { arange, data, defaultGenerator, Generator, manualSeed, rand, type Tensor, tensor } from '../../src/index.js';
import { checksum, fixture } from './fixture.js';

const { DataLoader, TensorDataset, defaultCollate } = data;

const indicesOf = (b: Tensor[]) => Array.from(b[0].data);

describe('DataLoader reproduces PyTorch 1.13 shuffles', () => {
  it('shuffle=True, batch_size=64 over 6000 items after manual_seed(0)', () => {
    const f = fixture.loader.shuffleDefault;
    manualSeed(0);
    const loader = new DataLoader(new TensorDataset(arange(f.n)), { batchSize: f.batchSize, shuffle: true });
    expect(loader.length).toBe(f.length);
    const batches = [...loader].map(indicesOf);
    expect(batches.length).toBe(f.length);
    expect(batches[0]).toEqual(f.firstBatch);
    expect(batches[batches.length - 1]).toEqual(f.lastBatch);
    expect(checksum(batches.flat())).toBe(f.epochChecksum);
    // The global stream after the epoch: base seed + sampler seed were drawn, nothing else.
    expect([...rand([2]).data]).toEqual(f.defaultAfterEpoch);
    expect(indicesOf(loader[Symbol.iterator]().next().value as Tensor[])).toEqual(f.epoch2FirstBatch);
  });

  it('shuffle with an explicit generator, dropLast, two epochs', () => {
    const f = fixture.loader.shuffleGenerator;
    const g = new Generator(0);
    const loader = new DataLoader(new TensorDataset(arange(f.n)), { batchSize: f.batchSize, shuffle: true, generator: g, dropLast: true });
    expect(loader.length).toBe(f.length);
    const e1 = [...loader].map(indicesOf);
    const e2 = [...loader].map(indicesOf);
    expect(e1.length).toBe(f.length);
    expect(e1[0]).toEqual(f.epoch1FirstBatch);
    expect(checksum(e1.flat())).toBe(f.epoch1Checksum);
    expect(e2[0]).toEqual(f.epoch2FirstBatch);
    expect(checksum(e2.flat())).toBe(f.epoch2Checksum);
    expect([...rand([2], { generator: g }).data]).toEqual(f.generatorAfter);
  });

  it('an unshuffled epoch still draws the base seed from the global generator, like PyTorch', () => {
    manualSeed(0);
    const loader = new DataLoader(new TensorDataset(arange(6000)), { batchSize: 64 });
    const batches = [...loader];
    expect(indicesOf(batches[0])).toEqual(Array.from({ length: 64 }, (_, i) => i));
    expect([...rand([2]).data]).toEqual(fixture.loader.sequentialDefaultAfterEpoch);
  });
});

describe('DataLoader batching', () => {
  const x = arange(20).reshape([10, 2]).float();
  const y = arange(10);

  it('fast batch path equals collating samples one by one', () => {
    const ds = new TensorDataset(x, y);
    const fast = [...new DataLoader(ds, { batchSize: 4, shuffle: true, generator: new Generator(1) })];
    const slow = [
      ...new DataLoader({ length: ds.length, get: (i) => ds.get(i) }, { batchSize: 4, shuffle: true, generator: new Generator(1) }),
    ];
    expect(fast.length).toBe(3);
    expect(fast.map((b) => b.map((t) => t.toArray()))).toEqual(slow.map((b) => b.map((t) => t.toArray())));
    expect(fast.map((b) => b.map((t) => t.dtype))).toEqual(slow.map((b) => b.map((t) => t.dtype)));
    expect(fast[2][0].shape).toEqual([2, 2]);
  });

  it('does not fetch samples one by one when the dataset can gather batches', () => {
    const ds = new TensorDataset(x, y);
    let gets = 0;
    const counting: data.Dataset<Tensor[]> = {
      length: ds.length,
      get: (i) => {
        gets++;
        return ds.get(i);
      },
      getBatch: (idx) => ds.getBatch(idx),
    };
    const n = [...new DataLoader(counting, { batchSize: 3 })].length;
    expect(n).toBe(4);
    expect(gets).toBe(0);
  });

  it('a custom collate and a custom sampler', () => {
    const ds: data.Dataset<number> = { length: 5, get: (i) => i * 10 };
    const loader = new DataLoader(ds, {
      batchSize: 2,
      collate: (b) => b.join('+'),
      sampler: Object.assign([4, 3, 2, 1, 0], { length: 5 }),
    });
    expect([...loader]).toEqual(['40+30', '20+10', '0']);
    expect(() => new DataLoader(ds, { shuffle: true, sampler: [0] })).toThrow(/mutually exclusive/);
  });

  it('batchSize defaults to 1 and dropLast drops the short batch', () => {
    const ds: data.Dataset<number> = { length: 5, get: (i) => i };
    expect(new DataLoader(ds).length).toBe(5);
    expect(new DataLoader(ds, { batchSize: 2, dropLast: true }).length).toBe(2);
    expect([...new DataLoader(ds, { batchSize: 2, dropLast: true })].map((t) => t.toArray())).toEqual([
      [0, 1],
      [2, 3],
    ]);
  });
});

describe('defaultCollate', () => {
  it('stacks tensors, makes number and boolean tensors, keeps structure', () => {
    const b = defaultCollate([
      { x: tensor([1.5, 2]), y: 3, ok: true, name: 'a', pair: [1, 0.5] },
      { x: tensor([3, 4.5]), y: 4, ok: false, name: 'b', pair: [2, 1.5] },
    ]);
    expect(b.x.shape).toEqual([2, 2]);
    expect(b.x.toArray()).toEqual([
      [1.5, 2],
      [3, 4.5],
    ]);
    expect(b.y.dtype).toBe('int32');
    expect(b.y.toArray()).toEqual([3, 4]);
    expect(b.ok.dtype).toBe('bool');
    expect(b.name).toEqual(['a', 'b']);
    expect(b.pair[0].dtype).toBe('int32');
    expect(b.pair[1].dtype).toBe('float32');
    expect(b.pair[1].toArray()).toEqual([0.5, 1.5]);
  });

  it('names the problem on ragged batches', () => {
    expect(() => defaultCollate([tensor([1, 2]), tensor([1, 2, 3])])).toThrow(/equal size.*\[2\].*\[3\] at sample 1/);
    expect(() => defaultCollate([[1, 2], [1]])).toThrow(/equal size/);
    expect(() => defaultCollate([])).toThrow(/empty batch/);
    expect(() => defaultCollate([null])).toThrow(/found null/);
  });

  it('leaves the global generator alone when collating', () => {
    manualSeed(1);
    const s = defaultGenerator.getState();
    defaultCollate([tensor([1]), tensor([2])]);
    expect(defaultGenerator.getState()).toEqual(s);
  });
});
