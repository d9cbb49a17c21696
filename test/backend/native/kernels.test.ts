// The oneDNN kernels against the TypeScript reference kernels, called directly so that shapes
// below the dispatch thresholds are covered too. Runs in the native test project only.
import { describe, expect, it } from 'vitest';
import type { Conv2dParams } from '../../../src/backend/backend.js';
import { jsBackend } from '../../../src/backend/js/index.js';
import { conv2dParamArray, loadAddon, type NativeAddon } from '../../../src/backend/native/addon.js';
import { fillUniform } from '../../../src/random/distributions.js';
import { Generator } from '../../../src/random/generator.js';

// Where the addon could not be built (or NABLA_NATIVE=off hides it) these tests skip, and say why;
// under CI test/setup-native.ts makes a missing addon an error unless it is hidden on purpose.
const loaded = loadAddon();
const unavailable = typeof loaded === 'string' ? loaded : null;
if (unavailable !== null) console.warn(`native kernel tests skipped: native addon unavailable (${unavailable})`);
const addon = loaded as NativeAddon;
const suite = (name: string, fn: () => void) =>
  describe.skipIf(unavailable !== null)(unavailable === null ? name : `${name} (skipped: native addon unavailable: ${unavailable})`, fn);
const gen = new Generator().manualSeed(0);
const rand = (n: number) => fillUniform(gen, new Float32Array(n), -1, 1);

function maxRelDiff(a: Float32Array, b: Float32Array): number {
  let scale = 0;
  let diff = 0;
  for (let i = 0; i < a.length; i++) {
    scale = Math.max(scale, Math.abs(b[i]));
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
  }
  return diff / Math.max(scale, 1e-30);
}

function conv(
  batch: number,
  inC: number,
  inH: number,
  inW: number,
  outC: number,
  kH: number,
  kW: number,
  o: Partial<
    Pick<Conv2dParams, 'strideH' | 'strideW' | 'padTop' | 'padLeft' | 'padBottom' | 'padRight' | 'dilationH' | 'dilationW' | 'groups'>
  > = {},
): Conv2dParams {
  const p = { strideH: 1, strideW: 1, padTop: 0, padLeft: 0, padBottom: 0, padRight: 0, dilationH: 1, dilationW: 1, groups: 1, ...o };
  const outH = Math.floor((inH + p.padTop + p.padBottom - p.dilationH * (kH - 1) - 1) / p.strideH) + 1;
  const outW = Math.floor((inW + p.padLeft + p.padRight - p.dilationW * (kW - 1) - 1) / p.strideW) + 1;
  return { batch, inChannels: inC, inH, inW, outChannels: outC, kernelH: kH, kernelW: kW, outH, outW, ...p };
}

const configs: [string, Conv2dParams][] = [
  ['plain 3×3', conv(2, 3, 9, 8, 4, 3, 3)],
  ['stride 2, padding 2, 5×5', conv(2, 4, 11, 10, 6, 5, 5, { strideH: 2, strideW: 2, padTop: 2, padLeft: 2, padBottom: 2, padRight: 2 })],
  ['groups 2, dilation 2', conv(1, 4, 12, 12, 6, 3, 3, { groups: 2, dilationH: 2, dilationW: 2 })],
  ["asymmetric 'same' padding, 4×2 kernel", conv(2, 3, 7, 9, 5, 4, 2, { padTop: 1, padBottom: 2, padLeft: 0, padRight: 1 })],
  ['exercise 6 layer 3 (96→256, 5×5, pad 2)', conv(2, 96, 23, 23, 256, 5, 5, { padTop: 2, padLeft: 2, padBottom: 2, padRight: 2 })],
  ['3×3 over a 1×1 image (taps trimmed to 1×1)', conv(2, 16, 1, 1, 32, 3, 3, { padTop: 1, padLeft: 1, padBottom: 1, padRight: 1 })],
  [
    'strided 3×3 over 2×2 (taps trimmed to 2×2)',
    conv(2, 16, 2, 2, 32, 3, 3, { strideH: 2, strideW: 2, padTop: 1, padLeft: 1, padBottom: 1, padRight: 1 }),
  ],
];

