// A small MLP trained with SGD written directly on backend kernels (forward, hand-written
// backward, update), once over any kernel set: the TypeScript reference on TypedArrays, or the
// WebGPU kernels on GPU arrays. Used by the Node test and by the headless-Chromium test to check
// that training on the GPU follows the CPU run. Browser-safe.
import type { BinaryOp, ReduceOp, UnaryOp } from '../../../src/backend/backend.js';
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
}

export const jsKernels: KernelSet<Float32Array> = {
  upload: (d) => d.slice(),
  zeros: (n) => new Float32Array(n),
  read: async (a) => a.slice(),
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
