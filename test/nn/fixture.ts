// Loader and comparison helpers for test/fixtures/nn.json (written by tools/gen_nn_fixtures.py
// from PyTorch 1.13).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { type DType, type Tensor, tensor } from '../../src/index.js';

export interface Full {
  shape: number[];
  dtype: string;
  values: number[];
}

export interface Summary {
  shape: number[];
  first: number[];
  last: number[];
  fsum: number;
  wsum: number;
}

const path = fileURLToPath(new URL('../fixtures/nn.json', import.meta.url));
const decode = (_k: string, v: unknown) =>
  v === 'inf' ? Number.POSITIVE_INFINITY : v === '-inf' ? Number.NEGATIVE_INFINITY : v === 'nan' ? Number.NaN : v;
// biome-ignore lint/suspicious/noExplicitAny: JSON fixture
export const fixture = JSON.parse(readFileSync(path, 'utf8'), decode) as any;

const DTYPES: Record<string, DType> = { float32: 'float32', float64: 'float64', int64: 'int32', bool: 'bool' };

/** A fresh tensor from a fixture record (int64 → int32). */
export function fromFull(f: Full, opts: { requiresGrad?: boolean } = {}): Tensor {
  const dtype = DTYPES[f.dtype];
  if (!dtype) throw new Error(`fixture dtype ${f.dtype}`);
  const t = tensor(Float64Array.from(f.values), { dtype }).reshape(f.shape);
  return opts.requiresGrad ? t.detach().requiresGrad_(true) : t.detach();
}

/** Python's math.fsum: the correctly rounded sum (Shewchuk's exact partials). */
export function fsum(xs: ArrayLike<number>): number {
  const partials: number[] = [];
  for (let k = 0; k < xs.length; k++) {
    let x = xs[k];
    let i = 0;
    for (let j = 0; j < partials.length; j++) {
      let y = partials[j];
      if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x];
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) partials[i++] = lo;
      x = hi;
    }
    partials.length = i;
    partials.push(x);
  }
  let n = partials.length;
  let hi = 0;
  if (n > 0) {
    hi = partials[--n];
    let lo = 0;
    while (n > 0) {
      const x = hi;
      const y = partials[--n];
      hi = x + y;
      lo = y - (hi - x);
      if (lo !== 0) break;
    }
    if (n > 0 && ((lo < 0 && partials[n - 1] < 0) || (lo > 0 && partials[n - 1] > 0))) {
      const y = lo * 2;
      const x = hi + y;
      if (y === x - hi) hi = x;
    }
  }
  return hi;
}

/** Bit-exact comparison of a tensor with a full fixture record. */
export function expectExact(actual: Tensor, expected: Full, what = ''): void {
  expect([...actual.shape], `${what} shape`).toEqual(expected.shape);
  const a = actual.data;
  let bad = -1;
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], expected.values[i])) {
      bad = i;
      break;
    }
  }
  if (bad >= 0) expect(`${what}[${bad}] = ${a[bad]}`).toBe(`${what}[${bad}] = ${expected.values[bad]}`);
}

/** Bit-exact comparison with a summary: first/last values and exact float64 checksums. */
export function expectSummary(actual: Tensor, s: Summary, what = ''): void {
  expect([...actual.shape], `${what} shape`).toEqual(s.shape);
  const a = actual.data;
  const k = s.first.length;
  expect(Array.from(a.subarray(0, k)), `${what} first`).toEqual(s.first);
  expect(Array.from(a.subarray(a.length - k)), `${what} last`).toEqual(s.last);
  expect(fsum(a), `${what} fsum`).toBe(s.fsum);
  const w = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) w[i] = a[i] * ((i % 7) + 1);
  expect(fsum(w), `${what} wsum`).toBe(s.wsum);
}

/** Worst |a − e| / (atol + rtol·|e|) over all elements (≤ 1 passes). */
export function closeness(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, atol: number) {
  let worst = 0;
  let at = -1;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Object.is(a, e) || (Number.isNaN(a) && Number.isNaN(e))) continue;
    const r = Math.abs(a - e) / (atol + rtol * Math.abs(e));
    if (!(r <= worst)) {
      worst = Number.isNaN(r) ? Number.POSITIVE_INFINITY : r;
      at = i;
    }
  }
  return { worst, at };
}

/** Elementwise |actual − expected| ≤ atol + rtol·|expected|, shapes equal. */
export function expectClose(actual: Tensor | null, expected: Full, tol: { rtol?: number; atol?: number } = {}, what = ''): void {
  expect(actual, `${what} is missing`).not.toBeNull();
  const t = actual as Tensor;
  expect([...t.shape], `${what} shape`).toEqual(expected.shape);
  const rtol = tol.rtol ?? 1e-6;
  const atol = tol.atol ?? 1e-7;
  const { worst, at } = closeness(t.data, expected.values, rtol, atol);
  if (worst > 1) {
    expect(`${what}[${at}] = ${t.data[at]}`, `rtol ${rtol}, atol ${atol}`).toBe(`${what}[${at}] = ${expected.values[at]}`);
  }
}
