// The pieces a PyTorch port needed: advanced indexing, Embedding, LayerNorm, GroupNorm, norms,
// log10/log2, exponential_, multinomial, Adadelta — against PyTorch fixtures, with float64
// gradchecks of every new differentiable op.
import { describe, expect, it } from 'vitest';
import { expectClose, expectExact, fx, load } from './fixture.js';
import { empty, float64Check, linalg, manualSeed, multinomial, nn, noGrad, optim, randn, type Tensor, tensor, zeros } from './imports.js';

const f64 = (shape: number[], seed: number) => {
  manualSeed(seed);
  return randn(shape, { dtype: 'float64', requiresGrad: true });
};

describe('advanced indexing: x.index(...) is PyTorch x[...]', () => {
  const I = fx.indexing;
  it('C.index(X) is C[X], with gradients summed over repeated rows', () => {
    const C = load(I.C, { requiresGrad: true });
    const emb = C.index(load(I.X));
    expectClose('C[X]', emb, I.emb);
    emb.mul(load(I.wts)).sum().backward();
    expectClose('C.grad', C.grad as Tensor, I.C_grad);
  });

  it('x.index([rows, cols]) and x.index([null, idx]) are x[rows, cols] and x[:, idx]', () => {
    const M = load(I.M, { requiresGrad: true });
    const picked = M.index([load(I.rows), load(I.cols)]);
    const colsAll = M.index([null, tensor([1, 1, 3], { dtype: 'int32' })]);
    expectClose('M[rows, cols]', picked, I.picked);
    expectClose('M[:, idx]', colsAll, I.cols_all);
    picked.sum().add(colsAll.mul(2.0).sum()).backward();
    expectClose('M.grad', M.grad as Tensor, I.M_grad);
  });

  it('gradchecks in float64 and names bad indices', () => {
    const idx = tensor(
      [
        [2, 0],
        [1, 1],
      ],
      { dtype: 'int32' },
    );
    expect(float64Check((c) => c.index(idx), [f64([3, 4], 1)])).toBe(true);
    expect(
      float64Check((m) => m.index([tensor([0, 2], { dtype: 'int32' }), tensor([[1], [-1]], { dtype: 'int32' })]), [f64([3, 4], 2)]),
    ).toBe(true);
    const c = zeros([3, 2]);
    expect(() => c.index(tensor([0, 1]))).toThrow(/index: index must be an int32 tensor \(got float32\)\. Numbers make float32 tensors/);
    expect(() => c.index(tensor([3], { dtype: 'int32' }))).toThrow('index: index 3 is out of bounds for dimension 0 with size 3');
    expect(() => c.index(tensor([true, false, true]))).toThrow(/boolean mask indexing/);
    expect(() => c.index([tensor([0], { dtype: 'int32' }), null])).toThrow(/null \(a full slice\) is only supported before/);
  });
});

describe('new modules match PyTorch', () => {
  const M = fx.modules;
  it('nn.Embedding(7, 3, 0): N(0, 1) init from the same seed, zero padding row without gradient', () => {
    manualSeed(6);
    const e = new nn.Embedding(7, 3, 0);
    expectExact('Embedding weight', e.weight.detach(), M.embedding_weight);
    const out = e.call(load(M.embedding_idx));
    expectClose('Embedding(idx)', out, M.embedding_out);
    out.pow(2).sum().backward();
    expectClose('Embedding grad', e.weight.grad as Tensor, M.embedding_grad);
    expect(String(e)).toBe('Embedding(7, 3, padding_idx=0)');
  });

  it('nn.LayerNorm(4) and nn.GroupNorm(2, 4): outputs and gradients', () => {
    manualSeed(6);
    new nn.Embedding(7, 3, 0); // consume the same random numbers as the fixture
    const ln = new nn.LayerNorm(4);
    const gn = new nn.GroupNorm(2, 4);
    noGrad(() => {
      ln.weight?.copy_(tensor([1.0, 2.0, 0.5, -1.0]));
      ln.bias?.copy_(tensor([0.1, 0.0, -0.2, 0.3]));
      gn.weight?.copy_(tensor([0.5, 1.5, 1.0, 2.0]));
      gn.bias?.copy_(tensor([0.0, 0.1, 0.2, 0.3]));
    });
    const a = load(M.ln_in, { requiresGrad: true });
    const la = ln.call(a);
    expectClose('LayerNorm', la, M.ln_out, { rtol: 1e-5, atol: 1e-5 });
    la.mul(
      empty(24)
        .copy_(tensor(Array.from({ length: 24 }, (_, i) => i)))
        .reshape(2, 3, 4),
    )
      .sum()
      .backward();
    expectClose('LayerNorm input grad', a.grad as Tensor, M.ln_in_grad, { rtol: 1e-4, atol: 1e-4 });
    expectClose('LayerNorm weight grad', ln.weight?.grad as Tensor, M.ln_weight_grad, { rtol: 1e-4, atol: 1e-4 });
    expectClose('LayerNorm bias grad', ln.bias?.grad as Tensor, M.ln_bias_grad, { rtol: 1e-4, atol: 1e-4 });
    const g = load(M.gn_in, { requiresGrad: true });
    const go = gn.call(g);
    expectClose('GroupNorm', go, M.gn_out, { rtol: 1e-5, atol: 1e-5 });
    go.mul(go).sum().backward();
    expectClose('GroupNorm input grad', g.grad as Tensor, M.gn_in_grad, { rtol: 1e-4, atol: 1e-4 });
    expectClose('GroupNorm weight grad', gn.weight?.grad as Tensor, M.gn_weight_grad, { rtol: 1e-4, atol: 1e-4 });
    expectClose('GroupNorm bias grad', gn.bias?.grad as Tensor, M.gn_bias_grad, { rtol: 1e-4, atol: 1e-4 });
    expect(String(ln)).toBe('LayerNorm((4,), eps=1e-05, elementwise_affine=True)');
    expect(String(gn)).toBe('GroupNorm(2, 4, eps=1e-05, affine=True)');
  });

  it('F.layerNorm, F.groupNorm, F.embedding, norms and log10/log2 gradcheck in float64', () => {
    const { F } = nn;
    const w = f64([3], 3);
    const b = f64([3], 4);
    expect(float64Check((x, ww, bb) => F.layerNorm(x, 3, ww, bb), [f64([2, 3], 5), w, b])).toBe(true);
    expect(float64Check((x, ww, bb) => F.groupNorm(x, 3, ww, bb), [f64([2, 3, 2], 6), w, b])).toBe(true);
    expect(
      float64Check(
        (wt) =>
          F.embedding(
            tensor(
              [
                [1, 0],
                [2, 2],
              ],
              { dtype: 'int32' },
            ),
            wt,
          ),
        [f64([3, 2], 7)],
      ),
    ).toBe(true);
    expect(float64Check((x) => x.norm(), [f64([3, 2], 8)])).toBe(true);
    expect(float64Check((x) => x.norm(1, 1), [f64([3, 2], 9)])).toBe(true);
    expect(float64Check((x) => linalg.vectorNorm(x, 3, 0, true), [f64([3, 2], 10)])).toBe(true);
    expect(float64Check((x) => linalg.vectorNorm(x, Number.POSITIVE_INFINITY, 1), [f64([3, 2], 11)])).toBe(true);
    expect(float64Check((x) => x.abs().add(0.5).log10(), [f64([4], 12)])).toBe(true);
    expect(float64Check((x) => x.abs().add(0.5).log2(), [f64([4], 13)])).toBe(true);
    // The 2-norm's gradient at 0 is 0, as PyTorch's (no NaN).
    const z = zeros([3], { requiresGrad: true });
    z.norm().backward();
    expect(z.grad?.toArray()).toEqual([0, 0, 0]);
  });
});

