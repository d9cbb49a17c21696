import type { TypedArray } from '../../tensor/dtype.js';
import { isContiguous, numelOf } from '../../tensor/shape.js';
import type { BinaryOp, Strided, UnaryOp } from '../backend.js';
import { geluDerivative, geluValue } from './gelu.js';
import { flatStride, forEachRow } from './strided.js';

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

export function copy(src: Strided, dst: Strided, shape: readonly number[]): void {
  const x = src.buf;
  const out = dst.buf;
  // Converting to bool is "nonzero" (NaN included), not the Uint8Array's modulo-256 store.
  const toBool = out instanceof Uint8Array && !(x instanceof Uint8Array);
  // Fast path (materialize, row copies): same element type, both dense: one TypedArray.set.
  if (x.constructor === out.constructor && isContiguous(shape, src.strides) && isContiguous(shape, dst.strides)) {
    const n = numelOf(shape);
    out.set(x.subarray(src.offset, src.offset + n), dst.offset);
    return;
  }
  forEachRow(shape, [src, dst], (off, len, [s, t]) => {
    let p = off[0];
    let q = off[1];
    if (toBool) for (let i = 0; i < len; i++, p += s, q += t) out[q] = x[p] !== 0 ? 1 : 0;
    else for (let i = 0; i < len; i++, p += s, q += t) out[q] = x[p];
  });
}

export function fill(dst: Strided, shape: readonly number[], value: number): void {
  const out = dst.buf;
  // As in copy: a bool element is "nonzero", NaN included.
  const v = out instanceof Uint8Array ? (value !== 0 ? 1 : 0) : value;
  // Fast path (fresh tensors, fill_ on a whole tensor): one TypedArray.fill, no row walk.
  if (isContiguous(shape, dst.strides)) {
    out.fill(v, dst.offset, dst.offset + numelOf(shape));
    return;
  }
  forEachRow(shape, [dst], (off, len, [t]) => {
    if (t === 1) out.fill(v, off[0], off[0] + len);
    else for (let i = 0, q = off[0]; i < len; i++, q += t) out[q] = v;
  });
}

/** One switch per call, one tight loop per op: no per-element dispatch. */
export function unary(op: UnaryOp, x: TypedArray, xo: number, out: TypedArray, n: number): void {
  switch (op) {
    case 'neg':
      for (let i = 0; i < n; i++) out[i] = -x[xo + i];
      break;
    case 'abs':
      for (let i = 0; i < n; i++) out[i] = Math.abs(x[xo + i]);
      break;
    // PyTorch's sign is (0 < x) − (x < 0): 0 for ±0 and for NaN.
    case 'sign':
      for (let i = 0; i < n; i++) {
        const v = x[xo + i];
        out[i] = v > 0 ? 1 : v < 0 ? -1 : 0;
      }
      break;
    case 'exp':
      for (let i = 0; i < n; i++) out[i] = Math.exp(x[xo + i]);
      break;
    case 'log':
      for (let i = 0; i < n; i++) out[i] = Math.log(x[xo + i]);
      break;
    case 'log1p':
      for (let i = 0; i < n; i++) out[i] = Math.log1p(x[xo + i]);
      break;
    case 'expm1':
      for (let i = 0; i < n; i++) out[i] = Math.expm1(x[xo + i]);
      break;
    case 'sqrt':
      for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[xo + i]);
      break;
    case 'rsqrt':
      for (let i = 0; i < n; i++) out[i] = 1 / Math.sqrt(x[xo + i]);
      break;
    case 'reciprocal':
      for (let i = 0; i < n; i++) out[i] = 1 / x[xo + i];
      break;
    case 'square':
      // int32 squares wrap like C (PyTorch), which a double product loses past 2^53.
      if (out instanceof Int32Array) for (let i = 0; i < n; i++) out[i] = Math.imul(x[xo + i], x[xo + i]);
      else
        for (let i = 0; i < n; i++) {
          const v = x[xo + i];
          out[i] = v * v;
        }
      break;
    case 'sin':
      for (let i = 0; i < n; i++) out[i] = Math.sin(x[xo + i]);
      break;
    case 'cos':
      for (let i = 0; i < n; i++) out[i] = Math.cos(x[xo + i]);
      break;
    case 'sigmoid':
      for (let i = 0; i < n; i++) out[i] = sigmoid(x[xo + i]);
      break;
    case 'tanh':
      for (let i = 0; i < n; i++) out[i] = Math.tanh(x[xo + i]);
      break;
    case 'gelu':
      for (let i = 0; i < n; i++) out[i] = geluValue(x[xo + i], false);
      break;
    case 'geluTanh':
      for (let i = 0; i < n; i++) out[i] = geluValue(x[xo + i], true);
      break;
    case 'geluGrad':
      for (let i = 0; i < n; i++) out[i] = geluDerivative(x[xo + i], false);
      break;
    case 'geluTanhGrad':
      for (let i = 0; i < n; i++) out[i] = geluDerivative(x[xo + i], true);
      break;
    // PyTorch's relu keeps NaN and −0 (only negatives become 0).
    case 'relu':
      for (let i = 0; i < n; i++) {
        const v = x[xo + i];
        // biome-ignore lint/complexity/useMathMinMax: Math.max(-0, 0) is +0; PyTorch keeps −0.
        out[i] = v < 0 ? 0 : v;
      }
      break;
    // Truth is "nonzero", so NaN is true (JS would call it falsy).
    case 'not':
      for (let i = 0; i < n; i++) out[i] = x[xo + i] !== 0 ? 0 : 1;
      break;
    default:
      throw new Error(`unary: unknown op ${op as string}`);
  }
}

