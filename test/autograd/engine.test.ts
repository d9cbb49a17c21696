/**
 * Autograd behaviour, with PyTorch's semantics: gradient accumulation, explicit gradients, graph
 * freeing and retainGraph, retainGrad, grad modes, detach, in-place ops and the version counter,
 * higher-order gradients and grad_fn names. Expected values are worked out by hand (and agree with
 * PyTorch 1.13).
 */
import { describe, expect, it } from 'vitest';
import { record } from '../../src/autograd/record.js';
import * as nb from '../../src/index.js';
import { backward, enableGrad, isGradEnabled, type NestedArray, noGrad, setGradEnabled, type Tensor } from '../../src/index.js';

const f64 = (v: NestedArray, requiresGrad = true) => nb.tensor(v, { dtype: 'float64', requiresGrad });
const values = (t: Tensor | null) => {
  if (t === null) throw new Error('expected a tensor, got null');
  return t.toArray();
};

describe('backward', () => {
  it('accumulates leaf gradients across two backward calls', () => {
    const x = f64([1, 2, 3]);
    x.mul(x).sum().backward();
    expect(values(x.grad)).toEqual([2, 4, 6]);
    x.mul(3).sum().backward();
    expect(values(x.grad)).toEqual([5, 7, 9]);
  });

  it('sums the gradients of a tensor used several times', () => {
    const x = f64([2]);
    x.mul(x).add(x).add(x.exp().mul(0)).sum().backward();
    expect(values(x.grad)).toEqual([5]);
  });

  it('takes an explicit gradient for a non-scalar output', () => {
    const x = f64([1, 2, 3]);
    const y = x.mul(2);
    y.backward(f64([1, 0.5, -2], false));
    expect(values(x.grad)).toEqual([2, 1, -4]);
  });

  it('backward() over several outputs with their gradients', () => {
    const x = f64([1, 2]);
    backward([x.mul(3), x.square().sum()], [f64([1, 1], false), f64(2, false)]);
    expect(values(x.grad)).toEqual([3 + 4, 3 + 8]);
  });

  it('refuses a non-scalar output without a gradient', () => {
    const y = f64([1, 2]).mul(2);
    expect(() => y.backward()).toThrow(/grad can be implicitly created only for scalar outputs.*shape \[2\]/);
  });

  it('refuses a gradient of the wrong shape or dtype', () => {
    const y = f64([1, 2]).mul(2);
    expect(() => y.backward(f64([1, 2, 3], false))).toThrow(/gradient has shape \[3\] but the output has shape \[2\]/);
    expect(() => y.backward(nb.tensor([1, 2]))).toThrow(/dtype/);
  });

  it('refuses a tensor that does not require grad', () => {
    expect(() => nb.tensor([1.5, 2]).sum().backward()).toThrow(/does not require grad/);
  });

  it('frees the graph: a second backward without retainGraph is an error', () => {
    const x = f64([1, 2]);
    const y = x.mul(x).sum();
    y.backward();
    expect(() => y.backward()).toThrow(/backward through the graph a second time.*retainGraph/);
  });

  it('retainGraph keeps it for another backward', () => {
    const x = f64([1, 2]);
    const y = x.mul(x).sum();
    y.backward(null, { retainGraph: true });
    y.backward();
    expect(values(x.grad)).toEqual([4, 8]);
  });

  it('retainGrad keeps the gradient of a non-leaf', () => {
    const x = f64([1, 2]);
    const h = x.mul(2).retainGrad();
    const other = x.mul(5);
    h.mul(h).add(other).sum().backward();
    expect(values(h.grad)).toEqual([4, 8]); // 2h
    expect(other.grad).toBeNull(); // non-leaves keep no gradient by default
    expect(values(x.grad)).toEqual([13, 21]); // 4h + 5
  });

  it('retainGrad on a tensor without grad is an error', () => {
    expect(() => nb.tensor([1.5]).retainGrad()).toThrow(/doesn't require grad/);
  });

  it('gradients of an intermediate used by two branches arrive before it propagates', () => {
    const x = f64([0.5]);
    const h = x.exp();
    const y = h.mul(h.sin()).add(h.square());
    y.sum().backward();
    const e = Math.exp(0.5);
    expect((x.grad as Tensor).item()).toBeCloseTo((Math.sin(e) + e * Math.cos(e) + 2 * e) * e, 12);
  });

  it('a gradient has the dtype of its tensor, through type promotion', () => {
    const a = nb.tensor([1.5, 2.5], { requiresGrad: true }); // float32
    const b = f64([3, 4]);
    const y = a.mul(b);
    expect(y.dtype).toBe('float64');
    y.sum().backward();
    expect(a.grad?.dtype).toBe('float32');
    expect(values(a.grad)).toEqual([3, 4]);
    expect(b.grad?.dtype).toBe('float64');
    const c = nb.tensor([5.5], { requiresGrad: true });
    nb.cat([c, f64([6])])
      .mul(f64([2, 3], false))
      .sum()
      .backward();
    expect(c.grad?.dtype).toBe('float32');
    expect(values(c.grad)).toEqual([2]);
  });

  it('a backward formula may run another backward through the same nodes', () => {
    // The inner pass orders the shared nodes again (the engine keeps its marks on the nodes); the
    // outer pass must still deliver each gradient to the right node.
    const x = f64([1, 2]);
    const h = x.mul(x);
    const inner = h.mul(3).mul(1).sum(); // longer than the outer graph: other positions
    let innerGrad: Tensor | null = null;
    const probe = record(nb.mul(h, 1).detach(), 'ProbeBackward', [h], (g: Tensor) => {
      innerGrad = nb.autograd.grad(inner, [x], { retainGraph: true })[0];
      return [g];
    });
    probe.sum().backward();
    expect(values(x.grad)).toEqual([2, 4]);
    expect(values(innerGrad)).toEqual([6, 12]);
  });

  it('handles a deep chain without overflowing the stack', () => {
    const x = f64([1]);
    let y = x;
    for (let i = 0; i < 20000; i++) y = y.mul(1);
    y.sum().backward();
    expect(values(x.grad)).toEqual([1]);
  });
});

describe('grad modes and detach', () => {
  it('noGrad records nothing; enableGrad inside it records again', () => {
    const x = f64([1, 2]);
    const y = noGrad(() => x.mul(2));
    expect(y.requiresGrad).toBe(false);
    expect(y.gradFn).toBeNull();
    const z = noGrad(() => enableGrad(() => x.mul(2)));
    expect(z.requiresGrad).toBe(true);
    expect(z.gradFn?.name).toBe('MulBackward0');
  });

  it('noGrad returns the callback value and restores the mode, even after a throw', () => {
    expect(isGradEnabled()).toBe(true);
    expect(noGrad(() => 42)).toBe(42);
    expect(() =>
      noGrad(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(isGradEnabled()).toBe(true);
    const prev = setGradEnabled(false);
    expect(prev).toBe(true);
    expect(f64([1]).mul(2).requiresGrad).toBe(false);
    setGradEnabled(true);
    expect(f64([1]).mul(2).requiresGrad).toBe(true);
  });

  it('detach shares memory but leaves the graph', () => {
    const x = f64([1, 2]);
    const y = x.mul(2);
    const d = y.detach();
    expect(d.requiresGrad).toBe(false);
    expect(d.isLeaf).toBe(true);
    expect(d.gradFn).toBeNull();
    expect(d.storage).toBe(y.storage);
    d.mul(3).add(y).sum().backward();
    expect(values(x.grad)).toEqual([2, 2]); // nothing flows through d
  });

  it('a detached tensor can be modified in place; the shared version counter still guards backward', () => {
    const x = f64([1, 2]);
    x.detach().mul_(2); // allowed, like PyTorch's x.detach().mul_()
    expect(x.toArray()).toEqual([2, 4]);
    const y = x.exp();
    y.detach().zero_();
    expect(() => y.sum().backward()).toThrow(/ExpBackward0.*modified by an in-place operation/);
  });

  it('only floating-point tensors can require grad', () => {
    expect(() => nb.tensor([1, 2], { dtype: 'int32' }).requiresGrad_(true)).toThrow(TypeError);
    expect(() => nb.tensor([1, 2], { dtype: 'int32', requiresGrad: true })).toThrow(
      /only floating-point tensors can require gradients \(got int32\)/,
    );
    expect(() => nb.tensor([true], { requiresGrad: true })).toThrow(/got bool/);
    expect(() => {
      nb.zeros([2], { dtype: 'int32' }).requiresGrad = true;
    }).toThrow(/floating-point/);
  });

  it('requiresGrad can only be changed on leaves', () => {
    const y = f64([1]).mul(2);
    expect(() => y.requiresGrad_(false)).toThrow(/leaf/);
  });

  it('results of int ops never require grad; argmax/indices are not differentiable', () => {
    const x = f64([
      [1, 3],
      [2, 0],
    ]);
    expect(x.argmax().requiresGrad).toBe(false);
    const { values: v, indices } = x.max({ dim: 1 });
    expect(v.requiresGrad).toBe(true);
    expect(indices.requiresGrad).toBe(false);
    expect(x.gt(1).requiresGrad).toBe(false);
  });
});

describe('in-place ops and the version counter', () => {
  it('in place on a non-leaf is differentiated through (a = x·2; a += y)', () => {
    const x = f64([1, 2, 3]);
    const y = f64([1, 1, 1]);
    const a = x.mul(2);
    a.add_(y);
    expect(a.gradFn?.name).toBe('AddBackward0');
    a.mul(a).sum().backward();
    expect(values(x.grad)).toEqual([12, 20, 28]); // 2a · 2
    expect(values(y.grad)).toEqual([6, 10, 14]); // 2a
  });

  it('mul_ on a non-leaf keeps the old value for its own backward', () => {
    const x = f64([1, 2]);
    const y = f64([3, 4]);
    const a = x.mul(2);
    a.mul_(y);
    a.sum().backward();
    expect(values(x.grad)).toEqual([6, 8]);
    expect(values(y.grad)).toEqual([2, 4]); // the value of a before mul_
  });

  it('modifying the output exp saved is caught at backward', () => {
    const x = f64([1, 2]);
    const y = x.exp();
    y.mul_(2);
    expect(() => y.sum().backward()).toThrow(
      /a tensor needed by ExpBackward0 \(shape \[2\], float64\) was modified by an in-place operation: it is at version 1; expected version 0/,
    );
  });

  it('modifying a tensor a later op saved is caught (sigmoid saves its output)', () => {
    const x = f64([1, 2]);
    const y = x.sigmoid();
    const z = y.mul(2);
    y.add_(1);
    expect(() => z.sum().backward()).toThrow(/SigmoidBackward0.*modified by an in-place operation/);
  });

  it('sin saves its input, not its output, so modifying the output is fine', () => {
    const x = f64([0.5, 1]);
    const y = x.sin();
    y.mul_(2);
    y.sum().backward();
    expect((x.grad as Tensor).toArray()).toEqual([2 * Math.cos(0.5), 2 * Math.cos(1)]);
  });

  it('without in-place changes the same graph backpropagates', () => {
    const x = f64([0]);
    const y = x.sigmoid();
    y.mul(2).sum().backward();
    expect(values(x.grad)).toEqual([0.5]); // 2 · σ(0)(1 − σ(0))
  });

  it('an operand saved by mul and modified afterwards is caught', () => {
    const x = f64([1, 2]);
    const w = f64([3, 4]).add(0);
    const z = x.mul(w);
    w.add_(1);
    expect(() => z.sum().backward()).toThrow(/MulBackward0.*modified by an in-place operation/);
  });

  it('in place on a leaf that requires grad is an error, allowed under noGrad', () => {
    const x = f64([1, 2]);
    expect(() => x.add_(1)).toThrow(/leaf tensor that requires grad is being used in an in-place operation/);
    expect(() => x.mul_(2)).toThrow(/leaf/);
    expect(() => x.zero_()).toThrow(/leaf/);
    noGrad(() => x.sub_(1));
    expect(x.toArray()).toEqual([0, 1]);
    expect(x.isLeaf).toBe(true);
  });

  it('in place on a view of a leaf that requires grad is an error', () => {
    const x = f64([
      [1, 2],
      [3, 4],
    ]);
    expect(() => x.select(0, 0).add_(1)).toThrow(/view/);
  });

  it('in place on a view whose update would need recording is an error, not a silent wrong gradient', () => {
    const buf = nb.zeros([2, 2], { dtype: 'float64' });
    const w = f64([1, 2]);
    expect(() => buf.select(0, 0).add_(w)).toThrow(/view/);
  });

  it('in place bumps the version of every view of the storage', () => {
    const x = nb.zeros([2, 2]);
    const v = x.select(0, 1);
    const before = v._version;
    x.add_(1);
    expect(v._version).toBe(before + 1);
    expect(v.toArray()).toEqual([1, 1]);
  });

  it('fill_ and zero_ on a non-leaf keep it in the graph with a zero gradient (FillBackward2, ZeroBackward0)', () => {
    const x = f64([1, 2]);
    const a = x.mul(2).fill_(3);
    expect(a.gradFn?.name).toBe('FillBackward2');
    expect(a.toArray()).toEqual([3, 3]);
    const b = x.mul(2).zero_();
    expect(b.gradFn?.name).toBe('ZeroBackward0');
    a.add(b).sum().backward();
    expect(values(x.grad)).toEqual([0, 0]);
  });

  it('copy_ into a non-leaf sends the gradient to the source only (CopyBackwards)', () => {
    const x = f64([1, 2]);
    const y = f64([3, 4]);
    const a = x.mul(2).copy_(y);
    expect(a.gradFn?.name).toBe('CopyBackwards');
    a.mul(a).sum().backward();
    expect(values(x.grad)).toEqual([0, 0]);
    expect(values(y.grad)).toEqual([6, 8]);
  });

  it('copy_ from a float64 tensor that requires grad into a float32 buffer', () => {
    const y = f64([3, 4]);
    const buf = nb.zeros([2, 2]);
    buf.copy_(y);
    buf.sum().backward();
    expect(values(y.grad)).toEqual([2, 2]);
    expect((y.grad as Tensor).dtype).toBe('float64');
  });

  it('an index tensor modified after gather is caught at backward', () => {
    const x = f64([1, 2, 3]);
    const index = nb.tensor([0, 2], { dtype: 'int32' });
    const y = x.gather(0, index);
    index.fill_(1);
    expect(() => y.sum().backward()).toThrow(/GatherBackward0.*int32.*modified by an in-place operation/);
  });

  it('an in-place op with an operand that requires grad makes a plain tensor part of the graph', () => {
    const w = f64([1, 2]);
    const buf = nb.ones([2], { dtype: 'float64' });
    buf.mul_(w);
    expect(buf.requiresGrad).toBe(true);
    expect(buf.isLeaf).toBe(false);
    buf.sum().backward();
    expect(values(w.grad)).toEqual([1, 1]);
  });
});

describe('higher-order gradients (createGraph)', () => {
  it('d²/dx² x³ = 6x and d³/dx³ x³ = 6', () => {
    const x = f64([2]);
    x.pow(3).sum().backward(null, { createGraph: true });
    const g = x.grad as Tensor;
    expect(g.toArray()).toEqual([12]); // 3x²
    expect(g.requiresGrad).toBe(true);
    x.grad = null;
    g.sum().backward(null, { createGraph: true });
    const g2 = x.grad as unknown as Tensor;
    expect(g2.toArray()).toEqual([12]); // 6x
    x.grad = null;
    g2.sum().backward();
    expect(values(x.grad)).toEqual([6]);
  });

  it('second derivative of sigmoid', () => {
    const x = f64([0.3]);
    x.sigmoid().sum().backward(null, { createGraph: true });
    const g = x.grad as Tensor;
    x.grad = null;
    g.sum().backward();
    const s = 1 / (1 + Math.exp(-0.3));
    expect((x.grad as unknown as Tensor).item()).toBeCloseTo(s * (1 - s) * (1 - 2 * s), 14);
  });

  it('gradients stored with createGraph own their memory (no aliasing between leaves or within .grad)', () => {
    const x = f64([1, 2]);
    const y = f64([3, 4]);
    x.add(y).sum().backward(null, { createGraph: true }); // both gradients are one expanded 1
    expect(x.grad).not.toBe(y.grad);
    x.mul(1).sum().backward();
    expect(values(x.grad)).toEqual([2, 2]);
    expect(values(y.grad)).toEqual([1, 1]);
  });

  it('accumulating into a gradient that was a stride-0 expansion adds elementwise', () => {
    const x = f64([1, 2]);
    x.sum().backward(); // SumBackward0 hands out an expanded gradient
    x.mul(nb.tensor([1, 2], { dtype: 'float64' }))
      .sum()
      .backward();
    expect(values(x.grad)).toEqual([2, 3]);
  });

  it('without createGraph the gradient is a plain tensor', () => {
    const x = f64([2]);
    x.pow(3).sum().backward();
    expect((x.grad as Tensor).requiresGrad).toBe(false);
    expect((x.grad as Tensor).gradFn).toBeNull();
  });
});

describe('grad_fn names match PyTorch', () => {
  const x = f64([
    [1, 2],
    [3, 4],
  ]);
  const y = f64([
    [0.5, -1],
    [2, 0.25],
  ]);
  const v = f64([1, 2]);
  const named: [string, string | null, () => Tensor][] = [
    ['x + y', 'AddBackward0', () => x.add(y)],
    ['x + 1', 'AddBackward0', () => x.add(1)],
    ['x − y', 'SubBackward0', () => x.sub(y)],
    ['1 − x', 'RsubBackward1', () => nb.sub(1, x)],
    ['x · y', 'MulBackward0', () => x.mul(y)],
    ['x / y', 'DivBackward0', () => x.div(y)],
    ['−x', 'NegBackward0', () => x.neg()],
    ['x ** 2', 'PowBackward0', () => x.pow(2)],
    ['x ** 3', 'PowBackward0', () => nb.pow(x, 3)],
    ['x ** y', 'PowBackward1', () => x.pow(y)],
    ['2 ** x', 'PowBackward2', () => nb.pow(2, x)],
    ['x.square()', 'PowBackward0', () => x.square()],
    ['x @ y', 'MmBackward0', () => x.matmul(y)],
    ['x.mm(y)', 'MmBackward0', () => x.mm(y)],
    ['x @ v', 'MvBackward0', () => x.matmul(v)],
    ['v @ v', 'DotBackward0', () => v.matmul(v)],
    ['bmm', 'BmmBackward0', () => x.unsqueeze(0).bmm(y.unsqueeze(0))],
    ['outer', 'MulBackward0', () => v.outer(v)],
    ['sum()', 'SumBackward0', () => x.sum()],
    ['sum(dim)', 'SumBackward1', () => x.sum({ dim: 1 })],
    ['mean()', 'MeanBackward0', () => x.mean()],
    ['mean(dim)', 'MeanBackward1', () => x.mean({ dim: 0 })],
    ['prod()', 'ProdBackward0', () => x.prod()],
    ['prod(dim)', 'ProdBackward1', () => x.prod({ dim: 0 })],
    ['max()', 'MaxBackward1', () => x.max()],
    ['max(dim)', 'MaxBackward0', () => x.max({ dim: 1 }).values],
    ['min(dim)', 'MinBackward0', () => x.min({ dim: 1 }).values],
    ['var', 'VarBackward0', () => x.var()],
    ['std', 'StdBackward0', () => x.std({ dim: 1 })],
    ['logsumexp', 'LogsumexpBackward0', () => x.logsumexp({ dim: 1 })],
    ['softmax', 'SoftmaxBackward0', () => x.softmax(1)],
    ['logSoftmax', 'LogSoftmaxBackward0', () => x.logSoftmax(1)],
    ['sigmoid', 'SigmoidBackward0', () => x.sigmoid()],
    ['tanh', 'TanhBackward0', () => x.tanh()],
    ['relu', 'ReluBackward0', () => x.relu()],
    ['exp', 'ExpBackward0', () => x.exp()],
    ['log', 'LogBackward0', () => x.log()],
    ['sqrt', 'SqrtBackward0', () => x.sqrt()],
    ['abs', 'AbsBackward0', () => x.abs()],
    ['clamp', 'ClampBackward1', () => x.clamp(0, 1)],
    ['maximum', 'MaximumBackward0', () => x.maximum(y)],
    ['where', 'WhereBackward0', () => nb.where(x.gt(2), x, y)],
    ['view', 'ViewBackward0', () => x.view(4)],
    ['t', 'TBackward0', () => x.t()],
    ['T', 'TBackward0', () => x.T],
    ['transpose', 'TransposeBackward0', () => x.transpose(0, 1)],
    ['permute', 'PermuteBackward0', () => x.permute(1, 0)],
    ['expand', 'ExpandBackward0', () => v.expand(3, 2)],
    ['squeeze()', 'SqueezeBackward0', () => x.unsqueeze(0).squeeze()],
    ['squeeze(dim)', 'SqueezeBackward1', () => x.unsqueeze(0).squeeze(0)],
    ['unsqueeze', 'UnsqueezeBackward0', () => x.unsqueeze(0)],
    ['select', 'SelectBackward0', () => x.select(0, 1)],
    ['narrow', 'SliceBackward0', () => x.narrow(0, 0, 1)],
    ['slice', 'SliceBackward0', () => x.slice(1, 1)],
    ['cat', 'CatBackward0', () => nb.cat([x, y])],
    ['stack', 'StackBackward0', () => nb.stack([x, y])],
    ['gather', 'GatherBackward0', () => x.gather(1, nb.tensor([[0], [1]], { dtype: 'int32' }))],
    ['indexSelect', 'IndexSelectBackward0', () => x.indexSelect(0, nb.tensor([1], { dtype: 'int32' }))],
    ['scatterAdd', 'ScatterAddBackward0', () => x.scatterAdd(0, nb.tensor([[1, 0]], { dtype: 'int32' }), y)],
    ['diag', 'DiagBackward0', () => x.diag()],
    ['diagflat', 'DiagBackward0', () => v.diagflat()],
    ['clone', 'CloneBackward0', () => x.clone()],
    ['contiguous of a transpose', 'CloneBackward0', () => x.t().contiguous()],
    ['contiguous of a contiguous tensor is itself', null, () => x.contiguous()],
    ['to float32', 'ToCopyBackward0', () => x.float()],
    ['a leaf', null, () => x],
  ];
  it.each(named)('%s → %s', (_label, name, make) => {
    expect(make().gradFn?.name ?? null).toBe(name);
  });
});
