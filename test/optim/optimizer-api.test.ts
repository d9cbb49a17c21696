/** The Optimizer base class: parameter groups, zeroGrad, step(closure), errors. */
import { describe, expect, it } from 'vitest';
import { isGradEnabled, noGrad, optim, tensor, zeros } from '../../src/index.js';

const leaf = (values: number[]) => tensor(values, { dtype: 'float32', requiresGrad: true });

describe('Optimizer', () => {
  it('takes a parameter list, any iterable, or groups with their own options', () => {
    const a = leaf([1, 2]);
    const b = leaf([3]);
    expect(new optim.SGD([a, b], { lr: 0.1 }).paramGroups[0].params).toEqual([a, b]);
    expect(new optim.SGD(new Set([a, b]), { lr: 0.1 }).paramGroups[0].params).toEqual([a, b]);
    function* gen() {
      yield a;
      yield b;
    }
    expect(new optim.SGD(gen(), { lr: 0.1 }).paramGroups[0].params).toEqual([a, b]);
    const opt = new optim.SGD([{ params: [a], lr: 0.01 }, { params: b }], { lr: 0.1, momentum: 0.9 });
    expect(opt.paramGroups.map((g) => [g.lr, g.momentum, g.params.length])).toEqual([
      [0.01, 0.9, 1],
      [0.1, 0.9, 1],
    ]);
  });

  it('gives clear errors', () => {
    const a = leaf([1, 2]);
    expect(() => new optim.SGD([a.mul(2)], { lr: 0.1 })).toThrow(
      /can't optimize a non-leaf Tensor \(parameter 0 of parameter group 0, shape \[2\], grad_fn MulBackward0\)/,
    );
    expect(() => new optim.SGD([a, a], { lr: 0.1 })).toThrow(/parameter group 0 lists the same parameter twice/);
    expect(() => new optim.SGD([{ params: [a] }, { params: [a] }], { lr: 0.1 })).toThrow(/more than one parameter group/);
    expect(() => new optim.SGD([a], { lr: -0.1 })).toThrow(/SGD: invalid learning rate \(lr\) -0.1 in parameter group 0 \(must be ≥ 0\)/);
    expect(() => new optim.Adam([{ params: [a], lr: -1 }])).toThrow(/Adam: invalid learning rate/);
    expect(() => new optim.SGD([a])).toThrow(/didn't specify a learning rate \(lr\)/);
    expect(() => new optim.SGD([a], { lr: 0.1, nesterov: true })).toThrow(/Nesterov momentum requires a momentum > 0 and zero dampening/);
    expect(() => new optim.Adam([a], { betas: [0.9, 1] })).toThrow(/invalid beta parameter at index 1: 1/);
    expect(() => new optim.RMSprop([a], { momentum: -1 })).toThrow(/invalid momentum/);
    expect(() => new optim.SGD([], { lr: 0.1 })).toThrow(/empty parameter list/);
    expect(() => new optim.SGD(a as never, { lr: 0.1 })).toThrow(/got a Tensor; pass \[tensor\]/);
    expect(() => new optim.SGD([a, 3] as never, { lr: 0.1 })).toThrow(
      /can only optimize Tensors, but parameter 1 of parameter group 0 is number/,
    );
  });

  it('a retained non-leaf can be optimized, as in PyTorch', () => {
    const nl = leaf([1]).mul(2).retainGrad();
    expect(() => new optim.SGD([nl], { lr: 0.1 })).not.toThrow();
  });

  it('zeroGrad sets grads to null by default, or to zeros', () => {
    const a = leaf([1, 2]);
    const opt = new optim.SGD([a], { lr: 0.1 });
    a.mul(3).sum().backward();
    const g = a.grad;
    opt.zeroGrad({ setToNone: false });
    expect(a.grad).toBe(g);
    expect(Array.from(a.grad?.data ?? [])).toEqual([0, 0]);
    opt.zeroGrad();
    expect(a.grad).toBeNull();
  });

  it('step skips parameters without grad, runs the closure with grad on, and returns its value', () => {
    const a = leaf([1, 2]);
    const opt = new optim.SGD([a], { lr: 0.5 });
    opt.step();
    expect(Array.from(a.data)).toEqual([1, 2]);
    const loss = noGrad(() =>
      opt.step(() => {
        expect(isGradEnabled()).toBe(true);
        opt.zeroGrad();
        const l = a.mul(a).sum();
        l.backward();
        return l;
      }),
    );
    expect(loss?.item()).toBe(5);
    expect(Array.from(a.data)).toEqual([0, 0]); // a − 0.5·2a
    expect(a.isLeaf && a.requiresGrad).toBe(true);
  });

  it('addParamGroup adds a group with the defaults; lr edits in paramGroups take effect', () => {
    const a = leaf([1]);
    const b = leaf([1]);
    const opt = new optim.SGD([a], { lr: 0.1, momentum: 0.5 });
    opt.addParamGroup({ params: [b], lr: 1 });
    expect(opt.paramGroups[1]).toMatchObject({ lr: 1, momentum: 0.5, dampening: 0, nesterov: false });
    expect(() => opt.addParamGroup({ params: [a] })).toThrow(/more than one parameter group/);
    opt.paramGroups[0].lr = 0.25;
    a.grad = tensor([1], { dtype: 'float32' });
    b.grad = tensor([1], { dtype: 'float32' });
    opt.step();
    expect([a.item(), b.item()]).toEqual([0.75, 0]);
  });

  it('Adagrad creates its state at construction, like PyTorch', () => {
    const a = zeros([2], { requiresGrad: true });
    const opt = new optim.Adagrad([a], { initialAccumulatorValue: 0.5 });
    expect(opt.state.get(a)?.step).toBe(0);
    expect(Array.from(opt.state.get(a)?.sum.data ?? [])).toEqual([0.5, 0.5]);
  });

  it("prints like PyTorch's repr", () => {
    const opt = new optim.SGD([leaf([1])], { lr: 0.1, momentum: 0.9 });
    expect(String(opt)).toBe(
      'SGD (\nParameter Group 0\n    dampening: 0\n    lr: 0.1\n    maximize: False\n    momentum: 0.9\n    nesterov: False\n    weightDecay: 0\n)',
    );
  });
});
