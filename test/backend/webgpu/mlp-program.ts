// A small MLP trained with SGD written directly on backend kernels (forward, hand-written
// backward, update), once over any kernel set: the TypeScript reference on TypedArrays, or the
// WebGPU kernels on GPU arrays. Used by the Node test and by the headless-Chromium test to check
// that training on the GPU follows the CPU run. Browser-safe.
import type { BinaryOp, Conv2dParams, Pool2dParams, ReduceOp, UnaryOp } from '../../../src/backend/backend.js';
import { jsBackend } from '../../../src/backend/js/index.js';
import * as gpu from '../../../src/backend/webgpu/index.js';

/** The handful of kernel calls the program needs, over arrays of type A. */
export interface KernelSet<A> {
  upload(data: Float32Array): A;
  zeros(n: number): A;
  read(a: A): Promise<Float32Array>;
  /** out = a op b with b broadcast along rows when bRow (b has `cols` elements). */
  binary(op: BinaryOp, a: A, b: A, rows: number, cols: number, out: A, alpha?: number, bRow?: boolean): void;
  unary(op: UnaryOp, x: A, out: A, n: number): void;
  matmul(a: A, transA: boolean, b: A, transB: boolean, out: A, m: number, k: number, n: number): void;
  /** Reduces [outer, size, inner] over size. */
  reduce(op: ReduceOp, x: A, outer: number, size: number, inner: number, out: A): void;
  /** An int32 array of n zeros (pooling indices). */
  zerosInt(n: number): A;
  conv2d(x: A, w: A, b: A, out: A, p: Conv2dParams): void;
  conv2dBackwardData(g: A, w: A, gi: A, p: Conv2dParams): void;
  conv2dBackwardWeights(x: A, g: A, gw: A, gb: A, p: Conv2dParams): void;
  maxPool2d(x: A, out: A, idx: A, p: Pool2dParams): void;
  maxPool2dBackward(g: A, idx: A, gi: A, p: Pool2dParams): void;
}

type HostArray = Float32Array | Int32Array;
const i32 = (a: HostArray) => a as Int32Array;

export const jsKernels: KernelSet<HostArray> = {
  upload: (d) => d.slice(),
  zeros: (n) => new Float32Array(n),
  read: async (a) => Float32Array.from(a),
  binary: (op, a, b, rows, cols, out, alpha = 1, bRow = false) =>
    jsBackend.binary(
      op,
      { buf: a, offset: 0, strides: [cols, 1] },
      { buf: b, offset: 0, strides: [bRow ? 0 : cols, 1] },
      [rows, cols],
      out,
      alpha,
    ),
  unary: (op, x, out, n) => jsBackend.unary(op, x, 0, out, n),
  matmul: (a, tA, b, tB, out, m, k, n) => jsBackend.matmul(a, 0, tA, b, 0, tB, out, 1, m, k, n),
  reduce: (op, x, o, s, i, out) => jsBackend.reduce(op, x, o, s, i, out),
  zerosInt: (n) => new Int32Array(n),
  conv2d: (x, w, b, out, p) => jsBackend.conv2d(x, w, b, out, p),
  conv2dBackwardData: (g, w, gi, p) => jsBackend.conv2dBackwardData(g, w, gi, p),
  conv2dBackwardWeights: (x, g, gw, gb, p) => jsBackend.conv2dBackwardWeights(x, g, gw, gb, p),
  maxPool2d: (x, out, idx, p) => jsBackend.maxPool2d(x, out, i32(idx), p),
  maxPool2dBackward: (g, idx, gi, p) => jsBackend.maxPool2dBackward(g, i32(idx), gi, p),
};

export function gpuKernels(ctx: gpu.WebGpuContext): KernelSet<gpu.GpuArray> {
  return {
    upload: (d) => ctx.upload(d),
    zeros: (n) => ctx.alloc('float32', n),
    read: async (a) => (await ctx.read(a)) as Float32Array,
    binary: (op, a, b, rows, cols, out, alpha = 1, bRow = false) =>
      gpu.binary(
        ctx,
        op,
        { buf: a, offset: 0, strides: [cols, 1] },
        { buf: b, offset: 0, strides: [bRow ? 0 : cols, 1] },
        [rows, cols],
        out,
        alpha,
      ),
    unary: (op, x, out, n) => gpu.unary(ctx, op, x, 0, out, n),
    matmul: (a, tA, b, tB, out, m, k, n) => gpu.matmul(ctx, a, 0, tA, b, 0, tB, out, 1, m, k, n),
    reduce: (op, x, o, s, i, out) => gpu.reduce(ctx, op, x, o, s, i, out),
    zerosInt: (n) => ctx.alloc('int32', n),
    conv2d: (x, w, b, out, p) => gpu.conv2d(ctx, x, w, b, out, p),
    conv2dBackwardData: (g, w, gi, p) => gpu.conv2dBackwardData(ctx, g, w, gi, p),
    conv2dBackwardWeights: (x, g, gw, gb, p) => gpu.conv2dBackwardWeights(ctx, x, g, gw, gb, p),
    maxPool2d: (x, out, idx, p) => gpu.maxPool2d(ctx, x, out, idx, p),
    maxPool2dBackward: (g, idx, gi, p) => gpu.maxPool2dBackward(ctx, g, idx, gi, p),
  };
}

