import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { type DType, formatTensor, getPrintOptions, type PrintOptions, setPrintOptions } from '../../src/tensor/format.js';
import { formatExp, formatFixed } from '../../src/tensor/pyformat.js';

type Encoded = number | 'nan' | 'inf' | '-inf';

interface FixtureOptions {
  precision?: number;
  threshold?: number | 'inf';
  edgeitems?: number;
  linewidth?: number;
  sciMode?: boolean;
  profile?: 'default' | 'short' | 'full';
}

interface Case {
  name: string;
  dtype: DType;
  shape: number[];
  data: Encoded[];
  requiresGrad: boolean;
  gradFn: string | null;
  repr: string;
  options?: FixtureOptions;
}

interface Fixture {
  command: string;
  torch: string;
  cases: Case[];
  /** [x, precision, Python '{:.Nf}', Python '{:.Ne}'] */
  floatFormat: [number, number, string, string][];
}

const fixture = JSON.parse(readFileSync(new URL('../fixtures/print.json', import.meta.url), 'utf8')) as Fixture;

function decode(v: Encoded): number {
  if (v === 'nan') return Number.NaN;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  return v;
}

// Store values the way a tensor of that dtype would (float32 rounding included).
function storage(c: Case): ArrayLike<number> {
  const values = c.data.map(decode);
  switch (c.dtype) {
    case 'float32':
      return Float32Array.from(values);
    case 'float64':
      return Float64Array.from(values);
    case 'int32':
      return Int32Array.from(values);
    case 'bool':
      return Uint8Array.from(values);
  }
}

function applyOptions(o: FixtureOptions | undefined): void {
  if (o === undefined) return;
  setPrintOptions({
    ...o,
    threshold: o.threshold === 'inf' ? Infinity : o.threshold,
  });
}

afterEach(() => setPrintOptions({ profile: 'default' }));

describe(`formatTensor matches PyTorch ${fixture.torch} repr`, () => {
  it('has a substantial fixture', () => {
    expect(fixture.cases.length).toBeGreaterThanOrEqual(120);
  });

  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    applyOptions(c.options);
    const text = formatTensor({
      shape: c.shape,
      dtype: c.dtype,
      data: storage(c),
      requiresGrad: c.requiresGrad,
      gradFn: c.gradFn,
    });
    expect(text).toBe(c.repr);
  });
});

describe('print options', () => {
  it('defaults to precision 4, threshold 1000, edgeitems 3, linewidth 80', () => {
    const expected: PrintOptions = {
      precision: 4,
      threshold: 1000,
      edgeitems: 3,
      linewidth: 80,
      sciMode: null,
    };
    expect(getPrintOptions()).toEqual(expected);
  });

  it('applies profiles then explicit fields, and resets sciMode like PyTorch', () => {
    setPrintOptions({ sciMode: true });
    setPrintOptions({ profile: 'full', precision: 6 });
    expect(getPrintOptions()).toEqual({
      precision: 6,
      threshold: Infinity,
      edgeitems: 3,
      linewidth: 80,
      sciMode: null,
    });
  });

  it('returns a copy', () => {
    const o = getPrintOptions();
    o.precision = 9;
    expect(getPrintOptions().precision).toBe(4);
  });

  it('rejects invalid values without changing anything', () => {
    expect(() => setPrintOptions({ precision: -1 })).toThrow(RangeError);
    expect(() => setPrintOptions({ linewidth: 1.5 })).toThrow(RangeError);
    expect(getPrintOptions().precision).toBe(4);
  });
});

describe('formatTensor input checks', () => {
  it('throws when data is shorter than the shape', () => {
    expect(() => formatTensor({ shape: [2, 2], dtype: 'float32', data: [1, 2, 3] })).toThrow(RangeError);
  });

  it('ignores storage past numel', () => {
    expect(formatTensor({ shape: [2], dtype: 'int32', data: [1, 2, 300] })).toBe('tensor([1, 2])');
  });

  it('prefers grad_fn over requires_grad', () => {
    expect(
      formatTensor({
        shape: [],
        dtype: 'float32',
        data: [1],
        requiresGrad: true,
        gradFn: 'SumBackward0',
      }),
    ).toBe('tensor(1., grad_fn=<SumBackward0>)');
  });
});

describe('Python float formatting against the fixture', () => {
  it.each(fixture.floatFormat)('%s with precision %i', (x, p, fixed, exp) => {
    expect(formatFixed(x, p)).toBe(fixed);
    expect(formatExp(x, p)).toBe(exp);
  });
});

// Expected strings are Python 3's '{:.Nf}' / '{:.Ne}' output.
describe('formatFixed (Python {:.Nf})', () => {
  it.each([
    [0.5, 4, '0.5000'],
    [0.125, 2, '0.12'], // exact tie → even (JS toFixed gives 0.13)
    [0.375, 2, '0.38'],
    [2.5, 0, '2'],
    [3.5, 0, '4'],
    [-2.5, 0, '-2'],
    [0.03125, 4, '0.0312'],
    [0.09375, 4, '0.0938'],
    [1.005, 2, '1.00'], // 1.005 is slightly below in binary
    [0.1, 20, '0.10000000000000000555'],
    [1e16, 4, '10000000000000000.0000'],
    [1e21, 1, '1000000000000000000000.0'], // JS toFixed switches to exponent here
    [1e22, 0, '10000000000000000000000'],
    [5e-324, 4, '0.0000'],
    [-0, 4, '-0.0000'],
    [-0, 0, '-0'],
    [-1e-9, 4, '-0.0000'],
    [0, 0, '0'],
    [99.99995, 4, '99.9999'],
    [9.99999, 4, '10.0000'],
    [123456789, 0, '123456789'],
    [Number.NaN, 4, 'nan'],
    [Infinity, 4, 'inf'],
    [-Infinity, 0, '-inf'],
  ])('%s with precision %i → %s', (x, p, expected) => {
    expect(formatFixed(x, p)).toBe(expected);
  });
});

describe('formatExp (Python {:.Ne})', () => {
  it.each([
    [0.5, 4, '5.0000e-01'],
    [1.03125, 4, '1.0312e+00'], // tie → even
    [1.09375, 4, '1.0938e+00'],
    [2.5, 0, '2e+00'],
    [3.5, 0, '4e+00'],
    [1e-5, 4, '1.0000e-05'],
    [2.3943e-5, 4, '2.3943e-05'],
    [1e16, 4, '1.0000e+16'],
    [1e100, 4, '1.0000e+100'],
    [1e-100, 2, '1.00e-100'],
    [5e-324, 4, '4.9407e-324'],
    [2.2250738585072014e-308, 4, '2.2251e-308'],
    [1.7976931348623157e308, 4, '1.7977e+308'],
    [9.99996e-5, 4, '1.0000e-04'],
    [9.99994e-5, 4, '9.9999e-05'],
    [1000, 4, '1.0000e+03'],
    [999.99999, 4, '1.0000e+03'],
    [0, 4, '0.0000e+00'],
    [-0, 4, '-0.0000e+00'],
    [0, 0, '0e+00'],
    [-123.456, 3, '-1.235e+02'],
    [Number.NaN, 4, 'nan'],
    [-Infinity, 4, '-inf'],
  ])('%s with precision %i → %s', (x, p, expected) => {
    expect(formatExp(x, p)).toBe(expected);
  });
});
