import { describe, expect, it } from 'vitest';
import { Generator, gradcheck, rand, type Tensor, tensor, zeros } from '../../src/index.js';
import { type Conv2dOptions, conv2d } from '../../src/ops/conv.js';
import { backwardWeighted, expectClose, fixture, makeInputs, tolFor } from './conv-fixture.js';
import { checkDoubleBackward } from './double-backward.js';

const sym = (shape: number[], gen: Generator, dtype: 'float32' | 'float64' = 'float64', requiresGrad = true): Tensor => {
  const t = rand(shape, { generator: gen, dtype }).mul(2).sub(1);
  return requiresGrad ? t.requiresGrad_(true) : t;
};

/** Straight-from-the-definition conv2d on float64 arrays (the test oracle for large shapes). */
function naiveConv(
  x: Tensor,
  w: Tensor,
  b: Tensor | null,
  s: [number, number],
  pad: [number, number],
  d: [number, number],
  groups: number,
): { out: Float64Array; shape: number[] } {
  const [N, C, H, W] = x.shape;
  const [O, Cg, KH, KW] = w.shape;
  const OH = Math.floor((H + 2 * pad[0] - d[0] * (KH - 1) - 1) / s[0]) + 1;
  const OW = Math.floor((W + 2 * pad[1] - d[1] * (KW - 1) - 1) / s[1]) + 1;
  const xd = x.data;
  const wd = w.data;
  const out = new Float64Array(N * O * OH * OW);
  const Og = O / groups;
  for (let n = 0; n < N; n++)
    for (let o = 0; o < O; o++) {
      const g = Math.floor(o / Og);
      for (let oh = 0; oh < OH; oh++)
        for (let ow = 0; ow < OW; ow++) {
          let acc = b === null ? 0 : b.data[o];
          for (let c = 0; c < Cg; c++)
            for (let i = 0; i < KH; i++)
              for (let j = 0; j < KW; j++) {
                const ih = oh * s[0] - pad[0] + i * d[0];
                const iw = ow * s[1] - pad[1] + j * d[1];
                if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
                acc += xd[((n * C + g * Cg + c) * H + ih) * W + iw] * wd[((o * Cg + c) * KH + i) * KW + j];
              }
          out[((n * O + o) * OH + oh) * OW + ow] = acc;
        }
    }
  return { out, shape: [N, O, OH, OW] };
}

describe('conv2d against PyTorch 1.13 (test/fixtures/conv.json)', () => {
  it('records how the fixture was made', () => {
    expect(fixture.command).toBe('/usr/bin/python3 tools/gen_conv_fixtures.py');
  });
  for (const c of fixture.conv) {
    it(`${c.name} (${c.dtype})`, () => {
      const { gen, ts } = makeInputs(c);
      const out = conv2d(ts.x, ts.weight, ts.bias ?? null, c.opts as Conv2dOptions);
      expect(out.shape).toEqual(c.out_shape);
      expect(out.dtype).toBe(c.dtype);
      expect(out.gradFn?.name).toBe(c.grad_fn);
      const tol = tolFor(c.dtype);
      expectClose(out.data, c.out, tol, `${c.name} out`);
      backwardWeighted(gen, out, c.dtype);
      for (const [name, g] of Object.entries(c.grads)) expectClose((ts[name].grad as Tensor).data, g, tol, `${c.name} grad ${name}`);
    });
  }
});

