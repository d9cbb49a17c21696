import { describe, expect, it } from 'vitest';
import { Generator, gradcheck, ones, rand, type Tensor, zeros } from '../../src/index.js';
import { type BatchNormOptions, batchNorm } from '../../src/ops/batchnorm.js';
import { backwardWeighted, expectClose, fixture, makeInputs, tolFor } from './conv-fixture.js';
import { checkDoubleBackward } from './double-backward.js';

const sym = (shape: number[], gen: Generator, requiresGrad = true): Tensor => {
  const t = rand(shape, { generator: gen, dtype: 'float64' }).mul(2).sub(1);
  return requiresGrad ? t.requiresGrad_(true) : t;
};
const pos = (shape: number[], gen: Generator, requiresGrad = false): Tensor => {
  const t = rand(shape, { generator: gen, dtype: 'float64' }).add(0.5);
  return requiresGrad ? t.requiresGrad_(true) : t;
};

describe('batchNorm against PyTorch 1.13 (test/fixtures/conv.json)', () => {
  for (const c of fixture.batchnorm) {
    it(`${c.name} (${c.dtype})`, () => {
      const { gen, ts } = makeInputs(c);
      const out = batchNorm(
        ts.x,
        ts.runningMean ?? null,
        ts.runningVar ?? null,
        ts.weight ?? null,
        ts.bias ?? null,
        c.opts as unknown as BatchNormOptions,
      );
      expect(out.shape).toEqual(c.out_shape);
      expect(out.gradFn?.name).toBe(c.grad_fn);
      const tol = tolFor(c.dtype);
      expectClose(out.data, c.out, tol, `${c.name} out`);
      // Running statistics: a momentum-weighted sum of per-channel statistics, float32-rounded.
      if (c.runningMeanAfter)
        expectClose(ts.runningMean.data, c.runningMeanAfter, c.dtype === 'float32' ? 1e-6 : 1e-14, `${c.name} runningMean`);
      if (c.runningVarAfter)
        expectClose(ts.runningVar.data, c.runningVarAfter, c.dtype === 'float32' ? 1e-6 : 1e-14, `${c.name} runningVar`);
      backwardWeighted(gen, out, c.dtype);
      for (const [name, g] of Object.entries(c.grads)) expectClose((ts[name].grad as Tensor).data, g, tol, `${c.name} grad ${name}`);
    });
  }
});

describe('batchNorm gradcheck (float64)', () => {
  const gen = new Generator(31);
  it('training, 4-D, affine', () => {
    const rm = zeros([3], { dtype: 'float64' });
    const rv = ones([3], { dtype: 'float64' });
    expect(
      gradcheck((x, w, b) => batchNorm(x, rm, rv, w, b, { training: true }), [sym([2, 3, 2, 3], gen), pos([3], gen, true), sym([3], gen)])
        .ok,
    ).toBe(true);
  });
  it('training, 2-D, no affine, no running stats', () => {
    expect(gradcheck((x) => batchNorm(x, null, null, null, null, { training: true, eps: 1e-3 }), [sym([5, 2], gen)]).ok).toBe(true);
  });
  it('eval, 4-D, affine', () => {
    const rm = sym([2], gen, false);
    const rv = pos([2], gen);
    expect(
      gradcheck((x, w, b) => batchNorm(x, rm, rv, w, b, { training: false }), [sym([2, 2, 2, 2], gen), pos([2], gen, true), sym([2], gen)])
        .ok,
    ).toBe(true);
  });
  it('second derivatives (backward with createGraph), training and eval', () => {
    const x = sym([3, 2, 2], gen);
    const w = pos([2], gen, true);
    const b = sym([2], gen, false);
    const wg = sym([3, 2, 2], gen, false);
    checkDoubleBackward((a, ww) => batchNorm(a, null, null, ww, b, { training: true }).mul(wg).sum(), x, w);
    const rm = sym([2], gen, false);
    const rv = pos([2], gen);
    checkDoubleBackward((a, ww) => batchNorm(a, rm, rv, ww, b, { training: false }).tanh().mul(wg).sum(), x, w);
  });
});

describe('batchNorm semantics and errors', () => {
  it('updates running stats in place with the unbiased variance; momentum and eps are honored', () => {
    const x = zeros([4, 1]);
    x.data.set([1, 2, 3, 6]);
    const rm = zeros([1]);
    const rv = ones([1]);
    const v0 = rm._version;
    batchNorm(x, rm, rv, null, null, { training: true, momentum: 0.5 });
    expect(rm.item()).toBeCloseTo(0.5 * 3, 6);
    // Unbiased variance of [1, 2, 3, 6] is 14 / 3.
    expect(rv.item()).toBeCloseTo(0.5 * 1 + 0.5 * (14 / 3), 5);
    expect(rm._version).toBeGreaterThan(v0);
  });
  it('eval mode does not touch the running stats', () => {
    const rm = zeros([2]);
    const rv = ones([2]);
    const out = batchNorm(ones([3, 2]), rm, rv, null, null, { training: false, eps: 0 });
    expect(Array.from(out.data)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(Array.from(rm.data)).toEqual([0, 0]);
  });
  it('errors', () => {
    expect(() => batchNorm(zeros([1, 3]), null, null, null, null, { training: true })).toThrow(
      'batchNorm: expected more than 1 value per channel when training, got input of shape [1, 3]',
    );
    expect(() => batchNorm(zeros([2, 3]), null, null, null, null, { training: false })).toThrow(
      /runningMean and runningVar must be given in eval mode/,
    );
    expect(() => batchNorm(zeros([2, 3]), zeros([4]), ones([4]), null, null, { training: true })).toThrow(
      /runningMean should contain 3 elements \(one per channel of input \[2, 3\]\), not 4/,
    );
    expect(() => batchNorm(zeros([3]), null, null, null, null, { training: true })).toThrow(/at least 2 dims/);
    expect(() => batchNorm(zeros([2, 3]), null, null, zeros([3], { dtype: 'float64' }), null, { training: true })).toThrow(
      /weight has dtype float64/,
    );
  });
});
