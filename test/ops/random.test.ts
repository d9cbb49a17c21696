import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bernoulli, full, Generator, manualSeed, rand, randint, randn, randperm, type Tensor, zeros } from '../../src/index.js';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/random-tensor.json', import.meta.url), 'utf8')) as {
  cases: { name: string; code: string; values: number[] }[];
};

// Runs `make` right after seeding the global generator, as the PyTorch fixture program does.
const seeded = (seed: number, make: () => Tensor) => () => {
  manualSeed(seed);
  return make();
};

// Each fixture case names the nabla expression that must reproduce PyTorch's values bit for bit.
const programs: Record<string, () => Tensor> = {
  'rand [4,1]': seeded(0, () => rand([4, 1])),
  'rand [3,7] float64': seeded(1, () => rand([3, 7], { dtype: 'float64' })),
  'randn [5]': seeded(2, () => randn([5])),
  'randn [4,8]': seeded(2, () => randn([4, 8])),
  'randint 0..10 [20]': seeded(4, () => randint(0, 10, [20])),
  'randperm 17': seeded(5, () => randperm(17)),
  'bernoulli probs': seeded(6, () => bernoulli(full([12], 0.3))),
  'rand with generator': () => rand([6], { generator: new Generator().manualSeed(7) }),
  'uniform_ transposed': seeded(3, () => zeros([3, 5]).t().uniform_()),
  'uniform_ -2..3': seeded(3, () => zeros([9]).uniform_(-2, 3)),
  'normal_ sliced': seeded(3, () => zeros([4, 6]).slice(1, 1, 4).normal_()),
  'normal_ contiguous 40': seeded(8, () => zeros([40]).normal_(1, 2)),
  'bernoulli_ transposed': seeded(9, () => zeros([4, 3]).t().bernoulli_(0.4)),
};

describe('random tensors reproduce PyTorch', () => {
  it('covers every fixture case', () => {
    expect(Object.keys(programs).sort()).toEqual(fixture.cases.map((c) => c.name).sort());
  });

  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (name, c) => {
    expect(Array.from(programs[name]().data)).toEqual(c.values);
  });

  it('refuses to fill a leaf that requires grad outside noGrad', () => {
    const w = zeros([3], { requiresGrad: true });
    expect(() => w.uniform_()).toThrow(/leaf tensor that requires grad/);
  });
});
