// Layer modules against PyTorch 1.13 (test/fixtures/nn.json): outputs, input gradients and
// parameter gradients for small inputs, with PyTorch's parameters loaded. Tolerances per family:
// elementwise activations 1e-6 relative (+1e-7 absolute); Linear/Conv2d/BatchNorm and pooling
// averages 1e-5 relative (+1e-6 absolute, float32 accumulation order differs); max pooling,
// flatten, identity and dropout masks exactly.
import { describe, expect, it } from 'vitest';
import { alexnet } from '../../src/analysis/models.js';
import { Generator, gradcheck, manualSeed, nn, noGrad, rand, randn, type Tensor } from '../../src/index.js';
import { expectClose, expectExact, type Full, fixture, fromFull } from './fixture.js';

// biome-ignore lint/suspicious/noExplicitAny: fixture records
type Rec = any;

function build(desc: Rec): nn.Module<[Tensor], Tensor | [Tensor, Tensor]> {
  const a = desc.args ?? [];
  const o = desc.opts ?? {};
  switch (desc.type) {
    case 'Linear':
      return new nn.Linear(a[0], a[1], o);
    case 'Conv2d':
      return new nn.Conv2d(a[0], a[1], a[2], o);
    case 'MaxPool2d':
      return new nn.MaxPool2d(a[0], o);
    case 'AvgPool2d':
      return new nn.AvgPool2d(a[0], o);
    case 'AdaptiveAvgPool2d':
      return new nn.AdaptiveAvgPool2d(a[0]);
    case 'BatchNorm1d':
      return new nn.BatchNorm1d(a[0], o);
    case 'BatchNorm2d':
      return new nn.BatchNorm2d(a[0], o);
    case 'Dropout':
      return new nn.Dropout(a[0]);
    case 'ReLU':
      return new nn.ReLU();
    case 'LeakyReLU':
      return new nn.LeakyReLU(a[0]);
    case 'Sigmoid':
      return new nn.Sigmoid();
    case 'Tanh':
      return new nn.Tanh();
    case 'GELU':
      return new nn.GELU(o);
    case 'Softmax':
      return new nn.Softmax(a[0]);
    case 'LogSoftmax':
      return new nn.LogSoftmax(a[0]);
    case 'Flatten':
      return new nn.Flatten();
    case 'Identity':
      return new nn.Identity();
    default:
      throw new Error(`unknown layer ${desc.type}`);
  }
}

function tolFor(type: string): { rtol: number; atol: number } | 'exact' {
  if (['MaxPool2d', 'Flatten', 'Identity', 'ReLU'].includes(type)) return 'exact';
  // PyTorch's float32 GELU loses up to 3.3e-7 absolute to cancellation in 1 + erf(x/√2) for
  // negative x; nabla computes it in double (see the float64 comparison below).
  if (type === 'GELU') return { rtol: 1e-6, atol: 1e-6 };
  if (['LeakyReLU', 'Sigmoid', 'Tanh', 'Softmax', 'LogSoftmax', 'Dropout'].includes(type)) return { rtol: 1e-6, atol: 1e-7 };
  // Sums of O(1) products: PyTorch's float32 results themselves carry ~3e-6 absolute error here.
  return { rtol: 1e-5, atol: 1e-5 };
}

/**
 * Tolerances against float64: elementwise kernels computed in double are within 2 float32 ulps;
 * float32 op chains (softmax, gradients) within 1e-6 relative; accumulations (matmul, conv,
 * batch-norm statistics, pooling averages) within 1e-5 relative + 1e-6 absolute.
 */
function tol64(type: string) {
  if (['GELU', 'LeakyReLU', 'Sigmoid', 'Tanh', 'ReLU', 'MaxPool2d', 'Flatten', 'Identity'].includes(type)) {
    return { out: { rtol: 2 ** -22, atol: 1e-12 }, grad: { rtol: 1e-6, atol: 1e-7 } };
  }
  if (type === 'Softmax' || type === 'LogSoftmax') return { out: { rtol: 1e-6, atol: 1e-7 }, grad: { rtol: 1e-5, atol: 1e-7 } };
  return { out: { rtol: 1e-5, atol: 1e-6 }, grad: { rtol: 1e-5, atol: 1e-6 } };
}

