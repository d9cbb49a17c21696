import { describe, expect, it } from 'vitest';
import { data, defaultGenerator, Generator, manualSeed, rand } from '../../src/index.js';
import { randomInt64 } from '../../src/random/int64.js';
import { fixture } from './fixture.js';

const { RandomSampler, SequentialSampler, BatchSampler } = data;

describe('randomInt64 (torch.empty((), dtype=torch.int64).random_())', () => {
  it('matches PyTorch after manual_seed(0)', () => {
    manualSeed(0);
    const got = fixture.loader.int64RandomSeeds.map(() => String(randomInt64(defaultGenerator)));
    expect(got).toEqual(fixture.loader.int64RandomSeeds);
  });
});

describe('RandomSampler reproduces PyTorch 1.13', () => {
  it.each(fixture.sampler.map((c) => [c.seed, c.n, c] as const))('seed %i, n = %i', (_seed, n, c) => {
    // No generator: the seed comes from the global generator, which moves by one int64 draw.
    manualSeed(c.seed);
    expect([...new RandomSampler({ length: n })]).toEqual(c.noGenerator);
    expect([...rand([2]).data]).toEqual(c.defaultAfter);
    // Explicit generator: two epochs in a row, which checks how much each consumes.
    const s = new RandomSampler({ length: n }, { generator: new Generator(c.seed) });
    expect([...s]).toEqual(c.generatorEpoch1);
    expect([...s]).toEqual(c.generatorEpoch2);
  });

  it('replacement and numSamples variants', () => {
    const v = fixture.samplerVariants;
    expect([...new RandomSampler({ length: 10 }, { replacement: true, numSamples: 40, generator: new Generator(3) })]).toEqual(
      v.replacement,
    );
    expect([...new RandomSampler({ length: 10 }, { numSamples: 25, generator: new Generator(3) })]).toEqual(v.numSamples25);
    const g = new Generator(3);
    expect([...new RandomSampler({ length: 10 }, { numSamples: 4, generator: g })]).toEqual(v.numSamples4);
    expect([...rand([2], { generator: g }).data]).toEqual(v.numSamples4After);
  });

  it('draws nothing until the first index is read', () => {
    manualSeed(5);
    const before = defaultGenerator.getState();
    const it = new RandomSampler({ length: 10 })[Symbol.iterator]();
    expect(defaultGenerator.getState()).toEqual(before);
    it.next();
    expect(defaultGenerator.getState()).not.toEqual(before);
  });

  it('rejects a non-positive numSamples', () => {
    expect(() => new RandomSampler({ length: 0 })).toThrow(/numSamples should be a positive integer/);
    expect(() => new RandomSampler({ length: 5 }, { numSamples: 2.5 })).toThrow(/numSamples/);
  });
});

describe('SequentialSampler and BatchSampler', () => {
  it('batches in order, keeping or dropping the short last batch', () => {
    const s = new SequentialSampler({ length: 10 });
    expect([...new BatchSampler(s, 3, false)]).toEqual([[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]);
    expect([...new BatchSampler(s, 3, true)]).toEqual([
      [0, 1, 2],
      [3, 4, 5],
      [6, 7, 8],
    ]);
    expect(new BatchSampler(s, 3, false).length).toBe(4);
    expect(new BatchSampler(s, 3, true).length).toBe(3);
    expect(() => new BatchSampler(s, 0, false)).toThrow(/batchSize should be a positive integer/);
  });
});