describe('random streams', () => {
  const R = fx.random;
  it('exponential_ and multinomial draw what PyTorch draws for the same seed', () => {
    manualSeed(7);
    const e32 = empty(6).exponential_();
    const e64 = empty([4], { dtype: 'float64' }).exponential_(2.5);
    expectClose('exponential_() float32', e32, R.exp32, { rtol: 1e-7, atol: 0 });
    expectClose('exponential_(2.5) float64', e64, R.exp64, { rtol: 1e-15, atol: 0 });
    const probs = load(R.probs);
    expectExact('multinomial(p, 1)', multinomial(probs, 1), R.m1);
    expectExact('multinomial(p, 3)', probs.multinomial(3), R.m3);
    expectExact('multinomial(p, 8, true)', multinomial(probs, 8, true), R.mr);
    expectExact('multinomial(1-d, 2)', multinomial(tensor([1.0, 3.0, 0.5]), 2), R.m1d);
    expect(() => multinomial(probs, 5)).toThrow(/cannot sample numSamples > prob_dist.size\(-1\) samples without replacement/);
    expect(() => multinomial(tensor([-1.0, 1.0]), 1)).toThrow(/contains either inf, nan or element < 0/);
  });
});

describe('optim.Adadelta', () => {
  it('trains like PyTorch (positional Adadelta(params, 1.0, 0.9, 1e-6, 0.01) with StepLR(opt, 2, 0.5))', () => {
    const A = fx.adadelta;
    manualSeed(8);
    const model = new nn.Linear(3, 1);
    const x = randn(16, 3);
    const y = randn(16, 1);
    const opt = new optim.Adadelta(model.parameters(), 1.0, 0.9, 1e-6, 0.01);
    const sched = new optim.StepLR(opt, 2, 0.5);
    const losses: number[] = [];
    for (let i = 0; i < 6; i++) {
      opt.zeroGrad();
      const l = nn.F.mseLoss(model.call(x), y);
      l.backward();
      opt.step();
      sched.step();
      losses.push(l.item());
    }
    losses.forEach((l, i) => {
      expect(l).toBeCloseTo(A.losses[i], 5);
    });
    expectClose('weight', model.weight.detach(), A.weight, { rtol: 1e-5, atol: 1e-6 });
    expectClose('bias', (model.bias as Tensor).detach(), A.bias, { rtol: 1e-5, atol: 1e-6 });
    expect(opt.state.get(model.weight)?.step).toBe(6);
  });
});

describe('custom optimizers', () => {
  it('keep per-parameter state with the public stateOf, saved by stateDict()', () => {
    type Opts = { lr: number };
    class SignSGD extends optim.Optimizer<Opts, { steps: number }> {
      constructor(params: Tensor[], lr: number) {
        super(params, { lr });
      }
      protected validate(): void {}
      protected updateGroup(group: optim.ParamGroup<Opts>): void {
        for (const p of group.params) {
          if (p.grad === null) continue;
          this.stateOf(p, () => ({ steps: 0 })).steps += 1;
          p.sub_(p.grad.sign(), group.lr);
        }
      }
    }
    const w = tensor([1.0, -2.0], { requiresGrad: true });
    const opt = new SignSGD([w], 0.5);
    for (let i = 0; i < 2; i++) {
      opt.zeroGrad();
      w.mul(w).sum().backward();
      opt.step();
    }
    expect(w.toArray()).toEqual([0, -1]);
    expect(opt.stateOf(w, () => ({ steps: -1 })).steps).toBe(2);
    expect(opt.stateDict().state).toEqual({ 0: { steps: 2 } });
  });
});