function check(actual: Tensor | null, expected: Full, type: string, what: string): void {
  const tol = tolFor(type);
  if (tol === 'exact') expectExact(actual as Tensor, expected, what);
  else expectClose(actual, expected, tol, what);
}

function loadState(m: nn.Module, rec: Rec): void {
  const sd: Record<string, Tensor> = {};
  for (const [k, v] of Object.entries(rec.params as Record<string, Full>)) sd[k] = fromFull(v);
  for (const [k, v] of Object.entries(rec.buffersBefore as Record<string, Full>)) sd[k] = fromFull(v);
  m.loadStateDict(sd);
}

/** Runs one recorded step: forward, backward with the recorded upstream gradient, compare. */
function step(m: nn.Module<[Tensor], Tensor | [Tensor, Tensor]>, rec: Rec, type: string): void {
  m.train(rec.training);
  m.zeroGrad();
  const x = fromFull(rec.input, { requiresGrad: true });
  let y = m.call(x);
  if (Array.isArray(y)) {
    expectExact(y[1], rec.indices, 'indices');
    y = y[0];
  }
  check(y, rec.output, type, 'output');
  y.backward(fromFull(rec.gradOutput));
  check(x.grad, rec.gradInput, type, 'grad input');
  if (rec.output64) {
    // Against the same computation in float64 (PyTorch, from the same float32 values).
    const t64 = tol64(type);
    expectClose(y, rec.output64, t64.out, 'output vs float64');
    expectClose(x.grad, rec.gradInput64, t64.grad, 'grad input vs float64');
    const ps = Object.fromEntries(m.namedParameters());
    for (const [k, v] of Object.entries(rec.gradParams64 as Record<string, Full>))
      expectClose(ps[k].grad, v, t64.grad, `grad ${k} vs float64`);
  }
  const params = Object.fromEntries(m.namedParameters());
  for (const [k, v] of Object.entries(rec.gradParams as Record<string, Full>))
    check(params[k].grad, v, type === 'Conv2d' ? 'Conv2d' : 'Linear', `grad ${k}`);
  const bufs = Object.fromEntries(m.namedBuffers());
  for (const [k, v] of Object.entries(rec.buffersAfter as Record<string, Full>)) {
    const name = k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    if (v.dtype === 'int64') expectExact(bufs[name], v, name);
    else expectClose(bufs[name], v, { rtol: 1e-5, atol: 1e-6 }, name);
  }
}

describe('layers match PyTorch (forward, input and parameter gradients)', () => {
  for (const rec of fixture.layers as Rec[]) {
    it(rec.name, () => {
      const m = build(rec.module);
      loadState(m, rec);
      step(m, rec, rec.module.type);
    });
  }
});

describe('BatchNorm: training steps update running statistics, eval uses them', () => {
  for (const seq of fixture.batchnorm as Rec[]) {
    it(seq.name, () => {
      const m = build(seq.module);
      loadState(m, seq.steps[0]);
      for (const s of seq.steps) step(m, s, seq.module.type);
    });
  }

  it('checks input dims and channel counts', () => {
    expect(() => new nn.BatchNorm2d(3).call(randn([2, 3, 4]))).toThrow('BatchNorm2d: expected 4D input (got 3D input)');
    expect(() => new nn.BatchNorm1d(3).call(randn([2, 3, 4, 4]))).toThrow('BatchNorm1d: expected 2D or 3D input (got 4D input)');
    expect(() => new nn.BatchNorm1d(3).call(randn([2, 4]))).toThrow(/expected 3 channels/);
  });
});

