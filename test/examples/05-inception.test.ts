import { describe, expect, it } from 'vitest';
import { inceptionExample } from '../../examples/05-inception.js';

// An independent hand computation of exercise 5's bottleneck module (256×32×32 input, "same"
// padding, bias, ReLU after each conv), from the architecture alone.
const H = 32;
const W = 32;
const CIN = 256;
/** [C_in, C_out, k] of every conv. */
const convs: [number, number, number][] = [
  [CIN, 128, 1],
  [CIN, 64, 1],
  [64, 192, 3],
  [CIN, 64, 1],
  [64, 96, 5],
  [CIN, 64, 1], // after the 3×3 max-pool
];
const handParams = convs.reduce((n, [ci, co, k]) => n + ci * co * k * k + co, 0);
// Per output element: a k·k·C_in dot product plus a bias = k·k·C_in multiplications and additions.
const handMul = convs.reduce((n, [ci, co, k]) => n + H * W * co * k * k * ci, 0);
const handAct = convs.reduce((n, [, co]) => n + H * W * co, 0);
// 3×3 max-pool, stride 1, padding 1: a window holds 2 or 3 rows (and columns) of the input, so
// Σ window sizes over a plane is (2 + 30·3 + 2)², and each window of m elements takes m − 1 comparisons.
const handCmp = CIN * ((2 + 30 * 3 + 2) ** 2 - H * W);

describe('exercise 5: counting an Inception module', () => {
  const r = inceptionExample();

  it("naive module: the exercise's 1,089,952 parameters, 1,115,684,864 multiplications, 425,984 activations", () => {
    expect(r.naive.params.trainable).toBe(1_089_952);
    expect(r.naive.params.total).toBe(1_089_952);
    expect(r.naive.total.mul).toBe(1_115_684_864);
    expect(r.naive.total.add).toBe(1_115_684_864);
    expect(r.naive.total.act).toBe(425_984);
    expect(r.naive.total.cmp).toBe(0);
    expect(r.naive.outputShapes).toEqual([[1, 416, 32, 32]]);
    expect(r.naive.warnings).toEqual([]);
  });

  it('bottleneck module: equal to an independent hand computation', () => {
    expect(handParams).toBe(346_720);
    expect(handMul).toBe(354_418_688);
    expect(handAct).toBe(622_592);
    expect(handCmp).toBe(1_999_872);
    expect(r.bottleneck.params.trainable).toBe(handParams);
    expect(r.bottleneck.total.mul).toBe(handMul);
    expect(r.bottleneck.total.add).toBe(handMul);
    expect(r.bottleneck.total.macs).toBe(handMul);
    expect(r.bottleneck.total.act).toBe(handAct);
    expect(r.bottleneck.total.cmp).toBe(handCmp);
    expect(r.bottleneck.outputShapes).toEqual([[1, 480, 32, 32]]);
    expect(r.bottleneck.warnings).toEqual([]);
  });

  it('prints both summaries and the ratios', () => {
    expect(r.ratios.params).toBeCloseTo(1_089_952 / 346_720, 10);
    expect(r.ratios.mul).toBeCloseTo(1_115_684_864 / 354_418_688, 10);
    expect(r.text).toContain('1,115,684,864');
    expect(r.text).toContain('354,418,688');
    expect(r.text).toMatch(/multiplications\s+1,115,684,864\s+354,418,688\s+3\.15×/);
    expect(r.text).toContain('Conventions:');
  });
});
