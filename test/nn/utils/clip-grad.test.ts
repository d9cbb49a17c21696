/**
 * nn.utils.clipGradNorm_ / clipGradValue_ against PyTorch 1.13 (test/fixtures/clip-grad.json, from
 * tools/gen_clip_grad_fixtures.py): the returned total norm and every clipped gradient, for norms
 * 1, 2, 3 and ∞, clipped and unclipped, and a parameter without a gradient. float64 and
 * clipGradValue_ are bit for bit; float32 within 4 ulps, since PyTorch sums float32 norms in
 * float32 vector lanes and nabla's norm in double.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nn, type Tensor, tensor, zeros } from '../../../src/index.js';

type Num = number | 'inf' | '-inf' | 'nan';
interface Case {
  fn: 'clipGradNorm_' | 'clipGradValue_';
  dtype: 'float32' | 'float64';
  maxNorm?: number;
  normType?: Num;
  clipValue?: number;
  grads: (Num[] | null)[];
  total?: Num;
  totalDtype?: string;
  after: (Num[] | null)[];
}
const fixture = JSON.parse(readFileSync(new URL('../../fixtures/clip-grad.json', import.meta.url), 'utf8')) as { cases: Case[] };
const num = (v: Num): number => (v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v === 'nan' ? NaN : v);

function params(c: Case): Tensor[] {
  return c.grads.map((g, i) => {
    const p = zeros([[3, 37, 100][i]], { dtype: c.dtype, requiresGrad: true });
    p.grad = g === null ? null : tensor(g.map(num), { dtype: c.dtype });
    return p;
  });
}

/** `got` equals `want` exactly in float64, within 4 float32 ulps (relative 2⁻²¹) in float32. */
function close(got: number, want: number, dtype: string): boolean {
  if (dtype === 'float64' || !Number.isFinite(want)) return Object.is(got, want);
  return Math.abs(got - want) <= Math.abs(want) * 2 ** -21;
}

describe('nn.utils gradient clipping matches PyTorch 1.13', () => {
  it.each(fixture.cases.map((c, i) => [`${i}: ${c.fn} ${c.dtype} ${c.normType ?? c.clipValue}`, c] as const))('%s', (_, c) => {
    const ps = params(c);
    if (c.fn === 'clipGradNorm_') {
      const total = nn.utils.clipGradNorm_(ps, c.maxNorm as number, num(c.normType as Num));
      expect(total.dtype).toBe(c.totalDtype);
      expect(close(total.item(), num(c.total as Num), c.dtype), `total ${total.item()} vs PyTorch ${c.total}`).toBe(true);
    } else {
      nn.utils.clipGradValue_(ps, c.clipValue as number);
    }
    ps.forEach((p, i) => {
      const want = c.after[i];
      if (want === null) expect(p.grad).toBeNull();
      else {
        const got = Array.from(p.grad?.data ?? []);
        const bad = got.findIndex((v, j) => !close(v, num(want[j]), c.fn === 'clipGradValue_' ? 'float64' : c.dtype));
        expect(bad, `parameter ${i} element ${bad}: ${got[bad]} vs PyTorch ${want[bad]}`).toBe(-1);
        expect(got.length).toBe(want.length);
      }
    });
  });
});

describe('nn.utils argument forms and errors', () => {
  const withGrad = () => {
    const p = zeros([2], { requiresGrad: true });
    p.grad = tensor([3, 4]);
    return p;
  };

  it('takes one tensor, keyword forms, and returns 0 without gradients', () => {
    const p = withGrad();
    expect(nn.utils.clipGradNorm_(p, { maxNorm: 1, normType: 2 }).item()).toBeCloseTo(5, 5);
    expect(p.grad?.norm().item()).toBeCloseTo(1, 5);
    expect(nn.utils.clipGradNorm_([zeros([2], { requiresGrad: true })], 1).item()).toBe(0);
    const q = withGrad();
    nn.utils.clipGradValue_([q], { clipValue: 3.5 });
    expect(Array.from(q.grad?.data ?? [])).toEqual([3, 3.5]);
  });

  it('refuses bad arguments, naming the function', () => {
    expect(() => nn.utils.clipGradNorm_([withGrad()], 1, 2, false, 7 as never)).toThrow('clipGradNorm_');
    expect(() => nn.utils.clipGradNorm_([withGrad()], { maxNorm: 1, norm: 2 } as never)).toThrow('clipGradNorm_');
    expect(() => nn.utils.clipGradNorm_([withGrad()], Number.NaN)).toThrow('maxNorm');
    expect(() => nn.utils.clipGradNorm_(5 as never, 1)).toThrow('parameters');
    expect(() => nn.utils.clipGradValue_([withGrad()], 1, 2 as never)).toThrow('clipGradValue_');
  });

  it('errorIfNonfinite refuses a non-finite total norm and leaves the gradients alone', () => {
    const p = zeros([2], { requiresGrad: true });
    p.grad = tensor([Infinity, 1]);
    expect(() => nn.utils.clipGradNorm_([p], 1, 2, true)).toThrow('non-finite');
    expect(Array.from(p.grad.data)).toEqual([Infinity, 1]);
  });
});
