import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEPTH, vanishingGradientsExample } from '../../examples/02-vanishing-gradients.js';

describe('exercise 2: vanishing gradients, measured', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-ex02-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const svg = join(dir, 'grad-norms.svg');
  const r = await vanishingGradientsExample({ plotPath: svg });
  const [small, large, relu] = r.variants;

  it('sigmoid MLPs: the first layer gradient is orders of magnitude below the last', () => {
    for (const v of [small, large]) {
      expect(v.weightGrads.length).toBe(DEPTH);
      expect(v.ratio).toBeLessThan(1e-6);
      expect(v.ratio).toBeCloseTo(v.weightGrads[0] / v.weightGrads[DEPTH - 1], 12);
      expect(v.vanished).toContain('fc1');
      // Each sigmoid layer shrinks the gradient: norms grow with depth through the first layers.
      for (let l = 1; l < 6; l++) expect(v.weightGrads[l]).toBeGreaterThan(v.weightGrads[l - 1]);
    }
  });

  it('large pre-activations saturate the sigmoids; small weights do not', () => {
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(large.saturated)).toBeGreaterThan(0.2);
    expect(mean(small.saturated)).toBeLessThan(0.01);
  });

  it('ReLU with Kaiming init keeps the gradient norms within an order of magnitude or two', () => {
    expect(relu.ratio).toBeGreaterThan(1e-2);
    expect(relu.ratio).toBeLessThan(10);
    expect(relu.vanished).toEqual([]);
    expect(Math.max(...relu.weightGrads) / Math.min(...relu.weightGrads)).toBeLessThan(100);
  });

  it('prints a table per variant and writes the log-scale plot', () => {
    expect(r.text).toContain('‖∂L/∂A_l‖ per layer');
    expect(r.text.split('\n').filter((l) => /^\d+\s/.test(l)).length).toBe(DEPTH);
    expect(r.plots).toEqual([svg]);
    expect(statSync(svg).size).toBeGreaterThan(1000);
    const text = readFileSync(svg, 'utf8');
    expect(text).toContain('<svg');
    for (const v of r.variants) expect(text).toContain(v.short);
  });
});
