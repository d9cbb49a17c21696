import { describe, expect, it } from 'vitest';
import { gemm } from '../../src/backend/js/gemm.js';
import { matmul } from '../../src/backend/js/matmul.js';
import { Generator } from '../../src/random/generator.js';

/** Deterministic values in [-1, 1) with a few exact zeros. */
function values(n: number, gen: Generator): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = (gen.random() % 2001) / 1000 - 1;
  return out;
}

describe('gemm (packed, register-blocked, strided operands)', () => {
  // Sizes cross every blocking edge: MR 4, NR 3, KC 256, MC 96, NC 2040.
  const shapes: [number, number, number][] = [
    [1, 1, 1],
    [5, 7, 3],
    [97, 10, 257],
    [6, 2043, 5],
    [130, 35, 600],
  ];
  for (const [m, n, k] of shapes) {
    for (const [ta, tb] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ]) {
      it(`${m}×${k} · ${k}×${n}${ta ? ', A transposed' : ''}${tb ? ', B transposed' : ''}, accumulating into an offset C`, () => {
        const gen = new Generator(m * 31 + n * 7 + k);
        const a = values(m * k + 3, gen);
        const b = values(k * n + 5, gen);
        const ldc = n + 2;
        const c = values(m * ldc + 4, gen);
        const expected = Float64Array.from(c);
        const A = (i: number, p: number) => (ta ? a[3 + p * m + i] : a[3 + i * k + p]);
        const B = (p: number, j: number) => (tb ? b[5 + j * k + p] : b[5 + p * n + j]);
        for (let i = 0; i < m; i++)
          for (let j = 0; j < n; j++) {
            let s = 0;
            for (let p = 0; p < k; p++) s += A(i, p) * B(p, j);
            expected[4 + i * ldc + j] += s;
          }
        gemm(m, n, k, a, 3, ta ? 1 : k, ta ? m : 1, b, 5, tb ? 1 : n, tb ? k : 1, c, 4, ldc);
        let worst = 0;
        for (let i = 0; i < c.length; i++) worst = Math.max(worst, Math.abs(c[i] - expected[i]));
        expect(worst).toBeLessThan(1e-11);
      });
    }
  }
});

describe('matmul kernel', () => {
  it('large products (gemm path, banded) match the row-streaming loop to one float32 rounding', () => {
    const gen = new Generator(3);
    const [m, k, n] = [70, 40, 5000];
    const a = Float32Array.from(values(2 * m * k, gen));
    const b = Float32Array.from(values(2 * k * n, gen));
    const out = new Float32Array(2 * m * n);
    matmul(a, m * k, false, b, k * n, false, out, 2, m, k, n);
    for (const bt of [0, 1])
      for (let i = 0; i < m; i += 13)
        for (let j = 0; j < n; j += 97) {
          let s = 0;
          for (let p = 0; p < k; p++) s += a[bt * m * k + i * k + p] * b[bt * k * n + p * n + j];
          expect(out[bt * m * n + i * n + j]).toBe(Math.fround(s));
        }
  });
});

describe('matmul kernel reads transposed operands in place', () => {
  it.each([
    [3, 4, 5],
    [40, 33, 50],
  ])('%i×%i·%i×… (small and gemm paths)', (m, k, n) => {
    const gen = new Generator(5);
    const a = Float32Array.from(values(m * k, gen));
    const b = Float32Array.from(values(k * n, gen));
    const at = new Float32Array(k * m);
    const bt = new Float32Array(n * k);
    for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) at[p * m + i] = a[i * k + p];
    for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) bt[j * k + p] = b[p * n + j];
    const plain = new Float32Array(m * n);
    const viaT = new Float32Array(m * n);
    matmul(a, 0, false, b, 0, false, plain, 1, m, k, n);
    matmul(at, 0, true, bt, 0, true, viaT, 1, m, k, n);
    expect(Array.from(viaT)).toEqual(Array.from(plain));
  });
});
