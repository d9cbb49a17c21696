// The addon's bf16 kernels (autocast on the native backend) against the same arithmetic done
// in TypeScript: operands rounded to bf16, the reference float32 kernels, results rounded. The
// two differ only in float32 summation order, so at most one bf16 ulp apart. Called directly,
// so transposed and broadcast matmul operands, groups, dilation, strides and uneven padding are
// all covered. Skips, saying why, where the addon is unavailable or the CPU lacks bf16 instructions.
import { describe, expect, it } from 'vitest';
import { roundToBf16 } from '../../../src/autocast/bf16.js';
import type { Conv2dParams } from '../../../src/backend/backend.js';
import { jsBackend } from '../../../src/backend/js/index.js';
import { conv2dParamArray, loadAddon, type NativeAddon } from '../../../src/backend/native/addon.js';
import { fillUniform } from '../../../src/random/distributions.js';
import { Generator } from '../../../src/random/generator.js';

const loaded = loadAddon();
const isa = typeof loaded === 'string' ? '' : loaded.bf16Support();
const why = typeof loaded === 'string' ? `native addon unavailable (${loaded})` : isa === '' ? 'the CPU has no AVX512-BF16 or AMX' : null;
if (why !== null) console.warn(`native bf16 kernel tests skipped: ${why}`);
const addon = loaded as NativeAddon;
const gen = new Generator().manualSeed(0);
const rand = (n: number) => fillUniform(gen, new Float32Array(n), -1, 1);
const bf16 = (a: Float32Array) => {
  const c = Float32Array.from(a);
  roundToBf16(c);
  return c;
};
const isBf16 = (a: Float32Array) => new Uint32Array(a.buffer, a.byteOffset, a.length).every((u) => (u & 0xffff) === 0);

/** Largest difference in bf16 ulps of the reference's element (an ulp of |x| is 2^(floor(log2|x|) − 7)). */
function maxUlps(a: Float32Array, ref: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - ref[i]);
    if (d === 0) continue;
    const mag = Math.max(Math.abs(ref[i]), Math.abs(a[i]));
    worst = Math.max(worst, d / 2 ** (Math.floor(Math.log2(mag)) - 7));
  }
  return worst;
}

/** Largest difference relative to the reference's largest magnitude. */
function maxRel(a: Float32Array, ref: Float32Array): number {
  let d = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs(a[i] - ref[i]));
    scale = Math.max(scale, Math.abs(ref[i]));
  }
  return d / scale;
}

