// Default initialization and torch.nn.init, compared bit for bit with PyTorch 1.13
// (test/fixtures/nn.json from tools/gen_nn_fixtures.py): exact float32 equality everywhere except
// float64 normal samples, whose libm log/sin/cos may differ by ≤ 2 ulp (see src/random/distributions.ts).
import { describe, expect, it } from 'vitest';
import { alexnet } from '../../src/analysis/models.js';
import { empty, Generator, manualSeed, nn, rand, type Tensor } from '../../src/index.js';
import { ulpDistance } from '../random/fixture.js';
import { expectExact, expectSummary, type Full, fixture } from './fixture.js';

const init = fixture.init;

describe('default initialization matches PyTorch bit for bit (manualSeed)', () => {
  it('Linear(4, 4)', () => {
    manualSeed(0);
    const m = new nn.Linear(4, 4);
    expectExact(m.weight, init.linear_4_4.weight, 'weight');
    expectExact(m.bias as Tensor, init.linear_4_4.bias, 'bias');
  });

  it('Linear(6400, 800)', () => {
    manualSeed(0);
    const m = new nn.Linear(6400, 800);
    expectSummary(m.weight, init.linear_6400_800.weight, 'weight');
    expectExact(m.bias as Tensor, init.linear_6400_800.bias, 'bias');
  });

  it('Conv2d(1, 96, 4)', () => {
    manualSeed(0);
    const m = new nn.Conv2d(1, 96, 4);
    expectExact(m.weight, init.conv_1_96_4.weight, 'weight');
    expectExact(m.bias as Tensor, init.conv_1_96_4.bias, 'bias');
  });

  it('Conv2d(96, 256, 5, { padding: 2 })', () => {
    manualSeed(0);
    const m = new nn.Conv2d(96, 256, 5, { padding: 2 });
    expectSummary(m.weight, init.conv_96_256_5_p2.weight, 'weight');
    expectExact(m.bias as Tensor, init.conv_96_256_5_p2.bias, 'bias');
  });

  it('several modules continue one stream (grouped non-square conv without bias, Linear, float64 conversion)', () => {
    const c = init.chain_seed1;
    manualSeed(1);
    const a = new nn.Conv2d(4, 6, [2, 3], { groups: 2, bias: false });
    const b = new nn.Linear(3, 2, { bias: false });
    const l = new nn.Linear(7, 5).double();
    const r = rand([3]);
    expectExact(a.weight, c.conv_4_6_2x3_g2_nobias, 'conv weight');
    expectExact(b.weight, c.linear_3_2_nobias, 'linear weight');
    expect(l.weight.dtype).toBe('float64');
    expectExact(l.weight, c.linear_7_5_double.weight, 'double weight');
    expectExact(l.bias as Tensor, c.linear_7_5_double.bias, 'double bias');
    expect(Array.from(r.data)).toEqual(c.rand3);
  });

  it('layers created in float64 (53-bit uniforms)', () => {
    const f = init.float64_seed4;
    manualSeed(4);
    const m = new nn.Linear(5, 3, { dtype: 'float64' });
    const c = new nn.Conv2d(2, 3, 2, { dtype: 'float64' });
    expectExact(m.weight, f.linear_5_3.weight, 'linear weight');
    expectExact(m.bias as Tensor, f.linear_5_3.bias, 'linear bias');
    expectExact(c.weight, f.conv_2_3_2.weight, 'conv weight');
    expectExact(c.bias as Tensor, f.conv_2_3_2.bias, 'conv bias');
  });

  it('a custom module (Conv2d, BatchNorm2d, Parameter, Sequential head): every stateDict entry', () => {
    class Net extends nn.Module {
      conv = new nn.Conv2d(1, 4, 3, { padding: 1 });
      bn = new nn.BatchNorm2d(4);
      scale = new nn.Parameter(empty([1]).fill_(1));
      head = new nn.Sequential(new nn.Flatten(), new nn.Linear(4 * 4 * 4, 3));
    }
    manualSeed(2);
    const sd = new Net().stateDict();
    const want = init.net_seed2 as Record<string, Full>;
    // stateDict() uses PyTorch's names (bn.running_mean), so the keys compare directly.
    expect(Object.keys(sd)).toEqual(Object.keys(want));
    for (const [k, v] of Object.entries(want)) expectExact(sd[k], v, k);
  });

  it('the exercise-6 AlexNet: every parameter, in order (8,925,738 values)', () => {
    manualSeed(0);
    const model = alexnet();
    const params = [...model.namedParameters()];
    const want = init.alexnet.params as ({ name: string } & Parameters<typeof expectSummary>[1])[];
    expect(params.map(([n]) => n)).toEqual(want.map((p) => p.name));
    for (const [i, [n, p]] of params.entries()) expectSummary(p, want[i], n);
    expect(model.numParameters()).toBe(8925738);
    expect(init.alexnet.numel).toBe(8925738);
  });

  it('a Generator passed to the layer is used instead of the global one', () => {
    const g1 = new Generator().manualSeed(0);
    manualSeed(99);
    const m = new nn.Linear(4, 4, { generator: g1 });
    expectExact(m.weight, init.linear_4_4.weight, 'weight');
    expectExact(m.bias as Tensor, init.linear_4_4.bias, 'bias');
    const w = nn.init.uniform_(empty([5, 3]), -0.25, 0.25, { generator: new Generator().manualSeed(5) });
    expectExact(w, init.uniform_gen5);
  });
});

