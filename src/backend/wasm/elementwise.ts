import type { TypedArray } from '../../tensor/dtype.js';
import type { BinaryOp, ReduceOp, Strided, UnaryOp } from '../backend.js';
import type { KernelRegistrations } from '../kernels.js';
import { withCall } from './call.js';
import type { WasmRuntime } from './runtime.js';

// Op codes of wasm/assembly/elementwise.ts: the ops whose float32 SIMD result equals the
// reference's double computation rounded once. Transcendentals (exp, tanh, …) stay on the
// TypeScript kernels, whose Math functions a SIMD polynomial would not match bit for bit.
const UNARY_OPS: readonly UnaryOp[] = ['neg', 'abs', 'sign', 'sqrt', 'reciprocal', 'square', 'relu'];
const BINARY_OPS: readonly BinaryOp[] = ['add', 'sub', 'mul', 'div', 'maximum', 'minimum', 'reluGrad'];
const REDUCE_OPS: readonly ReduceOp[] = ['sum', 'max', 'min'];

// Below this many elements the TypeScript loop beats copying the operands into the module's
// memory and back (measured with bench/wasm-ops.ts).
export const MIN_ELEMENTWISE = 1 << 14;

/**
 * How an operand walks a [rows, cols] view of `shape` (rows: the leading dimensions together,
 * cols: the last): [rowStride, colStride], colStride 0 or 1, or null when it does not fit.
 */
function rowsOf(shape: readonly number[], strides: readonly number[]): [number, number] | null {
  // The operand is staged from its offset forward: a negative stride would reach before it.
  if (strides.some((s) => s < 0)) return null;
  const last = shape.length - 1;
  const cols = last < 0 ? 1 : shape[last];
  const colStride = cols === 1 ? 0 : strides[last];
  if (colStride !== 0 && colStride !== 1) return null;
  let rowStride: number | null = null;
  let inner = 1;
  for (let d = last - 1; d >= 0; d--) {
    if (shape[d] === 1) continue;
    if (rowStride === null) rowStride = strides[d];
    else if (strides[d] !== rowStride * inner) return null;
    inner *= shape[d];
  }
  return [rowStride ?? 0, colStride];
}

/** Elements from the view's offset to its last reachable element, inclusive. */
function extent(shape: readonly number[], s: Strided): number {
  let hi = 0;
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 0) return 0;
    hi += (shape[d] - 1) * s.strides[d];
  }
  return hi + 1;
}

const f32 = (a: unknown): a is Float32Array => a instanceof Float32Array;
const numel = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

interface Plan {
  rows: number;
  cols: number;
  a: [number, number];
  b: [number, number];
}

function plan(a: Strided, b: Strided, shape: readonly number[]): Plan | null {
  const ra = rowsOf(shape, a.strides);
  const rb = rowsOf(shape, b.strides);
  if (ra === null || rb === null) return null;
  const n = numel(shape);
  const cols = shape.length === 0 ? 1 : shape[shape.length - 1];
  // Dense or fully broadcast operands: one long row, so SIMD runs the whole length.
  const flat = (r: [number, number]) => r[0] === cols * r[1];
  if (flat(ra) && flat(rb)) return { rows: 1, cols: n, a: [0, ra[1]], b: [0, rb[1]] };
  return { rows: n / Math.max(cols, 1), cols, a: ra, b: rb };
}

/** unary, binary and reduce on the SIMD kernels, for large float32 calls of the ops above. */
export function elementwiseKernels(rt: WasmRuntime): KernelRegistrations {
  const e = rt.exports;
  return {
    unary: {
      accepts: (op, x, _xOffset, out, n) => n >= MIN_ELEMENTWISE && UNARY_OPS.includes(op) && f32(x) && f32(out),
      kernel: (op, x, xOffset, out, n) =>
        withCall(rt, (c) => {
          const px = c.input(x.subarray(xOffset, xOffset + n));
          const po = c.output(out.subarray(0, n));
          e.unaryF32(UNARY_OPS.indexOf(op), px, po, n);
        }),
    },
    binary: {
      accepts: (op, a, b, shape, out, alpha = 1) => {
        if (!BINARY_OPS.includes(op) || !f32(a.buf) || !f32(b.buf) || !f32(out) || numel(shape) < MIN_ELEMENTWISE) return false;
        const p = plan(a, b, shape);
        if (p === null) return false;
        // a ± alpha·b in double: dense same-shape operands only.
        return alpha === 1 || ((op === 'add' || op === 'sub') && p.rows === 1 && p.a[1] === 1 && p.b[1] === 1);
      },
      kernel: (op, a, b, shape, out, alpha = 1) =>
        withCall(rt, (c) => {
          const p = plan(a, b, shape) as Plan;
          const n = numel(shape);
          const view = (s: Strided) => (s.buf as Float32Array).subarray(s.offset, s.offset + extent(shape, s));
          const pa = c.input(view(a));
          const pb = c.input(view(b));
          const po = c.output((out as TypedArray).subarray(0, n));
          if (alpha !== 1) e.addScaledF32(pa, pb, po, n, op === 'sub' ? -alpha : alpha);
          else e.binaryF32(BINARY_OPS.indexOf(op), pa, p.a[0], p.a[1], pb, p.b[0], p.b[1], po, p.rows, p.cols);
        }),
    },
    reduce: {
      // Vectorized across the kept inner axis, which keeps the reference's summation order
      // (reducing the last axis, inner = 1, would need another order: it stays in TypeScript).
      accepts: (op, x, outer, size, inner, out) =>
        REDUCE_OPS.includes(op) && inner >= 4 && outer * size * inner >= MIN_ELEMENTWISE && f32(x) && f32(out),
      kernel: (op, x, outer, size, inner, out) =>
        withCall(rt, (c) => {
          const px = c.input(x.subarray(0, outer * size * inner));
          const po = c.output(out.subarray(0, outer * inner));
          e.reduceF32(REDUCE_OPS.indexOf(op), px, outer, size, inner, po, c.scratch(inner * 8));
        }),
    },
  };
}