describe.skipIf(why !== null)(`native bf16 kernels (${why === null ? `oneDNN ISA ${isa}` : `skipped: ${why}`})`, () => {
  it('roundBf16 rounds like the TypeScript rounding, NaN and overflow included', () => {
    const a = rand(10_000).map((v, i) => (i % 7 === 0 ? v * 3.4e38 : v));
    a[3] = Number.NaN;
    const native = Float32Array.from(a);
    addon.roundBf16(native, native.length);
    expect(Array.from(native)).toEqual(Array.from(bf16(a)));
  });

  for (const [ta, tb, batch, m, n, k, aB, bB] of [
    [false, false, 1, 64, 80, 300, false, false],
    [true, false, 3, 17, 9, 130, false, true],
    [false, true, 2, 33, 48, 64, true, false],
    [true, true, 1, 5, 800, 6400, false, false],
  ] as const) {
    it(`gemmBf16 ${ta ? 'Aᵀ' : 'A'}·${tb ? 'Bᵀ' : 'B'} batch ${batch}${aB ? ' (A broadcast)' : ''}${bB ? ' (B broadcast)' : ''} ${m}×${k}·${k}×${n}`, () => {
      const a = rand((aB ? 1 : batch) * m * k);
      const b = rand((bB ? 1 : batch) * k * n);
      const sa = aB ? 0 : m * k;
      const sb = bB ? 0 : k * n;
      const got = new Float32Array(batch * m * n);
      addon.gemmBf16(ta, tb, batch, m, n, k, a, sa, b, sb, got, true);
      const ref = new Float32Array(batch * m * n);
      jsBackend.matmul(bf16(a), sa, ta, bf16(b), sb, tb, ref, batch, m, k, n);
      const unrounded = Float32Array.from(ref);
      roundToBf16(ref);
      expect(isBf16(got)).toBe(true);
      expect(maxUlps(got, ref)).toBeLessThanOrEqual(1);
      // roundOut false leaves the float32 sums (close to the reference's, not rounded).
      const raw = new Float32Array(batch * m * n);
      addon.gemmBf16(ta, tb, batch, m, n, k, a, sa, b, sb, raw, false);
      expect(isBf16(raw)).toBe(false);
      for (let i = 0; i < raw.length; i++) expect(Math.abs(raw[i] - unrounded[i])).toBeLessThanOrEqual(1e-4 * Math.sqrt(k));
    });
  }

  const geometries: [string, Conv2dParams][] = [
    [
      'AlexNet conv3 (5×5, pad 2)',
      {
        batch: 4,
        inChannels: 96,
        inH: 23,
        inW: 23,
        outChannels: 64,
        kernelH: 5,
        kernelW: 5,
        outH: 23,
        outW: 23,
        strideH: 1,
        strideW: 1,
        padTop: 2,
        padLeft: 2,
        padBottom: 2,
        padRight: 2,
        dilationH: 1,
        dilationW: 1,
        groups: 1,
      },
    ],
    [
      'groups 2, stride 2, dilation 2, uneven padding',
      {
        batch: 2,
        inChannels: 8,
        inH: 13,
        inW: 11,
        outChannels: 6,
        kernelH: 3,
        kernelW: 2,
        outH: 5,
        outW: 5,
        strideH: 2,
        strideW: 2,
        padTop: 1,
        padLeft: 0,
        padBottom: 0,
        padRight: 1,
        dilationH: 2,
        dilationW: 2,
        groups: 2,
      },
    ],
  ];
  for (const [name, p] of geometries) {
    it(`conv2d forward, backward data and backward weights: ${name}`, () => {
      const wShape = p.outChannels * (p.inChannels / p.groups) * p.kernelH * p.kernelW;
      const x = rand(p.batch * p.inChannels * p.inH * p.inW);
      const w = rand(wShape);
      const b = rand(p.outChannels);
      const dy = rand(p.batch * p.outChannels * p.outH * p.outW);
      const params = conv2dParamArray(p);
      // Long sums (backward weights adds batch × pixels products) that cancel can land an
      // element's float32 sums further apart than its own ulp; bounded by one ulp of the largest (≤ 2^-7 of it).
      const check = (got: Float32Array, ref: Float32Array) => {
        roundToBf16(ref);
        expect(isBf16(got)).toBe(true);
        expect(maxRel(got, ref)).toBeLessThanOrEqual(2 ** -7);
      };

      const y = new Float32Array(dy.length);
      addon.conv2dForwardBf16(params, x, w, b, y);
      const yRef = new Float32Array(dy.length);
      jsBackend.conv2d(bf16(x), bf16(w), bf16(b), yRef, p);
      check(y, yRef);

      const dx = new Float32Array(x.length);
      addon.conv2dBackwardDataBf16(params, dy, w, dx);
      const dxRef = new Float32Array(x.length);
      jsBackend.conv2dBackwardData(bf16(dy), bf16(w), dxRef, p);
      check(dx, dxRef);

      const dw = new Float32Array(w.length);
      const db = new Float32Array(b.length);
      addon.conv2dBackwardWeightsBf16(params, x, dy, dw, db);
      const dwRef = new Float32Array(w.length);
      const dbRef = new Float32Array(b.length);
      jsBackend.conv2dBackwardWeights(bf16(x), bf16(dy), dwRef, dbRef, p);
      check(dw, dwRef);
      check(db, dbRef);

      // Both passes in one call (dy converted once): the same bits as the two calls.
      const [dxF, dwF, dbF] = [new Float32Array(x.length), new Float32Array(w.length), new Float32Array(b.length)];
      addon.conv2dBackwardBf16(params, x, dy, w, dxF, dwF, dbF);
      expect(dxF).toEqual(dx);
      expect(dwF).toEqual(dw);
      expect(dbF).toEqual(db);
    });
  }

  it('checks buffer lengths like the float32 kernels', () => {
    const p = geometries[1][1];
    expect(() => addon.conv2dForwardBf16(conv2dParamArray(p), new Float32Array(3), rand(1000), null, new Float32Array(1000))).toThrow(
      /conv2dForwardBf16: argument 1 has 3 elements, needs 2288/,
    );
    expect(() => addon.gemmBf16(false, false, 1, 4, 4, 4, new Float32Array(15), 16, rand(16), 16, new Float32Array(16), true)).toThrow(
      /gemmBf16: argument 6 has 15 elements, needs 16/,
    );
  });
});
