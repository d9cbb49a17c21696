// autograd.grad and backward({ inputs }) against PyTorch: a WGAN-GP gradient penalty
// (fixtures from tools/gen_fluency_fixtures.py).
import { describe, expect, it } from 'vitest';
import { expectClose, fx, load } from './fixture.js';
import { autograd, manualSeed, nn, onesLike, rand, randn, type Tensor, tensor } from './imports.js';

describe('autograd.grad', () => {
  it('computes a WGAN-GP gradient penalty like PyTorch, leaving the critic grads alone until backward', () => {
    const W = fx.wgan_gp;
    manualSeed(3);
    const critic = new nn.Sequential(new nn.Linear(4, 8), new nn.LeakyReLU(0.2), new nn.Linear(8, 1));
    const real = randn(6, 4);
    const fake = randn(6, 4);
    const alpha = rand(6, 1);
    const interp = alpha.mul(real).add(alpha.neg().add(1).mul(fake)).requiresGrad_(true);
    const dInterp = critic.call(interp);
    const [gradients] = autograd.grad(dInterp, [interp], {
      gradOutputs: onesLike(dInterp),
      createGraph: true,
      retainGraph: true,
    }) as Tensor[];
    // The penalty's gradient must not leak into the parameters' .grad before the critic step.
    for (const p of critic.parameters()) expect(p.grad).toBeNull();
    expect(interp.grad).toBeNull();
    expectClose('gradients', gradients, W.gradients);
    const gp = gradients.norm(2, 1).sub(1).pow(2).mean();
    const loss = critic.call(fake).mean().sub(critic.call(real).mean()).add(gp.mul(10.0));
    expect(gp.item()).toBeCloseTo(W.gp, 5);
    expect(loss.item()).toBeCloseTo(W.loss, 5);
    loss.backward();
    const named = Object.fromEntries(critic.namedParameters());
    for (const [name, g] of Object.entries(W.grads))
      expectClose(`grad of ${name}`, named[name].grad as Tensor, g as never, { rtol: 1e-4, atol: 1e-6 });
    // PyTorch's LeakyReLU double backward links the penalty to interp with zero gradients; nabla's
    // graph has no such path and leaves interp.grad null. Both say: no gradient reaches interp.
    expect(W.interp_grad.data.every((v: number) => v === 0)).toBe(true);
    expect(interp.grad === null || interp.grad.abs().sum().item() === 0).toBe(true);
  });

  it('gives second derivatives with createGraph and matches finite differences in float64', () => {
    const x = tensor([0.3, -1.2, 2.0], { dtype: 'float64', requiresGrad: true });
    const [dx] = autograd.grad(x.pow(3).sum(), x, { createGraph: true }) as Tensor[];
    expect((dx.toArray() as number[]).map((v) => Number(v.toFixed(12)))).toEqual([0.27, 4.32, 12]);
    const [ddx] = autograd.grad(dx.sum(), [x]) as Tensor[];
    expect((ddx.toArray() as number[]).map((v) => Number(v.toFixed(12)))).toEqual([1.8, -7.2, 12]);
    expect(x.grad).toBeNull();
    const [d] = autograd.grad(x.sin().mul(x).sum(), [x]) as Tensor[];
    const want = [0.3, -1.2, 2.0].map((v) => Math.sin(v) + v * Math.cos(v));
    (d.toArray() as number[]).forEach((v, i) => {
      expect(v).toBeCloseTo(want[i], 14);
    });
  });

  it('reports unused inputs unless allowUnused, and rejects unknown options', () => {
    const a = tensor([1.0, 2.0], { requiresGrad: true });
    const b = tensor([3.0], { requiresGrad: true });
    const y = a.mul(2).sum();
    expect(() => autograd.grad(y, [a, b], { retainGraph: true })).toThrow(/grad: input 1 was not used in the graph.*allowUnused/);
    const [ga, gb] = autograd.grad(y, [a, b], { allowUnused: true });
    expect(ga?.toArray()).toEqual([2, 2]);
    expect(gb).toBeNull();
    expect(() => autograd.grad(a.sum(), [a], { create_graph: true } as never)).toThrow(/grad: unknown option 'create_graph'/);
    expect(() => autograd.grad(a.sum(), [tensor([1.0])])).toThrow(/grad: input 0 does not require grad/);
  });
});

describe('backward({ inputs })', () => {
  it('accumulates only into the given inputs, like PyTorch', () => {
    const B = fx.backward_inputs;
    const w = load(B.w, { requiresGrad: true });
    const b = load(B.b, { requiresGrad: true });
    const x = load(B.x);
    x.matmul(w)
      .add(b)
      .pow(2)
      .sum()
      .backward({ inputs: [w] });
    expectClose('w.grad', w.grad as Tensor, B.w_grad, { rtol: 1e-5, atol: 1e-5 });
    expect(b.grad).toBeNull();
  });

  it('takes the options object as the first argument too (loss.backward({ createGraph: true }))', () => {
    const x = tensor([2.0], { requiresGrad: true });
    x.pow(2).sum().backward({ createGraph: true });
    expect(x.grad?.requiresGrad).toBe(true);
    expect(() => x.sum().backward({ retain_graph: true } as never)).toThrow(/backward: unknown option 'retain_graph'/);
    expect(() => x.sum().backward(3 as never)).toThrow(/backward: gradient must be a Tensor/);
  });
});
