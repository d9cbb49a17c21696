import { describe, expect, it } from 'vitest';
import { Generator, gradcheck, rand, type Tensor, tensor, zeros } from '../../src/index.js';
import { conv2d } from '../../src/ops/conv.js';
import {
  type AvgPool2dOptions,
  adaptiveAvgPool2d,
  avgPool2d,
  type MaxPool2dOptions,
  maxPool2d,
  maxPool2dWithIndices,
} from '../../src/ops/pool.js';
import { backwardWeighted, expectClose, fixture, makeInputs, tolFor } from './conv-fixture.js';
import { checkDoubleBackward } from './double-backward.js';

const sym = (shape: number[], gen: Generator, requiresGrad = true): Tensor => {
  const t = rand(shape, { generator: gen, dtype: 'float64' }).mul(2).sub(1);
  return requiresGrad ? t.requiresGrad_(true) : t;
};

describe('pooling against PyTorch 1.13 (test/fixtures/conv.json)', () => {
  for (const c of fixture.pool) {
    it(`${c.name} (${c.dtype})`, () => {
      const { gen, ts } = makeInputs(c);
      const o = c.opts;
      let out: Tensor;
      if (c.kind === 'max') {
        const { values, indices } = maxPool2dWithIndices(ts.x, o as unknown as MaxPool2dOptions);
        expect(indices.dtype).toBe('int32');
        expect(indices.shape).toEqual(c.out_shape);
        expect(Array.from(indices.data)).toEqual(c.indices);
        // Max pooling selects input values: exact.
        expectClose(values.data, c.out, 0, `${c.name} out`, c.dtype);
        const plain = maxPool2d(ts.x.detach(), o as unknown as MaxPool2dOptions);
        expectClose(plain.data, c.out, 0, `${c.name} maxPool2d`, c.dtype);
        out = values;
      } else if (c.kind === 'avg') {
        out = avgPool2d(ts.x, o as unknown as AvgPool2dOptions);
      } else {
        out = adaptiveAvgPool2d(ts.x, o.outputSize as number | [number, number]);
      }
      expect(out.shape).toEqual(c.out_shape);
      expect(out.gradFn?.name).toBe(c.grad_fn);
      const tol = c.kind === 'max' ? 0 : tolFor(c.dtype);
      if (c.kind !== 'max') expectClose(out.data, c.out, tol, `${c.name} out`);
      backwardWeighted(gen, out, c.dtype);
      expectClose((ts.x.grad as Tensor).data, c.grads.x, tolFor(c.dtype), `${c.name} grad`);
    });
  }
});

describe('pooling gradcheck (float64)', () => {
  // Distinct values keep max pooling differentiable at the test point.
  const gen = new Generator(21);
  it('maxPool2d: padding, dilation, ceil mode', () => {
    const opts: MaxPool2dOptions[] = [
      { kernelSize: 2 },
      { kernelSize: 3, stride: 2, padding: 1, ceilMode: true },
      { kernelSize: [2, 3], stride: [1, 2], dilation: [2, 1], padding: [1, 1] },
    ];
    for (const o of opts) expect(gradcheck((x) => maxPool2d(x, o), [sym([1, 2, 5, 6], gen)]).ok).toBe(true);
  });
  it('avgPool2d: countIncludePad, ceil mode, divisorOverride', () => {
    const opts: AvgPool2dOptions[] = [
      { kernelSize: 2 },
      { kernelSize: 3, stride: 2, padding: 1, ceilMode: true },
      { kernelSize: 3, stride: 2, padding: 1, ceilMode: true, countIncludePad: false },
      { kernelSize: [2, 3], stride: [1, 2], padding: [1, 1], divisorOverride: 4 },
    ];
    for (const o of opts) expect(gradcheck((x) => avgPool2d(x, o), [sym([1, 2, 5, 6], gen)]).ok).toBe(true);
  });
  it('adaptiveAvgPool2d: overlapping, upsampling, global', () => {
    for (const size of [3, [2, 4], 1] as (number | [number, number])[]) {
      expect(gradcheck((x) => adaptiveAvgPool2d(x, size), [sym([2, 5, 3], gen)]).ok).toBe(true);
    }
  });
  it('second derivatives through conv → pool (backward with createGraph)', () => {
    const x = sym([1, 1, 5, 5], gen);
    const w = sym([2, 1, 2, 2], gen);
    const wg = sym([1, 2, 2, 2], gen, false);
    checkDoubleBackward((a, b) => maxPool2d(conv2d(a, b).tanh(), { kernelSize: 2 }).mul(wg).sum(), x, w);
    checkDoubleBackward((a, b) => avgPool2d(conv2d(a, b).tanh(), { kernelSize: 2 }).mul(wg).sum(), x, w);
    checkDoubleBackward((a, b) => adaptiveAvgPool2d(conv2d(a, b).tanh(), 2).mul(wg).sum(), x, w);
  });
});

