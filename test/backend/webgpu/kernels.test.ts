// Every WebGPU kernel against the TypeScript reference kernel on the same random float32 inputs
// (with NaN/±Inf/−0 sprinkled where the kernel's contract covers them). Tolerances per family are
// those of ./tolerances.ts: elementwise |Δ| ≤ tol · max(1, |reference|) per element; NaN positions must match.
// Sizes stay small: SwiftShader runs about 1 GFLOP/s on a CPU.
import { afterAll, describe, expect, it } from 'vitest';
import type { BinaryOp, Conv2dParams, UnaryOp } from '../../../src/backend/backend.js';
import { jsBackend as js } from '../../../src/backend/js/index.js';
import type { GpuArray } from '../../../src/backend/webgpu/index.js';
import * as gpu from '../../../src/backend/webgpu/index.js';
import { openGpu } from './gpu.js';
import { WEBGPU_TOLERANCE } from './tolerances.js';

const setup = await openGpu();
const ctx = setup.ctx as gpu.WebGpuContext;
if (!setup.ctx) console.warn(`webgpu kernel tests skipped: ${setup.reason}`);
afterAll(() => setup.ctx?.destroy());

/** Per family: the largest |Δ| / max(1, |reference|) accepted (the table docs/webgpu.md states). */
const TOL = WEBGPU_TOLERANCE;

function rand(n: number, seed: number, lo = -2, hi = 2): Float32Array {
  let s = (seed * 2654435761) >>> 0 || 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = lo + ((s >>> 0) / 4294967296) * (hi - lo);
  }
  return out;
}
const SPECIALS = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0, 1, -1];
function withSpecials(a: Float32Array): Float32Array {
  SPECIALS.forEach((v, j) => {
    a[(j * 37) % a.length] = v;
  });
  return a;
}

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tol: number, what: string): void {
  expect(got.length, what).toBe(want.length);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < want.length; i++) {
    const w = want[i];
    const g = got[i];
    if (Number.isNaN(w) || Number.isNaN(g)) {
      if (Number.isNaN(w) !== Number.isNaN(g)) throw new Error(`${what}: element ${i} is ${g}, reference ${w}`);
      continue;
    }
    if (w === g) continue;
    const err = Math.abs(g - w) / Math.max(1, Math.abs(w));
    if (!(err <= worst)) {
      worst = err;
      at = i;
    }
  }
  if (worst > tol) throw new Error(`${what}: element ${at} is ${got[at]}, reference ${want[at]} (relative error ${worst} > ${tol})`);
}

const up = (a: Float32Array | Int32Array | Uint8Array) => ctx.upload(a);
const read = (a: GpuArray) => ctx.read(a);

