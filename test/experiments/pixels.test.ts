// Zhang et al.'s pixel randomizations in nabla memorize: what each does to the images, that they
// are seeded by --pixel-seed (default --seed) and recorded in the config, and that they leave the
// split and the labels alone.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../cli/command.js';
import { prepareData } from '../../experiments/memorize/data.js';
import { checkConfig, parseMemorizeArgs } from '../../experiments/memorize/options.js';
import { pixelStats, randomizePixels } from '../../experiments/memorize/pixels.js';
import { loadPool } from '../../experiments/memorize/pool.js';

const SIZE = 784;
const pool = loadPool(null);
const config = (extra: string[]) => parseMemorizeArgs(['--train-size', '40', '--held-out', '10', '--corrupt', '0.5', ...extra]).config;
const images = (args: string[]) => {
  const d = prepareData(config(args), pool);
  return { d, train: d.train.tensors[0].data as Float32Array, held: d.heldOutX.data as Float32Array };
};
const image = (a: Float32Array, i: number) => a.subarray(i * SIZE, (i + 1) * SIZE);
const sorted = (a: Float32Array) => Array.from(a).sort((u, v) => u - v);

describe('pixel randomizations', () => {
  const plain = images([]);

  it('shuffled: one permutation of the pixels for every image, training and held-out', () => {
    const { train, held } = images(['--pixels', 'shuffled']);
    // Recover the permutation from a pixel-distinct probe: permute 0..783 the same way.
    const probe = new Float32Array(SIZE).map((_, i) => i);
    const perm = randomizePixels('shuffled', { data: probe, count: 1 }, { data: new Float32Array(0), count: 0 }, SIZE, 0).train;
    expect(sorted(perm)).toEqual(Array.from(probe));
    expect(Array.from(perm)).not.toEqual(Array.from(probe));
    for (const [orig, out, count] of [
      [plain.train, train, 40],
      [plain.held, held, 10],
    ] as const) {
      for (let i = 0; i < count; i++) {
        const o = image(orig, i);
        expect(Array.from(image(out, i))).toEqual(Array.from(perm, (p) => o[p]));
      }
    }
  });

  it('random: each image gets its own permutation of its own pixels', () => {
    const { train, held } = images(['--pixels', 'random']);
    for (let i = 0; i < 40; i++) expect(sorted(image(train, i))).toEqual(sorted(image(plain.train, i)));
    for (let i = 0; i < 10; i++) expect(sorted(image(held, i))).toEqual(sorted(image(plain.held, i)));
    const probe = new Float32Array(2 * SIZE).map((_, i) => i % SIZE);
    const two = randomizePixels('random', { data: probe, count: 2 }, { data: new Float32Array(0), count: 0 }, SIZE, 0).train;
    expect(Array.from(image(two, 0))).not.toEqual(Array.from(image(two, 1)));
  });

  it("gaussian: noise with the training pixels' mean and standard deviation", () => {
    const { train, held } = images(['--pixels', 'gaussian']);
    const want = pixelStats({ data: plain.train, count: 40 });
    const got = pixelStats({ data: train, count: 40 });
    expect(got.mean).toBeCloseTo(want.mean, 2);
    expect(got.std / want.std).toBeCloseTo(1, 1);
    expect(pixelStats({ data: held, count: 10 }).mean).toBeCloseTo(want.mean, 1);
    // Continuous values, not a rearrangement of the digit's.
    expect(sorted(image(train, 0))).not.toEqual(sorted(image(plain.train, 0)));
  });

  it('is seeded by --pixel-seed (default --seed) and leaves the split and labels alone', () => {
    const a = images(['--pixels', 'random', '--seed', '3']);
    const b = images(['--pixels', 'random', '--seed', '3', '--pixel-seed', '3']);
    const c = images(['--pixels', 'random', '--seed', '3', '--pixel-seed', '4']);
    const p = images(['--seed', '3']);
    expect(Array.from(a.train)).toEqual(Array.from(b.train));
    expect(Array.from(a.train)).not.toEqual(Array.from(c.train));
    for (const r of [a, c]) expect(r.d.record).toEqual(p.d.record);
  });

  it('is recorded in the config; runs recorded before it existed read as none', () => {
    expect(config([])).toMatchObject({ pixels: 'none', pixelSeed: 0 });
    expect(config(['--pixels', 'gaussian', '--seed', '2'])).toMatchObject({ pixels: 'gaussian', pixelSeed: 2 });
    expect(config(['--pixels', 'shuffled', '--pixel-seed', '9'])).toMatchObject({ pixels: 'shuffled', pixelSeed: 9, seed: 0 });
    const { pixels: _p, pixelSeed: _s, ...old } = config(['--seed', '5']);
    expect(checkConfig(JSON.parse(JSON.stringify(old)), 'old-run')).toMatchObject({ pixels: 'none', pixelSeed: 5 });
    expect(() => checkConfig({ ...config([]), pixels: 'blurred' }, 'bad-run')).toThrow(
      /bad-run: config.json has a missing or invalid pixels/,
    );
  });

  it('rejects unknown modes and a pixel seed without a randomization', () => {
    expect(() => config(['--pixels', 'blurred'])).toThrow(UsageError);
    expect(() => config(['--pixels', 'blurred'])).toThrow("--pixels: expected one of none, shuffled, random, gaussian, got 'blurred'");
    expect(() => config(['--pixel-seed', '1'])).toThrow(/--pixel-seed seeds a pixel randomization/);
  });
});