suite('native conv2d kernels match the TypeScript reference', () => {
  it.each(configs)('%s', (_, p) => {
    const params = conv2dParamArray(p);
    const x = rand(p.batch * p.inChannels * p.inH * p.inW);
    const w = rand((p.outChannels * p.inChannels * p.kernelH * p.kernelW) / p.groups);
    const b = rand(p.outChannels);
    const nOut = p.batch * p.outChannels * p.outH * p.outW;
    const [yN, yJ] = [new Float32Array(nOut), new Float32Array(nOut)];
    addon.conv2dForward(params, x, w, b, yN);
    jsBackend.conv2d(x, w, b, yJ, p);
    expect(maxRelDiff(yN, yJ)).toBeLessThan(1e-5);

    const g = rand(nOut);
    const [dxN, dxJ] = [new Float32Array(x.length), new Float32Array(x.length)];
    addon.conv2dBackwardData(params, g, w, dxN);
    jsBackend.conv2dBackwardData(g, w, dxJ, p);
    expect(maxRelDiff(dxN, dxJ)).toBeLessThan(1e-5);

    const [dwN, dwJ, dbN, dbJ] = [
      new Float32Array(w.length),
      new Float32Array(w.length),
      new Float32Array(b.length),
      new Float32Array(b.length),
    ];
    addon.conv2dBackwardWeights(params, x, g, dwN, dbN);
    jsBackend.conv2dBackwardWeights(x, g, dwJ, dbJ, p);
    expect(maxRelDiff(dwN, dwJ)).toBeLessThan(1e-5);
    expect(maxRelDiff(dbN, dbJ)).toBeLessThan(1e-5);

    // Both passes in one call: the same primitives on the same data, so the same bits.
    const [dxF, dwF, dbF] = [new Float32Array(x.length), new Float32Array(w.length), new Float32Array(b.length)];
    addon.conv2dBackward(params, x, g, w, dxF, dwF, dbF);
    expect(dxF).toEqual(dxN);
    expect(dwF).toEqual(dwN);
    expect(dbF).toEqual(dbN);
    const [dxF2, dwF2] = [new Float32Array(x.length), new Float32Array(w.length)];
    addon.conv2dBackward(params, x, g, w, dxF2, dwF2, null);
    expect(dxF2).toEqual(dxN);
    expect(dwF2).toEqual(dwN);
  });

  it('rejects buffers too short for the geometry instead of writing past them', () => {
    const p = conv(2, 3, 9, 8, 4, 3, 3);
    expect(() => addon.conv2dForward(conv2dParamArray(p), rand(10), rand(108), null, new Float32Array(10))).toThrow(/elements, needs/);
  });
});

suite('native sgemm matches the TypeScript matmul', () => {
  it.each([
    [1, 5, 7, 3, false, false],
    [4, 33, 17, 65, false, false],
    [3, 8, 9, 10, true, false],
    [2, 64, 64, 64, false, true],
  ] as const)('batch %i, %i×%i·%i×%i (A broadcast %s, B broadcast %s)', (batch, m, k, n, aBroadcast, bBroadcast) => {
    const a = rand((aBroadcast ? 1 : batch) * m * k);
    const b = rand((bBroadcast ? 1 : batch) * k * n);
    const [cN, cJ] = [new Float32Array(batch * m * n), new Float32Array(batch * m * n)];
    addon.sgemm(false, false, batch, m, n, k, a, aBroadcast ? 0 : m * k, b, bBroadcast ? 0 : k * n, cN);
    jsBackend.matmul(a, aBroadcast ? 0 : m * k, false, b, bBroadcast ? 0 : k * n, false, cJ, batch, m, k, n);
    expect(maxRelDiff(cN, cJ)).toBeLessThan(1e-5);
  });

  it('reads transposed operands in place', () => {
    const [m, k, n] = [6, 5, 4];
    const at = rand(k * m); // Aᵀ stored row-major as k×m
    const a = new Float32Array(m * k);
    for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) a[i * k + j] = at[j * m + i];
    const b = rand(k * n);
    const [cT, c] = [new Float32Array(m * n), new Float32Array(m * n)];
    addon.sgemm(true, false, 1, m, n, k, at, 0, b, 0, cT);
    addon.sgemm(false, false, 1, m, n, k, a, 0, b, 0, c);
    expect(maxRelDiff(cT, c)).toBeLessThan(1e-6);
  });
});

suite('native elementwise passes equal the TypeScript kernels exactly', () => {
  const n = 100_003;
  const x = rand(n);
  const y = rand(n);
  // Edge values PyTorch's relu and threshold_backward treat specially.
  x.set([Number.NaN, -0, 0, -1, 1]);

  it('relu, NaN and −0 included', () => {
    const [a, b] = [new Float32Array(n), new Float32Array(n)];
    addon.relu(x, a, n);
    jsBackend.unary('relu', x, 0, b, n);
    expect(a).toEqual(b);
    expect(Object.is(a[1], -0)).toBe(true);
  });

  it('reluBackward', () => {
    const r = new Float32Array(n);
    jsBackend.unary('relu', x, 0, r, n);
    const [a, b] = [new Float32Array(n), new Float32Array(n)];
    addon.reluBackward(y, r, a, n);
    const flat = { offset: 0, strides: [1] };
    jsBackend.binary('reluGrad', { ...flat, buf: y }, { ...flat, buf: r }, [n], b);
    expect(a).toEqual(b);
  });

  it.each([1, -0.01, 0.1])('a + alpha·b with one rounding (alpha %f)', (alpha) => {
    const al = Math.fround(alpha);
    const [a, b] = [new Float32Array(n), new Float32Array(n)];
    addon.axpy(x, y, a, al, n);
    const flat = { offset: 0, strides: [1] };
    jsBackend.binary('add', { ...flat, buf: x }, { ...flat, buf: y }, [n], b, al);
    expect(a).toEqual(b);
  });
});