describe.skipIf(!setup.ctx)('webgpu kernels against the reference', () => {
  it('copy and fill: strided, converting, exact', async () => {
    const x = withSpecials(rand(24, 1));
    // Transposed read of a [4, 6] array into a contiguous [6, 4] one, then a strided fill.
    const want = new Float32Array(24);
    js.copy({ buf: x, offset: 0, strides: [1, 6] }, { buf: want, offset: 0, strides: [4, 1] }, [6, 4]);
    const out = ctx.alloc('float32', 24);
    gpu.copy(ctx, { buf: up(x), offset: 0, strides: [1, 6] }, { buf: out, offset: 0, strides: [4, 1] }, [6, 4]);
    js.fill({ buf: want, offset: 1, strides: [8, 2] }, [3, 2], -0.5);
    gpu.fill(ctx, { buf: out, offset: 1, strides: [8, 2] }, [3, 2], -0.5);
    expectClose(await read(out), want, TOL.exact, 'copy+fill');
    const b = ctx.alloc('bool', 24);
    gpu.copy(ctx, { buf: up(x), offset: 0, strides: [1] }, { buf: b, offset: 0, strides: [1] }, [24]);
    const wantB = new Uint8Array(24);
    js.copy({ buf: x, offset: 0, strides: [1] }, { buf: wantB, offset: 0, strides: [1] }, [24]);
    expect(Array.from(await read(b))).toEqual(Array.from(wantB));
    const ints = Int32Array.from([5, -7, 0, 16777216, -3]);
    const f = ctx.alloc('float32', 5);
    gpu.copy(ctx, { buf: up(ints), offset: 0, strides: [1] }, { buf: f, offset: 0, strides: [1] }, [5]);
    expect(Array.from(await read(f))).toEqual([5, -7, 0, 16777216, -3]);
  });

  const UNARY: [UnaryOp, number][] = [
    ['neg', TOL.exact],
    ['abs', TOL.exact],
    ['sign', TOL.exact],
    ['square', TOL.arithmetic],
    ['relu', TOL.exact],
    ['not', TOL.exact],
    ['reciprocal', TOL.arithmetic],
    ['sqrt', TOL.arithmetic],
    ['rsqrt', TOL.transcendental],
    ['exp', TOL.transcendental],
    ['log', TOL.transcendental],
    ['log1p', TOL.transcendental],
    ['expm1', TOL.transcendental],
    ['sin', TOL.trig],
    ['cos', TOL.trig],
    ['sigmoid', TOL.transcendental],
    ['tanh', TOL.transcendental],
    ['gelu', TOL.transcendental],
    ['geluTanh', TOL.transcendental],
    ['geluGrad', TOL.transcendental],
    ['geluTanhGrad', TOL.transcendental],
  ];
  it('unary: every op, with an offset, NaN/±Inf/−0', async () => {
    const x = withSpecials(rand(300, 2, -4, 4));
    const gx = up(x);
    for (const [op, tol] of UNARY) {
      const n = 290;
      const want = op === 'not' ? new Uint8Array(n) : new Float32Array(n);
      js.unary(op, x, 10, want, n);
      const out = ctx.alloc(op === 'not' ? 'bool' : 'float32', n);
      gpu.unary(ctx, op, gx, 10, out, n);
      expectClose(await read(out), want, tol, `unary ${op}`);
    }
  });

  it('clamp and where', async () => {
    const x = withSpecials(rand(50, 3));
    for (const [lo, hi] of [
      [-0.5, 0.5],
      [Number.NaN, 1],
      [0, Number.NaN],
    ]) {
      const want = new Float32Array(45);
      js.clamp(x, 5, want, 45, lo, hi);
      const out = ctx.alloc('float32', 45);
      gpu.clamp(ctx, up(x), 5, out, 45, lo, hi);
      expectClose(await read(out), want, TOL.exact, `clamp(${lo}, ${hi})`);
    }
    const c = Uint8Array.from(rand(12, 4), (v) => (v > 0 ? 1 : 0));
    const a = rand(12, 5);
    const b = rand(4, 6);
    // cond [3, 4], a transposed [4, 3] read as [3, 4], b a row broadcast over rows.
    const args = (cb: unknown, ab: unknown, bb: unknown) =>
      [
        { buf: cb, offset: 0, strides: [4, 1] },
        { buf: ab, offset: 0, strides: [1, 3] },
        { buf: bb, offset: 0, strides: [0, 1] },
      ] as const;
    const want = new Float32Array(12);
    const [jc, ja, jb] = args(c, a, b);
    js.where(jc as never, ja as never, jb as never, [3, 4], want);
    const out = ctx.alloc('float32', 12);
    const [gc, ga, gb] = args(up(c), up(a), up(b));
    gpu.where(ctx, gc as never, ga as never, gb as never, [3, 4], out);
    expectClose(await read(out), want, TOL.exact, 'where');
  });

  const BINARY: [BinaryOp, number][] = [
    ['add', TOL.arithmetic],
    ['sub', TOL.arithmetic],
    ['mul', TOL.arithmetic],
    ['div', TOL.arithmetic],
    ['pow', TOL.transcendental],
    ['maximum', TOL.exact],
    ['minimum', TOL.exact],
    ['eq', TOL.exact],
    ['ne', TOL.exact],
    ['lt', TOL.exact],
    ['le', TOL.exact],
    ['gt', TOL.exact],
    ['ge', TOL.exact],
    ['and', TOL.exact],
    ['or', TOL.exact],
    ['reluGrad', TOL.exact],
  ];
  const COMPARE = new Set<BinaryOp>(['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'and', 'or']);
  it('binary: every op, broadcast and strided operands, alpha', async () => {
    // a: a [5, 4, 3] array read as [3, 4, 5] (transposed); b: [4, 1] broadcast over dims 0 and 2.
    const a = withSpecials(rand(60, 7, -3, 3));
    const b = withSpecials(rand(8, 8, -3, 3));
    b[1] = 2; // an integer exponent for pow of negative bases
    b[3] = 3;
    const shape = [3, 4, 5];
    const sa = { offset: 0, strides: [1, 3, 12] };
    const sb = { offset: 2, strides: [0, 1, 0] };
    const ga = up(a);
    const gb = up(b);
    for (const [op, tol] of BINARY) {
      for (const alpha of op === 'add' || op === 'sub' ? [1, -2.5] : [1]) {
        const want = COMPARE.has(op) ? new Uint8Array(60) : new Float32Array(60);
        js.binary(op, { buf: a, ...sa }, { buf: b, ...sb }, shape, want, alpha);
        const out = ctx.alloc(COMPARE.has(op) ? 'bool' : 'float32', 60);
        gpu.binary(ctx, op, { buf: ga, ...sa }, { buf: gb, ...sb }, shape, out, alpha);
        expectClose(await read(out), want, tol, `binary ${op} alpha ${alpha}`);
      }
    }
  });

  it('reductions and arg-reductions over each axis position', async () => {
    const x = rand(7 * 130 * 3, 9);
    x[5] = Number.NaN;
    const gx = up(x);
    for (const [outer, size, inner] of [
      [7, 130, 3],
      [1, 2730, 1],
      [910, 3, 1],
      [7 * 130 * 3, 1, 1],
    ]) {
      for (const op of ['sum', 'prod', 'max', 'min'] as const) {
        const xs = op === 'prod' ? rand(outer * size * inner, 10, 0.9, 1.1) : x;
        const want = new Float32Array(outer * inner);
        js.reduce(op, xs, outer, size, inner, want);
        const out = ctx.alloc('float32', outer * inner);
        gpu.reduce(ctx, op, op === 'prod' ? up(xs) : gx, outer, size, inner, out);
        expectClose(
          await read(out),
          want,
          op === 'sum' || op === 'prod' ? TOL.reduction : TOL.exact,
          `reduce ${op} [${outer}, ${size}, ${inner}]`,
        );
      }
      for (const op of ['argmax', 'argmin'] as const) {
        const want = new Int32Array(outer * inner);
        js.argReduce(op, x, outer, size, inner, want);
        const out = ctx.alloc('int32', outer * inner);
        gpu.argReduce(ctx, op, gx, outer, size, inner, out);
        expect(Array.from(await read(out)), `${op} [${outer}, ${size}, ${inner}]`).toEqual(Array.from(want));
      }
    }
  });

  it('int32 stays exact past 2^24: comparisons, sums, arg-reductions', async () => {
    // float32 holds 16777217 as 16777216: int32 arrays are computed in i32 arithmetic.
    const x = Int32Array.from([16777216, 16777217, -16777217, 2147483647]);
    const y = Int32Array.from([16777217, 16777216, -16777216, 1]);
    const gt = ctx.alloc('bool', 4);
    gpu.binary(ctx, 'gt', { buf: up(x), offset: 0, strides: [1] }, { buf: up(y), offset: 0, strides: [1] }, [4], gt);
    expect(Array.from(await read(gt))).toEqual([0, 1, 0, 1]);
    const sum = ctx.alloc('int32', 4);
    gpu.binary(ctx, 'add', { buf: up(x), offset: 0, strides: [1] }, { buf: up(y), offset: 0, strides: [1] }, [4], sum);
    expect(Array.from(await read(sum))).toEqual([33554433, 33554433, -33554433, -2147483648]);
    const total = ctx.alloc('int32', 1);
    gpu.reduce(ctx, 'sum', up(Int32Array.from([16777217, 1, -2])), 1, 3, 1, total);
    expect(Array.from(await read(total))).toEqual([16777216]);
    const arg = ctx.alloc('int32', 1);
    gpu.argReduce(ctx, 'argmax', up(Int32Array.from([16777216, 16777217, 16777216])), 1, 3, 1, arg);
    expect(Array.from(await read(arg))).toEqual([1]);
  });

  it('matmul: tiled, batched, transposed operands read in place, broadcast batch', async () => {
    for (const [batch, m, k, n] of [
      [2, 37, 45, 70],
      [1, 65, 17, 1],
      [3, 1, 130, 5],
    ]) {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          const a = rand(batch * m * k, m + k);
          const b = rand(k * n, k + n); // one matrix broadcast over the batch (stride 0)
          const want = new Float32Array(batch * m * n);
          js.matmul(a, m * k, transA, b, 0, transB, want, batch, m, k, n);
          const out = ctx.alloc('float32', batch * m * n);
          gpu.matmul(ctx, up(a), m * k, transA, up(b), 0, transB, out, batch, m, k, n);
          expectClose(await read(out), want, TOL.matmul, `matmul ${batch}×${m}×${k}×${n} tA=${transA} tB=${transB}`);
        }
      }
    }
  });

  it('gather and scatterAdd', async () => {
    const [outer, size, inner, idxSize] = [3, 5, 4, 7];
    const x = rand(outer * size * inner, 11);
    const index = Int32Array.from(rand(outer * idxSize * inner, 12, 0, size), Math.floor);
    const want = new Float32Array(outer * idxSize * inner);
    js.gather(x, outer, size, inner, index, idxSize, want);
    const out = ctx.alloc('float32', want.length);
    gpu.gather(ctx, up(x), outer, size, inner, up(index), idxSize, out);
    expectClose(await read(out), want, TOL.exact, 'gather');
    const src = rand(outer * idxSize * inner, 13);
    const acc = rand(outer * size * inner, 14);
    const wantS = acc.slice();
    js.scatterAdd(src, outer, size, inner, index, idxSize, wantS);
    const outS = up(acc);
    gpu.scatterAdd(ctx, up(src), outer, size, inner, up(index), idxSize, outS);
    expectClose(await read(outS), wantS, TOL.arithmetic, 'scatterAdd');
  });

  const CONVS: Partial<Conv2dParams>[] = [
    {
      batch: 2,
      inChannels: 3,
      inH: 9,
      inW: 8,
      outChannels: 4,
      kernelH: 3,
      kernelW: 3,
      strideH: 2,
      strideW: 1,
      padTop: 1,
      padLeft: 1,
      padBottom: 1,
      padRight: 1,
    },
    {
      batch: 1,
      inChannels: 4,
      inH: 7,
      inW: 7,
      outChannels: 6,
      kernelH: 2,
      kernelW: 3,
      strideH: 1,
      strideW: 2,
      padTop: 0,
      padLeft: 2,
      padBottom: 1,
      padRight: 2,
      dilationH: 2,
      dilationW: 1,
      groups: 2,
    },
  ];
  it.each(['im2col', 'direct'] as const)(
    'conv2d forward, backward-data and backward-weights (strides, padding, dilation, groups): %s',
    async (algorithm) => {
      gpu.setConvAlgorithm(ctx, algorithm);
      for (const c of CONVS) {
        const p = { dilationH: 1, dilationW: 1, groups: 1, ...c } as Conv2dParams;
        p.outH = Math.floor((p.inH + p.padTop + p.padBottom - p.dilationH * (p.kernelH - 1) - 1) / p.strideH) + 1;
        p.outW = Math.floor((p.inW + p.padLeft + p.padRight - p.dilationW * (p.kernelW - 1) - 1) / p.strideW) + 1;
        const nx = p.batch * p.inChannels * p.inH * p.inW;
        const nw = p.outChannels * (p.inChannels / p.groups) * p.kernelH * p.kernelW;
        const ny = p.batch * p.outChannels * p.outH * p.outW;
        const x = rand(nx, 21);
        const w = rand(nw, 22);
        const bias = rand(p.outChannels, 23);
        const g = rand(ny, 24);
        const want = new Float32Array(ny);
        js.conv2d(x, w, bias, want, p);
        const out = ctx.alloc('float32', ny);
        gpu.conv2d(ctx, up(x), up(w), up(bias), out, p);
        expectClose(await read(out), want, TOL.matmul, 'conv2d');
        const wantGi = new Float32Array(nx);
        js.conv2dBackwardData(g, w, wantGi, p);
        const gi = ctx.alloc('float32', nx);
        gpu.conv2dBackwardData(ctx, up(g), up(w), gi, p);
        expectClose(await read(gi), wantGi, TOL.matmul, 'conv2dBackwardData');
        const wantGw = new Float32Array(nw);
        const wantGb = new Float32Array(p.outChannels);
        js.conv2dBackwardWeights(x, g, wantGw, wantGb, p);
        const gw = ctx.alloc('float32', nw);
        const gb = ctx.alloc('float32', p.outChannels);
        gpu.conv2dBackwardWeights(ctx, up(x), up(g), gw, gb, p);
        expectClose(await read(gw), wantGw, TOL.matmul, 'conv2dBackwardWeights (weight)');
        expectClose(await read(gb), wantGb, TOL.matmul, 'conv2dBackwardWeights (bias)');
      }
      gpu.setConvAlgorithm(ctx, 'auto');
    },
  );

  it('max/avg/adaptive pooling and their backward passes', async () => {
    const planes = 3;
    const [inH, inW] = [9, 8];
    const x = rand(planes * inH * inW, 31);
    x[7] = Number.NaN;
    const gx = up(x);
    for (const [k, s, pad, dil] of [
      [3, 2, 1, 1],
      [2, 2, 0, 1],
      [3, 1, 1, 2],
    ]) {
      const outH = Math.floor((inH + 2 * pad - dil * (k - 1) - 1) / s) + 1;
      const outW = Math.floor((inW + 2 * pad - dil * (k - 1) - 1) / s) + 1;
      const p = {
        planes,
        inH,
        inW,
        outH,
        outW,
        kernelH: k,
        kernelW: k,
        strideH: s,
        strideW: s,
        padH: pad,
        padW: pad,
        dilationH: dil,
        dilationW: dil,
      };
      const no = planes * outH * outW;
      const want = new Float32Array(no);
      const wantIdx = new Int32Array(no);
      js.maxPool2d(x, want, wantIdx, p);
      const out = ctx.alloc('float32', no);
      const idx = ctx.alloc('int32', no);
      gpu.maxPool2d(ctx, gx, out, idx, p);
      expectClose(await read(out), want, TOL.exact, `maxPool2d k${k} s${s} p${pad} d${dil}`);
      expect(Array.from(await read(idx))).toEqual(Array.from(wantIdx));
      const g = rand(no, 32);
      const wantGi = new Float32Array(planes * inH * inW);
      js.maxPool2dBackward(g, wantIdx, wantGi, p);
      const gi = ctx.alloc('float32', wantGi.length);
      gpu.maxPool2dBackward(ctx, up(g), idx, gi, p);
      expectClose(await read(gi), wantGi, TOL.pool, 'maxPool2dBackward');
      if (dil !== 1) continue;
      for (const [countIncludePad, divisorOverride] of [
        [true, 0],
        [false, 0],
        [false, 5],
      ] as const) {
        const ap = { ...p, countIncludePad, divisorOverride };
        const xa = rand(x.length, 33);
        const wantA = new Float32Array(no);
        js.avgPool2d(xa, wantA, ap);
        const outA = ctx.alloc('float32', no);
        gpu.avgPool2d(ctx, up(xa), outA, ap);
        expectClose(await read(outA), wantA, TOL.pool, `avgPool2d ${JSON.stringify(ap)}`);
        const wantAg = new Float32Array(x.length);
        js.avgPool2dBackward(g, wantAg, ap);
        const ag = ctx.alloc('float32', x.length);
        gpu.avgPool2dBackward(ctx, up(g), ag, ap);
        expectClose(await read(ag), wantAg, TOL.pool, `avgPool2dBackward ${JSON.stringify(ap)}`);
      }
    }
    for (const [outH, outW] of [
      [4, 3],
      [1, 1],
      [9, 8],
      [5, 7],
    ]) {
      const p = { planes, inH, inW, outH, outW };
      const xa = rand(x.length, 34);
      const want = new Float32Array(planes * outH * outW);
      js.adaptiveAvgPool2d(xa, want, p);
      const out = ctx.alloc('float32', want.length);
      gpu.adaptiveAvgPool2d(ctx, up(xa), out, p);
      expectClose(await read(out), want, TOL.pool, `adaptiveAvgPool2d ${outH}×${outW}`);
      const g = rand(want.length, 35);
      const wantGi = new Float32Array(x.length);
      js.adaptiveAvgPool2dBackward(g, wantGi, p);
      const gi = ctx.alloc('float32', x.length);
      gpu.adaptiveAvgPool2dBackward(ctx, up(g), gi, p);
      expectClose(await read(gi), wantGi, TOL.pool, `adaptiveAvgPool2dBackward ${outH}×${outW}`);
    }
  });

  it('batch norm forward and backward, training and eval, with and without affine', async () => {
    const p = { batch: 3, channels: 4, spatial: 10, eps: 1e-5, training: true };
    const n = p.batch * p.channels * p.spatial;
    const x = rand(n, 41, -1, 3);
    const w = rand(p.channels, 42);
    const b = rand(p.channels, 43);
    const g = rand(n, 44);
    for (const training of [true, false]) {
      for (const affine of [true, false]) {
        const q = { ...p, training };
        const mean = training ? new Float64Array(p.channels) : Float64Array.from(rand(p.channels, 45));
        const variance = training ? new Float64Array(p.channels) : Float64Array.from(rand(p.channels, 46, 0.5, 2));
        const want = new Float32Array(n);
        js.batchNorm(x, want, mean, variance, affine ? w : null, affine ? b : null, q);
        const gm = training ? ctx.alloc('float32', p.channels) : up(Float32Array.from(mean));
        const gv = training ? ctx.alloc('float32', p.channels) : up(Float32Array.from(variance));
        const out = ctx.alloc('float32', n);
        const gw = up(w);
        gpu.batchNorm(ctx, up(x), out, gm, gv, affine ? gw : null, affine ? up(b) : null, q);
        const what = `batchNorm training=${training} affine=${affine}`;
        expectClose(await read(out), want, TOL.batchNorm, what);
        expectClose(await read(gm), mean, TOL.batchNorm, `${what} mean`);
        expectClose(await read(gv), variance, TOL.batchNorm, `${what} variance`);
        const wantGi = new Float32Array(n);
        const wantGw = new Float32Array(p.channels);
        const wantGb = new Float32Array(p.channels);
        js.batchNormBackward(x, g, mean, variance, affine ? w : null, wantGi, wantGw, wantGb, q);
        const gi = ctx.alloc('float32', n);
        const ggw = ctx.alloc('float32', p.channels);
        const ggb = ctx.alloc('float32', p.channels);
        gpu.batchNormBackward(ctx, up(x), up(g), gm, gv, affine ? gw : null, gi, ggw, ggb, q);
        expectClose(await read(gi), wantGi, TOL.batchNorm, `${what} gradInput`);
        expectClose(await read(ggw), wantGw, TOL.batchNorm, `${what} gradWeight`);
        expectClose(await read(ggb), wantGb, TOL.batchNorm, `${what} gradBias`);
      }
    }
  });
});
