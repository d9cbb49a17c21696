import { describe, expect, it } from 'vitest';
import { ones, type Tensor, tensor } from '../../src/index.js';

// .grad adopts fresh gradients without copying; these are the cases where it must not.
describe('.grad owns its memory', () => {
  it('one gradient handed to two leaves (AddBackward) is not shared', () => {
    const a = ones([3], { requiresGrad: true });
    const b = ones([3], { requiresGrad: true });
    a.add(b).sum().backward();
    a.add(b).sum().backward();
    expect(a.grad).not.toBe(b.grad);
    expect(Array.from((a.grad as Tensor).data)).toEqual([2, 2, 2]);
    expect(Array.from((b.grad as Tensor).data)).toEqual([2, 2, 2]);
  });

  it("the caller's seed gradient is never modified by later accumulation", () => {
    const x = ones([2], { requiresGrad: true });
    const seed = tensor([1, 3]).float();
    x.add(0).backward(seed);
    x.add(0).backward(seed);
    expect(Array.from(seed.data)).toEqual([1, 3]);
    expect(Array.from((x.grad as Tensor).data)).toEqual([2, 6]);
  });

  it('a stride-0 expansion (SumBackward) is copied before accumulating into it', () => {
    const w = ones([2, 2], { requiresGrad: true });
    w.sum().backward();
    w.mul(3).sum().backward();
    expect((w.grad as Tensor).isContiguous()).toBe(true);
    expect(Array.from((w.grad as Tensor).data)).toEqual([4, 4, 4, 4]);
  });

  it('a retained non-leaf gradient and a leaf gradient stay separate', () => {
    const x = ones([2], { requiresGrad: true });
    const y = x.mul(2).retainGrad();
    y.add(x).sum().backward();
    expect(y.grad).not.toBe(x.grad);
    expect(Array.from((x.grad as Tensor).data)).toEqual([3, 3]);
    expect(Array.from((y.grad as Tensor).data)).toEqual([1, 1]);
  });
});