describe('conv2d kernels against a direct float64 definition', () => {
  // Shapes that cross the gemm's blocking: K = 30·3·3 = 270 > KC, P = 48·46 > NC, edge slivers.
  const configs: { x: number[]; w: number[]; s: [number, number]; p: [number, number]; d: [number, number]; g: number }[] = [
    { x: [1, 30, 48, 46], w: [5, 30, 3, 3], s: [1, 1], p: [1, 1], d: [1, 1], g: 1 },
    { x: [2, 6, 13, 11], w: [9, 2, 3, 4], s: [2, 1], p: [1, 2], d: [1, 2], g: 3 },
    { x: [1, 7, 9, 9], w: [5, 7, 1, 1], s: [1, 1], p: [0, 0], d: [1, 1], g: 1 },
  ];
  for (const [i, cfg] of configs.entries()) {
    it(`config ${i}: x ${cfg.x.join('×')}, w ${cfg.w.join('×')}`, () => {
      const gen = new Generator(77 + i);
      const x = sym(cfg.x, gen, 'float64', false);
      const w = sym(cfg.w, gen, 'float64', false);
      const b = sym([cfg.w[0]], gen, 'float64', false);
      const ref = naiveConv(x, w, b, cfg.s, cfg.p, cfg.d, cfg.g);
      const out = conv2d(x, w, b, { stride: cfg.s, padding: cfg.p, dilation: cfg.d, groups: cfg.g });
      expect(out.shape).toEqual(ref.shape);
      expectClose(out.data, Array.from(ref.out), 1e-13, 'out');
    });
  }

  it('backward kernels are the adjoints of the forward one (⟨g, conv(x, w)⟩ identities)', () => {
    const gen = new Generator(5);
    const x = sym([2, 30, 20, 19], gen, 'float64');
    const w = sym([6, 10, 3, 2], gen, 'float64');
    const opts: Conv2dOptions = { stride: [2, 1], padding: [2, 1], dilation: [1, 2], groups: 3 };
    const out = conv2d(x, w, null, opts);
    const g = sym(out.shape as number[], gen, 'float64', false);
    out.mul(g).sum().backward();
    // ⟨g, conv(x, w)⟩ = ⟨gradX, x⟩ = ⟨gradW, w⟩ since conv is linear in each argument.
    const inner = out.mul(g).sum().item();
    expect((x.grad as Tensor).mul(x).sum().item()).toBeCloseTo(inner, 9);
    expect((w.grad as Tensor).mul(w).sum().item()).toBeCloseTo(inner, 9);
  });
});

describe('conv2d gradcheck (float64)', () => {
  const cases: [string, number[], number[], boolean, Conv2dOptions][] = [
    ['plain', [2, 2, 4, 5], [3, 2, 2, 3], true, {}],
    ['stride, padding', [1, 2, 5, 5], [2, 2, 3, 3], true, { stride: 2, padding: 1 }],
    ['groups and dilation', [1, 4, 5, 5], [4, 2, 2, 2], true, { groups: 2, dilation: 2, padding: [1, 0] }],
    ["'same' with an even kernel", [1, 1, 4, 4], [2, 1, 2, 3], false, { padding: 'same' }],
    ['depthwise, stride tuple', [1, 2, 5, 4], [4, 1, 3, 2], true, { groups: 2, stride: [1, 2] }],
    ['pointwise', [2, 3, 2, 3], [2, 3, 1, 1], true, {}],
  ];
  for (const [name, xs, ws, bias, opts] of cases) {
    it(name, () => {
      const gen = new Generator(11);
      const x = sym(xs, gen);
      const w = sym(ws, gen);
      const inputs = bias ? [x, w, sym([ws[0]], gen)] : [x, w];
      expect(gradcheck((a, b, c) => conv2d(a, b, c ?? null, opts), inputs).ok).toBe(true);
    });
  }
  it('unbatched input', () => {
    const gen = new Generator(12);
    expect(gradcheck((a, b) => conv2d(a, b, null, { padding: 1 }), [sym([2, 3, 3], gen), sym([2, 2, 2, 2], gen)]).ok).toBe(true);
  });
  it('second derivatives (backward with createGraph)', () => {
    const gen = new Generator(13);
    const x = sym([1, 2, 4, 4], gen);
    const w = sym([2, 1, 3, 2], gen);
    const wg = sym([1, 2, 4, 3], gen, 'float64', false);
    checkDoubleBackward(
      (a, b) =>
        conv2d(a, b, null, { padding: [1, 0], groups: 2 })
          .mul(wg)
          .sum(),
      x,
      w,
    );
    // Through a nonlinearity the second derivative in x is nonzero too.
    const wg2 = sym([1, 2, 4, 3], gen, 'float64', false);
    checkDoubleBackward(
      (a, b) =>
        conv2d(a, b, null, { padding: [1, 0], groups: 2 })
          .tanh()
          .mul(wg2)
          .sum(),
      x,
      w,
    );
  });
});

