// PyTorch's positional signatures give PyTorch's results (fixtures from
// tools/gen_fluency_fixtures.py); the options form gives the same; anything else is an error.
import { describe, expect, it } from 'vitest';
import { linalg, manualSeed, nn, optim, rand, randint, randn, type Tensor } from '../../src/index.js';
import { expectClose, expectExact, fx, load } from './fixture.js';

const { F } = nn;
/** The function with its argument types erased, to call it the wrong way on purpose. */
const loose = (f: unknown) => f as (...args: unknown[]) => unknown;
const P = fx.positional;
const x = load(P.x);

describe('reductions take PyTorch positional arguments', () => {
  it.each([
    ['sum(1)', () => x.sum(1), P.sum1],
    ['sum(1, true)', () => x.sum(1, true), P.sum1keep],
    ['sum([0, 1])', () => x.sum([0, 1]), P.sum01],
    ['mean(1)', () => x.mean(1), P.mean1],
    ['mean(0, { keepdim: true })', () => x.mean(0, { keepdim: true }), P.mean0keep],
    ['argmax(1)', () => x.argmax(1), P.argmax1],
    ['argmin(0, true)', () => x.argmin(0, true), P.argmin0keep],
    ['max(1).values', () => x.max(1).values, P.max1_values],
    ['max(1).indices', () => x.max(1).indices, P.max1_indices],
    ['min(0, true)[0]', () => x.min(0, true)[0], P.min0keep_values],
    ['min(0, true)[1]', () => x.min(0, true)[1], P.min0keep_indices],
    ['std(0)', () => x.std(0), P.std0],
    ['std(0, false)', () => x.std(0, false), P.std0_biased],
    ['var(1, true, true)', () => x.var(1, true, true), P.var1_keep],
    ['std(false)', () => x.std(false), P.std_all_biased],
    ['logsumexp(1)', () => x.logsumexp(1), P.logsumexp1],
    ['prod(1)', () => x.prod(1), P.prod1],
    ['F.logSoftmax(x, 1)', () => F.logSoftmax(x, 1), P.logSoftmax1],
    ['softmax(0)', () => x.softmax(0), P.softmax0],
    ['norm()', () => x.norm(), P.norm],
    ['norm(1, 1)', () => x.norm(1, 1), P.norm_1_dim1],
    ['norm(2, 0, true)', () => x.norm(2, 0, true), P.norm_2_dim0_keep],
    ['linalg.vectorNorm(x, Infinity, 1)', () => linalg.vectorNorm(x, Number.POSITIVE_INFINITY, 1), P.vector_norm_inf_1],
    ['linalg.vectorNorm(x, 3)', () => linalg.vectorNorm(x, 3), P.vector_norm_3],
    ['abs().log10()', () => x.abs().log10(), P.log10],
    ['abs().log2()', () => x.abs().log2(), P.log2],
  ] as [string, () => Tensor, never][])('%s', (what, f, want) => {
    const r = f();
    if (r.dtype === 'int32') expectExact(what, r, want);
    else expectClose(what, r, want);
  });

  it('the options form gives the same tensors as the positional form', () => {
    expect(x.sum({ dim: 1, keepdim: true }).toArray()).toEqual(x.sum(1, true).toArray());
    expect(x.argmax({ dim: 1 }).toArray()).toEqual(x.argmax(1).toArray());
    expect(x.max({ dim: 1 }).values.toArray()).toEqual(x.max(1).values.toArray());
    expect(x.std({ dim: 0, correction: 0 }).toArray()).toEqual(x.std(0, false).toArray());
    const [values, indices] = x.max(1);
    expect(values.toArray()).toEqual(x.max(1).values.toArray());
    expect(indices.dtype).toBe('int32');
    expect(x.max(x.neg()).toArray()).toEqual(x.abs().toArray());
  });

  it('reject what they do not understand, naming the function and the accepted forms', () => {
    expect(() => x.sum({ dims: 1 } as never)).toThrow(
      /sum: unknown option 'dims' \(valid options: dim, keepdim\)\. Accepted forms: sum\(dim\?, keepdim\?\)/,
    );
    expect(() => loose(x.sum).call(x, 1, true, 3)).toThrow(/sum: takes at most 2 positional arguments \(dim, keepdim\) but got 3/);
    expect(() => x.mean('1' as never)).toThrow(/mean: dim must be an integer, an array of integers or null \(got the string '1'\)/);
    expect(() => x.argmax(1, { keepdim: true, dim: 0 } as never)).toThrow(/argmax: dim given both positionally and as an option/);
    expect(() => x.max(1, 'yes' as never)).toThrow(/max: keepdim must be a boolean/);
    expect(() => x.max(undefined as never, true)).toThrow(/max: keepdim needs a dim/);
    expect(() => loose(F.logSoftmax)(x)).toThrow(/logSoftmax: dim is required/);
    expect(() => x.std(0, { correction: 0, unbiased: true })).toThrow(/either unbiased or correction/);
  });
});

