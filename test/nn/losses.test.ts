// Loss functions and modules against PyTorch 1.13 (test/fixtures/nn.json): value, input gradient
// and (where differentiable) target gradient over a grid of options, within 1e-5 relative
// (+1e-6 absolute; float32, reductions summed in a different order), plus float64 gradchecks.
import { describe, expect, it } from 'vitest';
import { gradcheck, nn, rand, randn, type Tensor, tensor } from '../../src/index.js';
import { expectClose, type Full, fixture, fromFull } from './fixture.js';

// biome-ignore lint/suspicious/noExplicitAny: fixture records
type Rec = any;

const TOL = { rtol: 1e-5, atol: 1e-6 };

function optsOf(o: Rec): Rec {
  const out: Rec = {};
  for (const [k, v] of Object.entries(o)) {
    if (k === 'fn') continue;
    out[k] = v !== null && typeof v === 'object' ? fromFull(v as Full) : v;
  }
  return out;
}

const FNS: Record<string, (x: Tensor, t: Tensor, o: Rec) => Tensor> = {
  mseLoss: nn.F.mseLoss,
  l1Loss: nn.F.l1Loss,
  crossEntropy: nn.F.crossEntropy,
  nllLoss: nn.F.nllLoss,
  binaryCrossEntropy: nn.F.binaryCrossEntropy,
  binaryCrossEntropyWithLogits: nn.F.binaryCrossEntropyWithLogits,
};

const MODULES: Record<string, (o: Rec) => nn.Module<[Tensor, Tensor], Tensor>> = {
  mseLoss: (o) => new nn.MSELoss(o),
  l1Loss: (o) => new nn.L1Loss(o),
  crossEntropy: (o) => new nn.CrossEntropyLoss(o),
  nllLoss: (o) => new nn.NLLLoss(o),
  binaryCrossEntropy: (o) => new nn.BCELoss(o),
  binaryCrossEntropyWithLogits: (o) => new nn.BCEWithLogitsLoss(o),
};

describe('losses match PyTorch (functional and module forms)', () => {
  for (const rec of fixture.losses as Rec[]) {
    it(rec.name, () => {
      for (const form of ['functional', 'module'] as const) {
        const o = optsOf(rec.opts);
        const x = fromFull(rec.input, { requiresGrad: true });
        const t = fromFull(rec.target, { requiresGrad: rec.gradTarget !== undefined });
        const y = form === 'functional' ? FNS[rec.opts.fn](x, t, o) : MODULES[rec.opts.fn](o).call(x, t);
        expectClose(y, rec.output, TOL, `${form} value`);
        y.backward(fromFull(rec.gradOutput));
        expectClose(x.grad, rec.gradInput, TOL, `${form} grad input`);
        if (rec.gradTarget) expectClose(t.grad, rec.gradTarget, TOL, `${form} grad target`);
      }
    });
  }
});

describe('float64 gradcheck', () => {
  const f64 = { dtype: 'float64' as const };
  const x = () => randn([4, 3], f64).mul(2).detach().requiresGrad_(true);
  const labels = tensor([0, 2, 1, 2], { dtype: 'int32' });
  const w = rand([3], f64).add(0.5);
  for (const reduction of ['mean', 'sum', 'none'] as const) {
    it(`reduction ${reduction}`, () => {
      const y = randn([4, 3], f64).detach().requiresGrad_(true);
      const probs = rand([4, 3], f64).mul(0.9).add(0.05).detach().requiresGrad_(true);
      const target01 = rand([4, 3], f64).detach().requiresGrad_(true);
      const softTarget = rand([4, 3], f64).softmax(1).detach().requiresGrad_(true);
      const ok = (r: { ok: boolean }) => expect(r.ok).toBe(true);
      ok(gradcheck((a, b) => nn.F.mseLoss(a, b, { reduction }), [x(), y]));
      ok(gradcheck((a) => nn.F.l1Loss(a, y.detach(), { reduction }), [x()]));
      ok(gradcheck((a) => nn.F.crossEntropy(a, labels, { reduction, weight: w, labelSmoothing: 0.1, ignoreIndex: 1 }), [x()]));
      ok(gradcheck((a, b) => nn.F.crossEntropy(a, b, { reduction, weight: w, labelSmoothing: 0.2 }), [x(), softTarget]));
      ok(gradcheck((a) => nn.F.nllLoss(a.logSoftmax(1), labels, { reduction, weight: w }), [x()]));
      ok(gradcheck((a, b) => nn.F.binaryCrossEntropy(a, b, { reduction, weight: w }), [probs, target01]));
      ok(
        gradcheck(
          (a, b) => nn.F.binaryCrossEntropyWithLogits(a, b, { reduction, weight: w, posWeight: tensor([0.5, 1, 3], f64) }),
          [x(), target01],
        ),
      );
      ok(gradcheck((a, b) => nn.F.binaryCrossEntropyWithLogits(a, b, { reduction }), [x(), target01]));
    });
  }
});