describe('pooling semantics', () => {
  it('stride defaults to the kernel size (also when null)', () => {
    expect(maxPool2d(zeros([1, 1, 6, 6]), { kernelSize: 3 }).shape).toEqual([1, 1, 2, 2]);
    expect(avgPool2d(zeros([1, 1, 6, 6]), { kernelSize: 3, stride: null }).shape).toEqual([1, 1, 2, 2]);
  });
  it("ceil mode drops a last window that would start in the right padding (PyTorch's rule)", () => {
    // 6 + 2·1 − 3 + (2 − 1) = 6 → ceil gives 4 windows, but the 4th starts at 6 ≥ 6 + 1 − 1… kept iff start < input + left pad.
    expect(maxPool2d(zeros([1, 1, 6, 6]), { kernelSize: 3, stride: 2, padding: 1, ceilMode: true }).shape).toEqual([1, 1, 4, 4]);
    expect(maxPool2d(zeros([1, 1, 5, 5]), { kernelSize: 2, stride: 2, ceilMode: true }).shape).toEqual([1, 1, 3, 3]);
    expect(maxPool2d(zeros([1, 1, 4, 4]), { kernelSize: 2, stride: 3, ceilMode: true }).shape).toEqual([1, 1, 2, 2]);
    expect(avgPool2d(zeros([1, 1, 5, 5]), { kernelSize: 3, stride: 3, padding: 1, ceilMode: true }).shape).toEqual([1, 1, 2, 2]);
  });
  it('routes the gradient to the first maximum of a tied window', () => {
    const x = tensor([
      [
        [
          [1, 1],
          [1, 1],
        ],
      ],
    ])
      .float()
      .requiresGrad_(true);
    const { values, indices } = maxPool2dWithIndices(x, { kernelSize: 2 });
    expect(Array.from(indices.data)).toEqual([0]);
    values.sum().backward();
    expect(Array.from((x.grad as Tensor).data)).toEqual([1, 0, 0, 0]);
  });
  it('exercise-6 shapes: 23 → 11 and 11 → 5 with kernel 3, stride 2', () => {
    expect(maxPool2d(zeros([2, 3, 23, 23]), { kernelSize: 3, stride: 2 }).shape).toEqual([2, 3, 11, 11]);
    expect(maxPool2d(zeros([2, 3, 11, 11]), { kernelSize: 3, stride: 2 }).shape).toEqual([2, 3, 5, 5]);
  });
  it('errors name the op and the shapes', () => {
    expect(() => maxPool2d(zeros([2, 2]), { kernelSize: 2 })).toThrow(
      /maxPool2d: expected a non-empty 3-D \(unbatched\) or 4-D \(batched\) input, but got input of shape \[2, 2\]/,
    );
    expect(() => maxPool2d(zeros([1, 1, 2, 2]), { kernelSize: 3 })).toThrow(
      /maxPool2d: given input of shape \[1, 1, 2, 2\], the calculated output size \[1, 1, 0, 0\] is too small/,
    );
    expect(() => maxPool2d(zeros([1, 1, 6, 6]), { kernelSize: 2, padding: 2 })).toThrow(
      /padding should be at most half of the kernel size/,
    );
    expect(() => avgPool2d(zeros([1, 1, 6, 6]), { kernelSize: 2, divisorOverride: 0 })).toThrow(
      /divisorOverride must be a nonzero integer/,
    );
    expect(() => maxPool2d(zeros([1, 1, 6, 6]), { kernelSize: 0 })).toThrow('maxPool2d: kernelSize must be positive (got 0)');
    expect(() => adaptiveAvgPool2d(zeros([1, 0, 6, 6]), 2)).toThrow(/adaptiveAvgPool2d: expected a non-empty/);
    expect(() => avgPool2d(tensor([[[1, 2]]], { dtype: 'int32' }), { kernelSize: 1 })).toThrow(
      /expected a floating-point input, but got int32/,
    );
  });
});
