// The receptive-field ranges cross-checked by autograd: for random models (strides, padding
// incl. 'same' and asymmetric, dilation, ceil mode, non-square kernels, groups, pooling,
// concatenated and added branches) and random output positions, the input elements with a
// nonzero ∂y[n, k, i, j]/∂X (all weights positive) are exactly the computed set.
import { describe, expect, it } from 'vitest';
import { analysis, manualSeed, noGrad, Generator as RandomGenerator, rand, type Tensor, zeros } from '../../src/index.js';
import { build, type Config, describe as describeConfig, indices, randomConfig, rng } from './random-models.js';

const CONFIGS = 240;
const POSITIONS = 3;

/** A valid random configuration with its models (resampled until it runs and has an output). */
function sample(r: () => number, dense: boolean): { config: Config; real: ReturnType<typeof build>; grad: ReturnType<typeof build> } {
  for (;;) {
    const config = randomConfig(r);
    try {
      const real = build(config, { dense: false });
      const grad = build(config, { dense });
      const y = noGrad(() => real.call(zeros(config.input, { dtype: 'float64' })) as Tensor);
      if (y.numel === 0) continue;
      return { config, real, grad };
    } catch (e) {
      if (e instanceof RangeError) continue; // too small an input for these layers
      throw e;
    }
  }
}

/** ∂y[pos]/∂X for X uniform in [0.5, 1): which elements are nonzero. */
function gradientSupport(model: ReturnType<typeof build>, inputShape: number[], pos: number[], generator: RandomGenerator): boolean[] {
  const x = rand(inputShape, { dtype: 'float64', generator }).mul(0.5).add(0.5).detach().requiresGrad_(true);
  const y = model.call(x) as Tensor;
  const seed = zeros(y.shape, { dtype: 'float64' });
  const flat = pos.reduce((f, v, d) => f * y.shape[d] + v, 0);
  seed.data; // contiguous fresh tensor: write through its storage
  seed.data[flat] = 1;
  y.backward(seed);
  return Array.from((x.grad as Tensor).data, (g) => g !== 0);
}