describe('Dropout draws the same mask as PyTorch', () => {
  for (const rec of fixture.dropout as Rec[]) {
    it(rec.name, () => {
      const m = build(rec.module);
      if (rec.module.eval) m.eval();
      if (rec.module.seed !== undefined) manualSeed(rec.module.seed);
      const x = fromFull(rec.input, { requiresGrad: true });
      const y = m.call(x) as Tensor;
      expectExact(y, rec.output, 'output');
      y.backward(fromFull(rec.gradOutput));
      expectExact(x.grad as Tensor, rec.gradInput, 'grad input');
      if (rec.module.eval) expect(y).toBe(x);
    });
  }

  it('uses its own generator when given one', () => {
    const rec = fixture.dropout[0];
    manualSeed(12345);
    const m = new nn.Dropout(0.5, { generator: new Generator().manualSeed(0) });
    expectExact(m.call(fromFull(rec.input)) as Tensor, rec.output, 'output');
    expect(() => new nn.Dropout(1.5)).toThrow(/between 0 and 1/);
  });
});

describe('AlexNet (exercise 6) forward', () => {
  it('eval-mode logits for two images equal PyTorch within 1e-5 relative (+1e-7 absolute; measured 4.2e-6)', () => {
    const f = fixture.alexnetForward;
    manualSeed(f.seedModel);
    const model = alexnet().eval();
    manualSeed(f.seedInput);
    const input = rand(f.input.shape);
    const y = noGrad(() => model.call(input));
    expectClose(y, f.output, { rtol: 1e-5, atol: 1e-7 }, 'logits');
  });
});

describe('float64 gradcheck of nn-owned ops', () => {
  it('Linear (module), LeakyReLU, GELU (both forms)', () => {
    const lin = new nn.Linear(3, 2, { dtype: 'float64' });
    const x = randn([4, 3], { dtype: 'float64', requiresGrad: true });
    expect(gradcheck((t) => lin.call(t), [x]).ok).toBe(true);
    expect(gradcheck((t) => nn.F.leakyRelu(t, 0.3), [x]).ok).toBe(true);
    const wide = randn([30], { dtype: 'float64' }).mul(3).detach().requiresGrad_(true);
    expect(gradcheck((t) => nn.F.gelu(t), [wide]).ok).toBe(true);
    expect(gradcheck((t) => nn.F.gelu(t, 'tanh'), [wide]).ok).toBe(true);
  });

  it('erf equals math.erf to ≤ 1 ulp', async () => {
    const { ulpDistance } = await import('../random/fixture.js');
    for (const [x, e] of fixture.erf as [number, number][]) expect(ulpDistance(nn.F.erf(x), e), `erf(${x})`).toBeLessThanOrEqual(1);
  });
});

describe('layer argument errors', () => {
  it('Conv2d validates its configuration', () => {
    expect(() => new nn.Conv2d(3, 4, 3, { groups: 2 })).toThrow('Conv2d: in_channels (3) must be divisible by groups (2)');
    expect(() => new nn.Conv2d(4, 3, 3, { groups: 2 })).toThrow('Conv2d: out_channels (3) must be divisible by groups (2)');
    expect(() => new nn.Conv2d(1, 1, 3, { padding: 'same', stride: 2 })).toThrow(/not supported for strided convolutions/);
    expect(() => new nn.Conv2d(1, 1, 0)).toThrow(/kernelSize/);
  });

  it('Linear names the mismatched shapes', () => {
    expect(() => new nn.Linear(4, 2).call(randn([3, 5]))).toThrow(/input \[3, 5\] and weight \[2, 4\]/);
  });

  it('MaxPool2d<true> returns [output, indices]', () => {
    const [out, idx] = new nn.MaxPool2d(2, { returnIndices: true }).call(randn([1, 1, 4, 4]));
    expect(out.shape).toEqual([1, 1, 2, 2]);
    expect(idx.dtype).toBe('int32');
  });
});