/** Deterministic uniform values in [lo, hi). */
export function uniform(n: number, seed: number, lo: number, hi: number): Float32Array {
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

export interface MlpResult {
  losses: number[];
  /** Gradients of the last step: dW1, db1, dW2, db2. */
  grads: Float32Array[];
  /** Parameters after training: W1, b1, W2, b2. */
  params: Float32Array[];
}

/**
 * Trains y = tanh(x·W1 + b1)·W2 + b2 on a fixed regression task (exercise 1's shape: a few
 * inputs, one hidden layer, MSE) for `steps` SGD steps of learning rate `lr`.
 */
export async function trainMlp<A>(
  k: KernelSet<A>,
  steps: number,
  sizes = { n: 32, inF: 3, hidden: 16, outF: 2 },
  lr = 0.1,
): Promise<MlpResult> {
  const { n, inF, hidden, outF } = sizes;
  const X = k.upload(uniform(n * inF, 1, -1, 1));
  const T = k.upload(uniform(n * outF, 2, -1, 1));
  const W1 = k.upload(uniform(inF * hidden, 3, -0.5, 0.5));
  const b1 = k.upload(uniform(hidden, 4, -0.1, 0.1));
  const W2 = k.upload(uniform(hidden * outF, 5, -0.5, 0.5));
  const b2 = k.upload(uniform(outF, 6, -0.1, 0.1));
  const zeros = k.zeros(Math.max(n * hidden, n * outF));
  const Z = k.zeros(n * hidden);
  const H = k.zeros(n * hidden);
  const Y = k.zeros(n * outF);
  const D = k.zeros(n * outF);
  const SQ = k.zeros(n * outF);
  const L = k.zeros(1);
  const dW2 = k.zeros(hidden * outF);
  const db2 = k.zeros(outF);
  const dH = k.zeros(n * hidden);
  const H2 = k.zeros(n * hidden);
  const dZ = k.zeros(n * hidden);
  const dW1 = k.zeros(inF * hidden);
  const db1 = k.zeros(hidden);
  const losses: A[] = [];
  for (let s = 0; s < steps; s++) {
    k.matmul(X, false, W1, false, Z, n, inF, hidden);
    k.binary('add', Z, b1, n, hidden, Z, 1, true);
    k.unary('tanh', Z, H, n * hidden);
    k.matmul(H, false, W2, false, Y, n, hidden, outF);
    k.binary('add', Y, b2, n, outF, Y, 1, true);
    k.binary('sub', Y, T, n, outF, D);
    k.binary('mul', D, D, n, outF, SQ);
    k.reduce('sum', SQ, 1, n * outF, 1, L);
    const loss = k.zeros(1);
    k.binary('add', zeros, L, 1, 1, loss, 1 / (n * outF));
    losses.push(loss);
    // dLoss/dY = 2·D / (n·outF), folded into D.
    k.binary('add', zeros, D, n, outF, D, 2 / (n * outF));
    k.matmul(H, true, D, false, dW2, hidden, n, outF);
    k.reduce('sum', D, 1, n, outF, db2);
    k.matmul(D, false, W2, true, dH, n, outF, hidden);
    k.binary('mul', H, H, n, hidden, H2);
    // dZ = dH·(1 − H²) = dH − dH·H²
    k.binary('mul', dH, H2, n, hidden, dZ);
    k.binary('sub', dH, dZ, n, hidden, dZ);
    k.matmul(X, true, dZ, false, dW1, inF, n, hidden);
    k.reduce('sum', dZ, 1, n, hidden, db1);
    k.binary('sub', W1, dW1, inF, hidden, W1, lr);
    k.binary('sub', b1, db1, 1, hidden, b1, lr);
    k.binary('sub', W2, dW2, hidden, outF, W2, lr);
    k.binary('sub', b2, db2, 1, outF, b2, lr);
  }
  const lossValues: number[] = [];
  for (const l of losses) lossValues.push((await k.read(l))[0]);
  return {
    losses: lossValues,
    grads: await Promise.all([dW1, db1, dW2, db2].map((a) => k.read(a))),
    params: await Promise.all([W1, b1, W2, b2].map((a) => k.read(a))),
  };
}

const convParams = (batch: number, inC: number, hw: number, outC: number, k: number, pad: number): Conv2dParams => ({
  batch,
  inChannels: inC,
  inH: hw,
  inW: hw,
  outChannels: outC,
  kernelH: k,
  kernelW: k,
  outH: hw + 2 * pad - k + 1,
  outW: hw + 2 * pad - k + 1,
  strideH: 1,
  strideW: 1,
  padTop: pad,
  padLeft: pad,
  padBottom: pad,
  padRight: pad,
  dilationH: 1,
  dilationW: 1,
  groups: 1,
});

/**
 * A LeNet-style network — conv(1→4, 3×3, pad 1), ReLU, 2×2 max pooling, conv(4→6, 3×3), ReLU,
 * linear(96→10) — trained with SGD on MSE to fixed targets for `steps` steps on 12×12 inputs.
 */
export async function trainLenet<A>(k: KernelSet<A>, steps: number, lr = 0.05): Promise<MlpResult> {
  const B = 4;
  const c1 = convParams(B, 1, 12, 4, 3, 1);
  const pool: Pool2dParams = {
    planes: B * 4,
    inH: 12,
    inW: 12,
    outH: 6,
    outW: 6,
    kernelH: 2,
    kernelW: 2,
    strideH: 2,
    strideW: 2,
    padH: 0,
    padW: 0,
    dilationH: 1,
    dilationW: 1,
  };
  const c2 = convParams(B, 4, 6, 6, 3, 0);
  const F = 6 * 4 * 4;
  const X = k.upload(uniform(B * 144, 11, -1, 1));
  const T = k.upload(uniform(B * 10, 12, -1, 1));
  const W1 = k.upload(uniform(4 * 9, 13, -0.5, 0.5));
  const b1 = k.upload(uniform(4, 14, -0.1, 0.1));
  const W2 = k.upload(uniform(6 * 4 * 9, 15, -0.3, 0.3));
  const b2 = k.upload(uniform(6, 16, -0.1, 0.1));
  const W3 = k.upload(uniform(10 * F, 17, -0.2, 0.2));
  const b3 = k.upload(uniform(10, 18, -0.1, 0.1));
  const [Z1, R1, G1] = [k.zeros(B * 4 * 144), k.zeros(B * 4 * 144), k.zeros(B * 4 * 144)];
  const [P1, GP1, I1] = [k.zeros(B * 4 * 36), k.zeros(B * 4 * 36), k.zerosInt(B * 4 * 36)];
  const [Z2, R2, G2] = [k.zeros(B * F), k.zeros(B * F), k.zeros(B * F)];
  const [Y, D, SQ, L] = [k.zeros(B * 10), k.zeros(B * 10), k.zeros(B * 10), k.zeros(1)];
  const zeros = k.zeros(B * 10);
  const [gW1, gb1, gW2, gb2, gW3, gb3, GX] = [
    k.zeros(36),
    k.zeros(4),
    k.zeros(216),
    k.zeros(6),
    k.zeros(10 * F),
    k.zeros(10),
    k.zeros(B * 144),
  ];
  const losses: A[] = [];
  for (let s = 0; s < steps; s++) {
    k.conv2d(X, W1, b1, Z1, c1);
    k.unary('relu', Z1, R1, B * 4 * 144);
    k.maxPool2d(R1, P1, I1, pool);
    k.conv2d(P1, W2, b2, Z2, c2);
    k.unary('relu', Z2, R2, B * F);
    k.matmul(R2, false, W3, true, Y, B, F, 10);
    k.binary('add', Y, b3, B, 10, Y, 1, true);
    k.binary('sub', Y, T, B, 10, D);
    k.binary('mul', D, D, B, 10, SQ);
    k.reduce('sum', SQ, 1, B * 10, 1, L);
    const loss = k.zeros(1);
    k.binary('add', zeros, L, 1, 1, loss, 1 / (B * 10));
    losses.push(loss);
    k.binary('add', zeros, D, B, 10, D, 2 / (B * 10));
    k.matmul(D, true, R2, false, gW3, 10, B, F);
    k.reduce('sum', D, 1, B, 10, gb3);
    k.matmul(D, false, W3, false, G2, B, 10, F);
    k.binary('reluGrad', G2, Z2, B, F, G2);
    k.conv2dBackwardWeights(P1, G2, gW2, gb2, c2);
    k.conv2dBackwardData(G2, W2, GP1, c2);
    k.maxPool2dBackward(GP1, I1, G1, pool);
    k.binary('reluGrad', G1, Z1, B, 4 * 144, G1);
    k.conv2dBackwardWeights(X, G1, gW1, gb1, c1);
    k.conv2dBackwardData(G1, W1, GX, c1);
    for (const [w, g, n] of [
      [W1, gW1, 36],
      [b1, gb1, 4],
      [W2, gW2, 216],
      [b2, gb2, 6],
      [W3, gW3, 10 * F],
      [b3, gb3, 10],
    ] as [A, A, number][]) {
      k.binary('sub', w, g, 1, n, w, lr);
    }
  }
  const lossValues: number[] = [];
  for (const l of losses) lossValues.push((await k.read(l))[0]);
  return {
    losses: lossValues,
    grads: await Promise.all([gW1, gb1, gW2, gb2, gW3, gb3, GX].map((a) => k.read(a))),
    params: await Promise.all([W1, b1, W2, b2, W3, b3].map((a) => k.read(a))),
  };
}