describe('receptiveField agrees with autograd on random models', () => {
  it(`matches the nonzero-gradient set exactly for ${CONFIGS} random configurations × ${POSITIONS} output positions`, () => {
    manualSeed(7);
    const r = rng(20240607);
    const generator = new RandomGenerator(1);
    let checked = 0;
    let withHoles = 0;
    let notBoxes = 0;
    let unaligned = 0;
    let clippedInPadding = 0;
    let paddingOnly = 0;
    for (let c = 0; c < CONFIGS; c++) {
      const { config, real, grad } = sample(r, true);
      const rf = analysis.receptiveField(real, config.input, { dtype: 'float64' });
      expect(rf.warnings).toEqual([]);
      if (rf.layers.some((l) => !l.aligned)) unaligned++;
      const outShape = rf.outputShape;
      for (let q = 0; q < POSITIONS; q++) {
        // Corners first, then random positions.
        const pos = outShape.map((s, d) => (q === 0 && d >= 2 ? 0 : q === 1 && d >= 2 ? s - 1 : Math.floor(r() * s)));
        const ranges = rf.at(pos);
        const support = gradientSupport(grad, config.input, pos, generator);
        let k = 0;
        let mismatch: string | null = null;
        for (const p of indices(config.input)) {
          const predicted = analysis.regionHas(ranges.boxes, p);
          if (predicted !== support[k] && mismatch === null) {
            mismatch = `X[${p.join(', ')}]: gradient ${support[k] ? 'nonzero' : 'zero'}, ranges say ${predicted ? 'in' : 'out'}`;
          }
          k++;
        }
        if (mismatch !== null) throw new Error(`${mismatch}\nat output [${pos.join(', ')}] of ${describeConfig(config)}`);
        // The per-dim ranges are the hulls of the exact set.
        const count = support.filter(Boolean).length;
        expect(ranges.count).toBe(count);
        // The exact range lies inside the unclipped field, clipped; the rest of it is padding.
        ranges.dims.forEach((d, k) => {
          const n = config.input[2 + k];
          if (d.unclipped === null) throw new Error(`no unclipped range at [${pos}] of ${describeConfig(config)}`);
          const [lo, hi] = d.unclipped as [number, number];
          // The path-by-path span agrees with the per-layer arithmetic (inside the union of branch fields).
          const top = rf.output;
          const i = pos[2 + k];
          const lows = top.fields.map((f) => f.start[k] + i * f.jump[k]);
          const highs = top.fields.map((f, q) => lows[q] + f.size[k] - 1);
          expect(lo).toBeGreaterThanOrEqual(Math.min(...lows));
          expect(hi).toBeLessThanOrEqual(Math.max(...highs));
          if (top.fields.length === 1) expect([lo, hi]).toEqual([lows[0], highs[0]]);
          if (d.range !== null) {
            expect(d.range[0]).toBeGreaterThanOrEqual(Math.max(0, lo));
            expect(d.range[1]).toBeLessThanOrEqual(Math.min(n - 1, hi));
          } else paddingOnly++;
          expect(d.padding.before).toEqual(lo < 0 ? [lo, Math.min(-1, hi)] : null);
          expect(d.padding.after).toEqual(hi > n - 1 ? [Math.max(n, lo), hi] : null);
        });
        if (ranges.dims.some((d) => !d.contiguous)) withHoles++;
        if (!ranges.rectangular) notBoxes++;
        if (ranges.dims.some((d) => d.padding.before !== null || d.padding.after !== null)) clippedInPadding++;
        checked++;
      }
    }
    expect(checked).toBe(CONFIGS * POSITIONS);
    // The random models do exercise the hard cases.
    expect(withHoles).toBeGreaterThan(10);
    expect(notBoxes).toBeGreaterThan(5);
    expect(unaligned).toBeGreaterThan(5);
    expect(clippedInPadding).toBeGreaterThan(100);
    expect(paddingOnly).toBeGreaterThan(0); // outputs whose window lies wholly in padding
  });

  it('matches real max pooling too: one probe per input element with a huge value', () => {
    // Max pooling passes the gradient to the maximum only. With every weight positive and one
    // input element set to 1e15, each unit depending on it holds a value far above every other
    // unit's, so every max picks a unit depending on it, and its gradient is nonzero exactly
    // when the output depends on it. A batch holds one probe per input element.
    manualSeed(8);
    const r = rng(99);
    const generator = new RandomGenerator(2);
    let checked = 0;
    while (checked < 25) {
      const { config, real } = sample(r, false);
      if (!config.stages.some((s) => s.kind === 'max' || s.kind === 'inception')) continue;
      const [, channels, h, w] = config.input;
      const probes = channels * h * w;
      if (probes > 300) continue;
      const rf = analysis.receptiveField(real, [1, channels, h, w], { dtype: 'float64' });
      const pos = rf.outputShape.map((s, d) => (d === 0 ? 0 : Math.floor(r() * s)));
      const ranges = rf.at(pos);
      const x = rand([probes, channels, h, w], { dtype: 'float64', generator }).mul(0.5).add(0.5).detach();
      const xd = x.data;
      for (let b = 0; b < probes; b++) xd[b * probes + b] = 1e15;
      x.requiresGrad_(true);
      const y = real.call(x) as Tensor;
      const seed = zeros(y.shape, { dtype: 'float64' });
      const per = y.numel / probes;
      const flat = pos.slice(1).reduce((f, v, d) => f * y.shape[d + 1] + v, 0);
      for (let b = 0; b < probes; b++) seed.data[b * per + flat] = 1;
      y.backward(seed);
      const g = (x.grad as Tensor).data;
      let b = 0;
      for (const p of indices([channels, h, w])) {
        const depends = g[b * probes + b] !== 0;
        expect(depends, `X[${p.join(', ')}] at output [${pos.join(', ')}] of ${describeConfig(config)}`).toBe(
          analysis.regionHas(ranges.boxes, [0, ...p]),
        );
        b++;
      }
      checked++;
    }
    expect(checked).toBe(25);
  });
});