describe('numerical edge cases and errors', () => {
  it('cross-entropy and BCE-with-logits stay finite for huge logits', () => {
    const f32 = { dtype: 'float32' as const };
    const big = tensor([[1e30, -1e30, 0]], f32);
    expect(nn.F.crossEntropy(big, tensor([0], { dtype: 'int32' })).item()).toBe(0);
    expect(nn.F.crossEntropy(big, tensor([1], { dtype: 'int32' })).item()).toBe(Math.fround(1e30) * 2);
    const z = tensor([1e30, -1e30, 1e4, -1e4], f32);
    const t = tensor([1, 0, 0, 1], f32);
    expect(Array.from(nn.F.binaryCrossEntropyWithLogits(z, t, { reduction: 'none' }).data)).toEqual([0, 0, 1e4, 1e4]);
  });

  it('BCE clamps log at -100 and rejects inputs outside [0, 1]', () => {
    const f32 = { dtype: 'float32' as const };
    expect(nn.F.binaryCrossEntropy(tensor([0, 1], f32), tensor([1, 0], f32), { reduction: 'none' }).toArray()).toEqual([100, 100]);
    expect(() => nn.F.binaryCrossEntropy(tensor([1.5]), tensor([1], f32))).toThrow(/between 0 and 1/);
    expect(() => nn.F.binaryCrossEntropy(tensor([0.5, 0.5]), tensor([1], f32))).toThrow(/different to the input size/);
    expect(() => nn.F.binaryCrossEntropy(tensor([1, 0], { dtype: 'int32' }), tensor([1, 0], f32))).toThrow(/floating-point/);
  });

  it('nll/cross-entropy validate targets, weights and reductions', () => {
    const x = randn([3, 4]);
    expect(() => nn.F.crossEntropy(x, tensor([0, 4, 1], { dtype: 'int32' }))).toThrow(/Target 4 is out of bounds/);
    expect(() => nn.F.crossEntropy(x, tensor([0, 1], { dtype: 'int32' }))).toThrow(/batch_size \(3\) to match target batch_size \(2\)/);
    expect(() => nn.F.nllLoss(x, tensor([0.0, 1.5, 1]))).toThrow(/int32 tensor of class indices/);
    expect(() => nn.F.crossEntropy(x, tensor([0, 1, 1], { dtype: 'int32' }), { weight: rand([3]) })).toThrow(/all 4 classes/);
    expect(() => nn.F.mseLoss(x, x, { reduction: 'avg' as 'mean' })).toThrow(/not a valid value for reduction/);
    expect(() => nn.F.crossEntropy(x, tensor([0, 1, 1], { dtype: 'int32' }), { labelSmoothing: 1.5 })).toThrow(/between 0.0 and 1.0/);
    // Every target ignored: 0/0 like PyTorch.
    expect(Number.isNaN(nn.F.crossEntropy(x, tensor([-100, -100, -100], { dtype: 'int32' })).item())).toBe(true);
  });

  it('loss weights are buffers (in the state dict), like PyTorch', () => {
    const m = new nn.CrossEntropyLoss({ weight: tensor([1, 2, 3]) });
    expect(Object.keys(m.stateDict())).toEqual(['weight']);
    expect(Object.keys(new nn.BCEWithLogitsLoss({ posWeight: tensor([2]) }).stateDict())).toEqual(['pos_weight']);
    expect(m.parameters()).toHaveLength(0);
  });
});
