// Loader and comparison helpers for test/fixtures/fluency.json (written by
// tools/gen_fluency_fixtures.py from PyTorch 1.13).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { type DType, type Tensor, tensor } from '../../src/index.js';

/** A tensor as the fixture records it (PyTorch's int64 recorded as int32). */
export interface Rec {
  dtype: DType;
  shape: number[];
  data: (number | boolean)[];
}

const path = fileURLToPath(new URL('../fixtures/fluency.json', import.meta.url));
// biome-ignore lint/suspicious/noExplicitAny: JSON fixture
export const fx = JSON.parse(readFileSync(path, 'utf8')) as any;

/** A fresh leaf tensor holding a fixture record. */
export function load(r: Rec, opts: { requiresGrad?: boolean } = {}): Tensor {
  const t = tensor(Float64Array.from(r.data.map(Number)), { dtype: r.dtype })
    .reshape(r.shape)
    .detach();
  return opts.requiresGrad ? t.requiresGrad_(true) : t;
}

/** Asserts `t` has the record's dtype and shape and its values within rtol/atol. */
export function expectClose(what: string, t: Tensor, r: Rec, tol: { rtol?: number; atol?: number } = {}): void {
  const rtol = tol.rtol ?? (r.dtype === 'float64' ? 1e-10 : 1e-5);
  const atol = tol.atol ?? (r.dtype === 'float64' ? 1e-12 : 1e-6);
  expect(t.dtype, `${what}: dtype`).toBe(r.dtype);
  expect([...t.shape], `${what}: shape`).toEqual(r.shape);
  const got = Array.from(t.data);
  r.data.forEach((w, i) => {
    const want = Number(w);
    const ok = Math.abs(got[i] - want) <= atol + rtol * Math.abs(want);
    if (!ok) expect.fail(`${what}: element ${i} is ${got[i]}, PyTorch gives ${want} (rtol ${rtol}, atol ${atol})`);
  });
}

/** Asserts exact equality with a record (RNG streams, indices). */
export function expectExact(what: string, t: Tensor, r: Rec): void {
  expect(t.dtype, `${what}: dtype`).toBe(r.dtype);
  expect([...t.shape], `${what}: shape`).toEqual(r.shape);
  expect(Array.from(t.data), what).toEqual(r.data.map(Number));
}