describe('conv2d shapes and errors', () => {
  const x = zeros([2, 3, 8, 8]);
  it('unbatched input gives an unbatched output', () => {
    expect(conv2d(zeros([3, 8, 8]), zeros([4, 3, 3, 3])).shape).toEqual([4, 6, 6]);
  });
  it("'same' keeps the size with even kernels and dilation", () => {
    expect(conv2d(zeros([1, 3, 7, 6]), zeros([2, 3, 4, 2]), null, { padding: 'same', dilation: [1, 3] }).shape).toEqual([1, 2, 7, 6]);
  });
  it('a batch of zero images', () => {
    expect(conv2d(zeros([0, 3, 8, 8]), zeros([4, 3, 3, 3])).shape).toEqual([0, 4, 6, 6]);
  });
  it('names the op and shapes on a channel mismatch', () => {
    expect(() => conv2d(x, zeros([4, 2, 3, 3]))).toThrow(
      'conv2d: given groups=1, weight of shape [4, 2, 3, 3], expected input [2, 3, 8, 8] to have 2 channels, but got 3 channels instead',
    );
  });
  it('refuses a kernel larger than the padded input', () => {
    expect(() => conv2d(zeros([1, 1, 2, 5]), zeros([1, 1, 3, 3]))).toThrow(
      /conv2d: calculated padded input size per channel: \(2 x 5\); kernel size: \(3 x 3\)/,
    );
    expect(() => conv2d(zeros([1, 1, 4, 4]), zeros([1, 1, 3, 3]), null, { dilation: 2 })).toThrow(/kernel size: \(5 x 5\)/);
  });
  it("refuses 'same' with stride > 1, like PyTorch", () => {
    expect(() => conv2d(x, zeros([4, 3, 3, 3]), null, { padding: 'same', stride: 2 })).toThrow(
      "conv2d: padding='same' is not supported for strided convolutions",
    );
  });
  it('checks groups, bias, ranks, dtypes and option values', () => {
    expect(() => conv2d(x, zeros([4, 1, 3, 3]), null, { groups: 3 })).toThrow(/expected weight to be divisible by 3 at dimension 0/);
    expect(() => conv2d(x, zeros([4, 3, 3, 3]), zeros([3]))).toThrow(
      /expected bias to be 1-D with 4 elements, but got bias of shape \[3\]/,
    );
    expect(() => conv2d(zeros([3, 8]), zeros([4, 3, 3, 3]))).toThrow(
      /expected a 3-D \(unbatched\) or 4-D \(batched\) input, but got input of shape \[3, 8\]/,
    );
    expect(() => conv2d(x, zeros([4, 3, 3]))).toThrow(/expected a 4-D weight/);
    expect(() => conv2d(x, zeros([4, 3, 3, 3], { dtype: 'float64' }))).toThrow(
      'conv2d: input (float32) and weight (float64) should have the same dtype',
    );
    expect(() => conv2d(x, zeros([4, 3, 3, 3]), null, { stride: 0 })).toThrow('conv2d: stride must be positive (got 0)');
    expect(() => conv2d(x, zeros([4, 3, 3, 3]), null, { padding: -1 })).toThrow('conv2d: padding must be non-negative (got -1)');
    expect(() => conv2d(x, zeros([4, 3, 3, 3]), null, { padding: 'full' as 'same' })).toThrow(/invalid padding string 'full'/);
    expect(() => conv2d(tensor([[[[1, 2]]]], { dtype: 'int32' }), tensor([[[[1]]]], { dtype: 'int32' }))).toThrow(
      /expected a floating-point input, but got int32/,
    );
  });
});