export function clamp(x: TypedArray, xo: number, out: TypedArray, n: number, lo: number, hi: number): void {
  const hasLo = !Number.isNaN(lo);
  const hasHi = !Number.isNaN(hi);
  for (let i = 0; i < n; i++) {
    let v = x[xo + i];
    // NaN inputs stay NaN (comparisons are false), as in PyTorch.
    if (hasLo && v < lo) v = lo;
    if (hasHi && v > hi) v = hi;
    out[i] = v;
  }
}

/** out = a op b; for add and sub, `alpha` scales b (a ± alpha·b with one rounding, as PyTorch fuses it). */
export function binary(op: BinaryOp, a: Strided, b: Strided, shape: readonly number[], out: TypedArray, alpha = 1): void {
  const x = a.buf;
  const y = b.buf;
  // Fast path, the common case (same-shape operands, a scalar operand): one row over every
  // element, without forEachRow's per-call arrays and closure; the same loop, so the same values.
  const sa = flatStride(a, shape);
  const sb = flatStride(b, shape);
  if (sa >= 0 && sb >= 0) {
    binaryRow(op, x, a.offset, sa, y, b.offset, sb, out, 0, numelOf(shape), alpha);
    return;
  }
  let o = 0;
  forEachRow(shape, [a, b], (off, len, [ra, rb]) => {
    binaryRow(op, x, off[0], ra, y, off[1], rb, out, o, len, alpha);
    o += len;
  });
}

/** One row of `binary`: `len` elements of x (from p, stride sa) op y (from q, stride sb) into out from o. */
function binaryRow(
  op: BinaryOp,
  x: TypedArray,
  p: number,
  sa: number,
  y: TypedArray,
  q: number,
  sb: number,
  out: TypedArray,
  o: number,
  len: number,
  alpha: number,
): void {
  const end = o + len;
  switch (op) {
    case 'add':
      // bool + bool is logical or (1 + 1 must not store 2 in a bool tensor).
      if (out instanceof Uint8Array) for (; o < end; o++, p += sa, q += sb) out[o] = x[p] !== 0 || y[q] !== 0 ? 1 : 0;
      else if (alpha === 1) for (; o < end; o++, p += sa, q += sb) out[o] = x[p] + y[q];
      else for (; o < end; o++, p += sa, q += sb) out[o] = x[p] + alpha * y[q];
      break;
    case 'sub':
      if (alpha === 1) for (; o < end; o++, p += sa, q += sb) out[o] = x[p] - y[q];
      else for (; o < end; o++, p += sa, q += sb) out[o] = x[p] - alpha * y[q];
      break;
    case 'mul':
      // int32 products must wrap like C, which a double product loses past 2^53.
      if (out instanceof Int32Array) for (; o < end; o++, p += sa, q += sb) out[o] = Math.imul(x[p], y[q]);
      else for (; o < end; o++, p += sa, q += sb) out[o] = x[p] * y[q];
      break;
    case 'div':
      for (; o < end; o++, p += sa, q += sb) out[o] = x[p] / y[q];
      break;
    case 'pow':
      for (; o < end; o++, p += sa, q += sb) out[o] = x[p] ** y[q];
      break;
    // maximum/minimum propagate NaN like PyTorch (Math.max does too).
    case 'maximum':
      for (; o < end; o++, p += sa, q += sb) out[o] = Math.max(x[p], y[q]);
      break;
    case 'minimum':
      for (; o < end; o++, p += sa, q += sb) out[o] = Math.min(x[p], y[q]);
      break;
    case 'eq':
      for (; o < end; o++, p += sa, q += sb) out[o] = x[p] === y[q] ? 1 : 0;
      break;
    case 'ne':
      for (; o < end; o++, p += sa, q += sb) out[o] = x[p] !== y[q] ? 1 : 0;
      break;
    case 'lt':
      for (; o < end; o++, p += sa, q += sb) out[o] = x[p] < y[q] ? 1 : 0;
      break;
    case 'le':
      for (; o < end; o++, p += sa, q += sb) out[o] = x[p] <= y[q] ? 1 : 0;
      break;
    case 'gt':
      for (; o < end; o++, p += sa, q += sb) out[o] = x[p] > y[q] ? 1 : 0;
      break;
    case 'ge':
      for (; o < end; o++, p += sa, q += sb) out[o] = x[p] >= y[q] ? 1 : 0;
      break;
    case 'and':
      for (; o < end; o++, p += sa, q += sb) out[o] = x[p] !== 0 && y[q] !== 0 ? 1 : 0;
      break;
    case 'or':
      for (; o < end; o++, p += sa, q += sb) out[o] = x[p] !== 0 || y[q] !== 0 ? 1 : 0;
      break;
    case 'reluGrad':
      for (; o < end; o++, p += sa, q += sb) out[o] = y[q] <= 0 ? 0 : x[p];
      break;
    default:
      throw new Error(`binary: unknown op ${op as string}`);
  }
}

export function where(c: Strided, a: Strided, b: Strided, shape: readonly number[], out: TypedArray): void {
  let o = 0;
  forEachRow(shape, [c, a, b], (off, len, [sc, sa, sb]) => {
    let r = off[0];
    let p = off[1];
    let q = off[2];
    for (let i = 0; i < len; i++, o++, r += sc, p += sa, q += sb) out[o] = c.buf[r] ? a.buf[p] : b.buf[q];
  });
}
