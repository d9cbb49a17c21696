import { describe, expect, it } from 'vitest';
import { defaultGenerator, Generator, gradcheck, manualSeed, rand, type Tensor, tensor } from '../../src/index.js';
import { dropout } from '../../src/ops/dropout.js';
import { type DropoutCase, expectClose, fixture } from './conv-fixture.js';

function run(c: DropoutCase, useDefault: boolean): { x: Tensor; y: Tensor; next: Tensor } {
  let gen: Generator;
  if (useDefault) {
    manualSeed(c.seed);
    gen = defaultGenerator;
  } else {
    gen = new Generator(c.seed);
  }
  const x = rand(c.shape, { generator: gen, dtype: c.dtype }).mul(2).sub(1).requiresGrad_(true);
  const xv = c.view === 't' ? x.t() : c.view === 'step2' ? x.slice(1, 0, undefined, 2) : x;
  const y = useDefault ? dropout(xv, c.p, c.training) : dropout(xv, c.p, c.training, { generator: gen });
  const next = rand([4], { generator: gen });
  return { x, y, next };
}

describe('dropout against PyTorch 1.13 (test/fixtures/conv.json): the same seed drops the same units', () => {
  for (const c of fixture.dropout) {
    it(`seed ${c.seed}, shape [${c.shape}]${c.view ? ` (view ${c.view})` : ''}, p ${c.p}${c.training ? '' : ', eval'} (${c.dtype})`, () => {
      for (const useDefault of [false, true]) {
        const { x, y, next } = run(c, useDefault);
        if (!c.view) expect(y.shape).toEqual(c.shape);
        const mask = Array.from(y.data, (v) => (v !== 0 ? '1' : '0')).join('');
        expect(mask).toBe(c.mask);
        // The stream advanced exactly as far as PyTorch's did.
        expectClose(next.data, c.next, 0, 'next draws', 'float32');
        if (c.out) expectClose(y.data, c.out, 0, 'out', c.dtype);
        if (c.grad) {
          y.sum().backward();
          expectClose((x.grad as Tensor).data, c.grad, 0, 'grad', c.dtype);
        }
      }
    });
  }
});

describe('dropout semantics', () => {
  it('is the identity (the same tensor, no draws) when not training or p = 0', () => {
    const x = rand([3, 4]);
    const gen = new Generator(1);
    expect(dropout(x, 0.5, false, { generator: gen })).toBe(x);
    expect(dropout(x, 0, true, { generator: gen })).toBe(x);
    expect(gen.getState()).toEqual(new Generator(1).getState());
  });
  it('p = 1 gives zeros (NaN stays NaN, like input * 0) with gradient 0', () => {
    const x = tensor([1, -2, Number.NaN]).requiresGrad_(true);
    const y = dropout(x, 1);
    expect(Array.from(y.data)).toEqual([0, -0, Number.NaN]);
    y.sum().backward();
    expect(Array.from((x.grad as Tensor).data)).toEqual([0, 0, 0]);
  });
  it('gradcheck with a fixed generator (float64)', () => {
    const x = rand([3, 5], { generator: new Generator(3), dtype: 'float64' }).requiresGrad_(true);
    expect(gradcheck((t) => dropout(t, 0.4, true, { generator: new Generator(5) }), [x]).ok).toBe(true);
  });
  it('errors', () => {
    expect(() => dropout(rand([2]), 1.5)).toThrow('dropout: dropout probability has to be between 0 and 1, but got 1.5');
    expect(() => dropout(rand([2]), -0.1)).toThrow(/between 0 and 1/);
    expect(() => dropout(tensor([1, 2], { dtype: 'int32' }), 0.5)).toThrow(/expected a floating-point input, but got int32/);
  });
});
