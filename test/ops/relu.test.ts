import { describe, expect, it } from 'vitest';
import { full, type Tensor, tensor } from '../../src/index.js';

// PyTorch 1.13: relu(tensor([nan, -1., 0., -0., 2.])) is tensor([nan, 0., 0., -0., 2.]), and
// threshold_backward passes the gradient wherever the output is not ≤ 0 (NaN included).
describe('relu edge values follow PyTorch', () => {
  it('keeps NaN and −0, zeroes negatives; the gradient passes through NaN outputs', () => {
    const x = tensor([Number.NaN, -1, 0, -0, 2], { requiresGrad: true });
    const y = x.relu();
    const v = Array.from(y.data);
    expect(Number.isNaN(v[0])).toBe(true);
    expect(v.slice(1, 3)).toEqual([0, 0]);
    expect(Object.is(v[3], -0)).toBe(true);
    expect(v[4]).toBe(2);
    y.backward(full([5], 3.5));
    expect(Array.from((x.grad as Tensor).data)).toEqual([3.5, 0, 0, 0, 3.5]);
  });
});