describe('torch.nn.init functions', () => {
  // biome-ignore lint/suspicious/noExplicitAny: fixture records
  const run = (c: any): Tensor => {
    manualSeed(c.seed);
    const t = empty(c.shape, { dtype: c.dtype });
    const a = c.args;
    switch (c.name) {
      case 'uniform_':
        return nn.init.uniform_(t, a.a, a.b);
      case 'normal_':
        return nn.init.normal_(t, a.mean, a.std);
      case 'constant_':
        return nn.init.constant_(t, a.val);
      case 'zeros_':
        return nn.init.zeros_(t);
      case 'ones_':
        return nn.init.ones_(t);
      case 'xavierUniform_':
        return nn.init.xavierUniform_(t, a.gain);
      case 'xavierNormal_':
        return nn.init.xavierNormal_(t, { gain: a.gain });
      case 'kaimingUniform_':
        return nn.init.kaimingUniform_(t, a);
      case 'kaimingNormal_':
        return nn.init.kaimingNormal_(t, a);
      default:
        throw new Error(c.name);
    }
  };
  for (const c of fixture.initFns) {
    it(`${c.name} ${c.dtype} [${c.shape}] ${JSON.stringify(c.args)}`, () => {
      const t = run(c);
      if (c.dtype === 'float64' && c.name.endsWith('Normal_')) {
        const worst = Math.max(...Array.from(t.data, (v, i) => ulpDistance(v, c.values[i])));
        expect(worst).toBeLessThanOrEqual(2);
      } else {
        expectExact(t, c);
      }
    });
  }

  it('calculateGain', () => {
    for (const g of fixture.gains) expect(nn.init.calculateGain(g.nonlinearity, g.param)).toBe(g.gain);
    expect(nn.init.calculateGain('leakyRelu', 0.2)).toBe(nn.init.calculateGain('leaky_relu', 0.2));
    expect(() => nn.init.calculateGain('softplus' as 'relu')).toThrow(/unsupported nonlinearity/);
  });

  it('runs under noGrad on parameters, rejects <2-d fans, and rejects bad modes', () => {
    const p = new nn.Parameter(empty([3, 4]));
    expect(() => nn.init.kaimingUniform_(p)).not.toThrow();
    expect(p.requiresGrad).toBe(true);
    expect(p.gradFn).toBeNull();
    expect(() => nn.init.xavierUniform_(empty([3]))).toThrow(/fewer than 2 dimensions/);
    expect(() => nn.init.kaimingNormal_(empty([3, 3]), { mode: 'fan_avg' as 'fan_in' })).toThrow(/fan_in, fan_out/);
    expect(nn.init.calculateFanInAndFanOut(empty([8, 3, 5, 5]))).toEqual([75, 200]);
  });
});