describe('layers, functional forms, schedulers and random creation take positional arguments', () => {
  const L = fx.layers;
  it('Conv2d(1,4,3,2), Conv2d(4,3,3,1,1), BatchNorm2d(3,1e-3), MaxPool2d(3,2), Dropout(0.25), Linear(3,2,false) match PyTorch', () => {
    manualSeed(1);
    const convS2 = new nn.Conv2d(1, 4, 3, 2);
    const convP1 = new nn.Conv2d(4, 3, 3, 1, 1);
    const lin = new nn.Linear(3, 2, false);
    const pool = new nn.MaxPool2d(3, 2);
    const bn = new nn.BatchNorm2d(3, 1e-3);
    const drop = new nn.Dropout(0.25);
    expect([convS2.stride, convP1.padding, lin.bias, pool.stride, bn.eps, drop.p]).toEqual([[2, 2], [1, 1], null, 2, 1e-3, 0.25]);
    const img = randn(2, 1, 9, 9);
    const y1 = convS2.call(img);
    const y2 = convP1.call(y1);
    const y3 = bn.call(y2);
    const y4 = pool.call(y3);
    const y5 = drop.call(y4.flatten(1));
    expectClose('Conv2d(1, 4, 3, 2)', y1, L.conv_s2_out);
    expectClose('Conv2d(4, 3, 3, 1, 1)', y2, L.conv_p1_out);
    expectClose('BatchNorm2d(3, 1e-3)', y3, L.bn_out, { rtol: 1e-4, atol: 1e-5 });
    expectClose('MaxPool2d(3, 2)', y4, L.pool_out, { rtol: 1e-4, atol: 1e-5 });
    expectClose('Dropout(0.25)', y5, L.dropout_out, { rtol: 1e-4, atol: 1e-5 });
    expectClose('Linear(3, 2, false)', lin.call(y5), L.linear_out, { rtol: 1e-4, atol: 1e-5 });
    expectClose('F.maxPool2d(x, 2)', F.maxPool2d(y3, 2), L.F_maxPool2d, { rtol: 1e-4, atol: 1e-5 });
    expectClose('F.dropout(x, 0.5)', F.dropout(y3, 0.5), L.F_dropout, { rtol: 1e-4, atol: 1e-5 });
    expectClose('F.dropout(x, 0.5, false)', F.dropout(y3, 0.5, false), L.F_dropout_eval, { rtol: 1e-4, atol: 1e-5 });
    const opt = new optim.SGD(lin.parameters(), 0.1, 0.9);
    const sched = new optim.StepLR(opt, 1, 0.7);
    const lrs: number[] = [];
    for (let i = 0; i < 4; i++) {
      opt.step();
      sched.step();
      lrs.push(opt.paramGroups[0].lr);
    }
    lrs.forEach((lr, i) => {
      expect(lr).toBeCloseTo(L.steplr[i], 15);
    });
  });

  it('randn(3, 4), randint(0, 10, [32]), randint(10, [5]) and rand(2, 3) draw PyTorch streams', () => {
    manualSeed(2);
    expectExact('randn(3, 4)', randn(3, 4), L.randn_3_4);
    expectExact('randint(0, 10, [32])', randint(0, 10, [32]), L.randint_0_10_32);
    expectExact('randint(10, [5])', randint(10, [5]), L.randint_10_5);
    expectExact('rand(2, 3)', rand(2, 3), L.rand_2_3);
    manualSeed(2);
    randn([3, 4]);
    expect(randint(0, 10, 32).toArray()).toEqual(L.randint_0_10_32.data);
  });

  it('F.conv2d(x, w, b, stride, padding), F.avgPool2d(x, k, s) and F.batchNorm(x, rm, rv, w, b, training) equal their options forms', () => {
    manualSeed(3);
    const img = randn(1, 2, 6, 6);
    const w = randn(3, 2, 3, 3);
    const b = randn(3);
    expect(F.conv2d(img, w, b, 2, 1).toArray()).toEqual(F.conv2d(img, w, b, { stride: 2, padding: 1 }).toArray());
    expect(F.avgPool2d(img, 3, 2).toArray()).toEqual(F.avgPool2d(img, { kernelSize: 3, stride: 2 }).toArray());
    const rm = randn(2);
    const rv = rand(2).add(0.5);
    expect(F.batchNorm(img, rm, rv, null, null, false, 0.1, 1e-3).toArray()).toEqual(
      F.batchNorm(img, rm, rv, null, null, { training: false, momentum: 0.1, eps: 1e-3 }).toArray(),
    );
    expect(() => loose(F.conv2d)(img, w, b, 1, 1, 1, 1, 9)).toThrow(/conv2d: takes at most 4 positional arguments/);
  });

  it('constructors reject unknown options and surplus arguments, naming the accepted forms', () => {
    expect(() => new nn.Conv2d(1, 4, 3, { strides: 2 } as never)).toThrow(
      /Conv2d: unknown option 'strides'.*Accepted forms: Conv2d\(inChannels, outChannels, kernelSize, stride\?/,
    );
    expect(() => new nn.Linear(4, 2, false, true as never)).toThrow(
      /Linear: an options object|Linear: takes at most 3 positional arguments/,
    );
    expect(() => new (nn.MaxPool2d as unknown as new (...a: unknown[]) => unknown)(3, 2, 0, 1, false, false, 9)).toThrow(
      /MaxPool2d: takes at most 6 positional arguments/,
    );
    expect(() => new nn.BatchNorm2d(3, { epsilon: 1e-3 } as never)).toThrow(/BatchNorm2d: unknown option 'epsilon'/);
    expect(() => new nn.Dropout({ prob: 0.5 } as never)).toThrow(/Dropout: unknown option 'prob'/);
    const p = [new nn.Parameter(randn(2))];
    expect(() => new optim.SGD(p, { lr: 0.1, momentun: 0.9 } as never)).toThrow(/SGD: unknown option 'momentun'/);
    expect(() => new optim.Adam(p, 0.1, [0.9] as never)).toThrow(/Adam: betas must be a \[number, number\] pair/);
    expect(() => new optim.StepLR(new optim.SGD(p, 0.1), 1, { gama: 0.7 } as never)).toThrow(/StepLR: unknown option 'gama'/);
    expect(() => randn(3, { dtyp: 'float64' } as never)).toThrow(/randn: unknown option 'dtyp'/);
    expect(() => randint(0, 10)).toThrow(/randint: low \(0\) must be less than high \(0\)/);
    expect(() => randint(5, [2], { low: 1 } as never)).toThrow(/randint: unknown option 'low'/);
    expect(() => loose(F.maxPool2d)(randn(1, 1, 4, 4))).toThrow(/maxPool2d: kernelSize is required/);
    expect(() => F.dropout(randn(2), { prob: 0.5 } as never)).toThrow(/dropout: unknown option 'prob'/);
  });
});
