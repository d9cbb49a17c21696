// Elementwise kernels: copy, fill, unary, clamp, binary (broadcast through 0 strides) and where.
// Strided operands are walked with their shape and strides from the parameter array, so
// transposed, sliced and broadcast views are read in place.
import type { BinaryOp, UnaryOp } from '../../backend.js';
import { type GpuArray, type GpuDType, WebGpuContext, wgslType } from '../context.js';
import { COMMON, elementMain, groupsFor, paramsBinding } from '../wgsl.js';

/** A strided window on a GPU array, as the kernels see a tensor. */
export interface GpuStrided {
  buf: GpuArray;
  offset: number;
  strides: readonly number[];
}

const numel = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * Parameters of a strided walk: [n, rank, shape…, then per operand: offset, strides…], plus any
 * extra ints after them (their index is returned as `extra`).
 */
function stridedParams(
  shape: readonly number[],
  operands: readonly { offset: number; strides: readonly number[] }[],
  extra: number[] = [],
) {
  const rank = shape.length;
  const vals = [numel(shape), rank, ...shape];
  for (const o of operands) vals.push(o.offset, ...o.strides.slice(0, rank));
  const extraAt = vals.length;
  vals.push(...extra);
  return { vals, extraAt };
}

/** WGSL: offsetOf(i, k) is operand k's element offset for flat output index i. */
const OFFSET_OF = /* wgsl */ `
fn offsetOf(i: i32, k: i32) -> i32 {
  let rank = p[1];
  let base = 2 + rank + k * (rank + 1);
  var rem = i;
  var off = p[base];
  for (var d = rank - 1; d >= 0; d--) {
    let s = p[2 + d];
    off += (rem % s) * p[base + 1 + d];
    rem = rem / s;
  }
  return off;
}`;

/** WGSL expression converting `e` (of `from`'s WGSL type) to float. */
const toF32 = (from: GpuDType, e: string) => (from === 'float32' ? e : `f32(${e})`);

/** WGSL expression storing float `e` as `to`. */
const fromF32 = (to: GpuDType, e: string) => (to === 'float32' ? e : to === 'int32' ? `i32(${e})` : `select(0u, 1u, truthy(${e}))`);

function convert(from: GpuDType, to: GpuDType, e: string): string {
  if (from === to) return e;
  if (to === 'bool') return from === 'float32' ? `select(0u, 1u, truthy(${e}))` : `select(0u, 1u, ${e} != 0${from === 'int32' ? '' : 'u'})`;
  if (to === 'float32') return `f32(${e})`;
  return from === 'bool' ? `i32(${e})` : `i32(${e})`;
}

export function copy(ctx: WebGpuContext, src: GpuStrided, dst: GpuStrided, shape: readonly number[]): void {
  const n = numel(shape);
  if (n === 0) return;
  const s = src.buf.dtype;
  const d = dst.buf.dtype;
  const pipe = ctx.pipeline('copy', `copy:${s}:${d}`, () =>
    [
      COMMON,
      paramsBinding(0),
      `@group(0) @binding(1) var<storage, read> x: array<${wgslType(s)}>;`,
      `@group(0) @binding(2) var<storage, read_write> y: array<${wgslType(d)}>;`,
      OFFSET_OF,
      elementMain('p[0]', `  y[offsetOf(i, 1)] = ${convert(s, d, 'x[offsetOf(i, 0)]')};`),
    ].join('\n'),
  );
  const { vals } = stridedParams(shape, [src, dst]);
  ctx.dispatch(
    pipe,
    [{ array: ctx.params(vals) }, { array: src.buf }, { array: dst.buf, write: true }],
    WebGpuContext.groups1d(groupsFor(n)),
  );
}

export function fill(ctx: WebGpuContext, dst: GpuStrided, shape: readonly number[], value: number): void {
  const n = numel(shape);
  if (n === 0) return;
  const d = dst.buf.dtype;
  const pipe = ctx.pipeline('fill', `fill:${d}`, () =>
    [
      COMMON,
      paramsBinding(0),
      `@group(0) @binding(1) var<storage, read_write> y: array<${wgslType(d)}>;`,
      OFFSET_OF,
      // The value arrives as float bits, or as the integer itself for int32/bool.
      elementMain(
        'p[0]',
        `  y[offsetOf(i, 0)] = ${d === 'float32' ? 'bitcast<f32>(p[p[1] * 2 + 3])' : d === 'int32' ? 'p[p[1] * 2 + 3]' : 'u32(p[p[1] * 2 + 3])'};`,
      ),
    ].join('\n'),
  );
  const stored = d === 'bool' ? (value !== 0 ? 1 : 0) : d === 'int32' ? value | 0 : value;
  const { vals } = stridedParams(shape, [dst]);
  const bits = d === 'float32' ? new Int32Array(new Float32Array([stored]).buffer)[0] : stored;
  ctx.dispatch(pipe, [{ array: ctx.params([...vals, bits]) }, { array: dst.buf, write: true }], WebGpuContext.groups1d(groupsFor(n)));
}

/** erf to float precision (Abramowitz & Stegun 7.1.26 is too coarse; this is a rational fit ~1e-7). */
const ERF = /* wgsl */ `
fn erf_(x: f32) -> f32 {
  // erf via erfc's Numerical Recipes Chebyshev fit (fractional error < 1.2e-7).
  let z = abs(x);
  let t = 1.0 / (1.0 + 0.5 * z);
  let r = t * exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  if (z < 0.5) {
    // Near 0 erf's Taylor series is far more accurate than 1 - erfc.
    let z2 = x * x;
    return x * (1.1283791670955126 + z2 * (-0.37612638903183754 + z2 * (0.11283791670955126 + z2 * (-0.026866170645131252 + z2 * (0.005223977625442188 + z2 * -0.0008548327023450852)))));
  }
  return select(r - 1.0, 1.0 - r, x >= 0.0);
}
fn tanh_(x: f32) -> f32 {
  if (isnan_(x)) { return x; }
  if (abs(x) > 15.0) { return sign(x); }
  return tanh(x);
}`;

const K_TANH = '0.7978845608028654'; // sqrt(2/pi)

const UNARY_EXPR: Record<UnaryOp, string> = {
  neg: '-v',
  abs: 'abs(v)',
  sign: 'select(select(0.0, -1.0, v < 0.0), 1.0, v > 0.0)',
  exp: 'exp(v)',
  log: 'ulog(v)',
  // log1p/expm1 with the classic correction that keeps small arguments exact.
  log1p: 'ulog1p(v)',
  expm1: 'uexpm1(v)',
  sqrt: 'usqrt(v)',
  rsqrt: '1.0 / usqrt(v)',
  reciprocal: '1.0 / v',
  square: 'v * v',
  sin: 'sin(v)',
  cos: 'cos(v)',
  sigmoid: '1.0 / (1.0 + exp(-v))',
  tanh: 'tanh_(v)',
  relu: 'select(v, 0.0, v < 0.0)',
  not: 'select(1.0, 0.0, truthy(v))',
  gelu: '0.5 * v * (1.0 + erf_(v * 0.7071067811865476))',
  geluTanh: `0.5 * v * (1.0 + tanh_(${K_TANH} * (v + 0.044715 * v * v * v)))`,
  geluGrad: '0.5 * (1.0 + erf_(v * 0.7071067811865476)) + v * 0.3989422804014327 * exp(-0.5 * v * v)',
  geluTanhGrad: `geluTanhGrad_(v)`,
};

const UNARY_HELPERS = /* wgsl */ `
fn ulog(v: f32) -> f32 {
  if (isnan_(v) || v < 0.0) { return nan_(); }
  if (v == 0.0) { return -inf_(); }
  if (v == inf_()) { return v; }
  return log(v);
}
fn usqrt(v: f32) -> f32 {
  if (isnan_(v) || v < 0.0) { return nan_(); }
  if (v == inf_()) { return v; }
  return sqrt(v);
}
fn ulog1p(v: f32) -> f32 {
  if (isnan_(v) || v < -1.0) { return nan_(); }
  if (v == -1.0) { return -inf_(); }
  if (v == inf_()) { return v; }
  let u = 1.0 + v;
  if (u == 1.0) { return v; }
  return log(u) * v / (u - 1.0);
}
fn uexpm1(v: f32) -> f32 {
  if (isnan_(v)) { return v; }
  if (v > 88.7) { return inf_(); }
  if (abs(v) < 1e-5) { return v + 0.5 * v * v; }
  let u = exp(v);
  if (u == 0.0) { return -1.0; }
  return (u - 1.0) * v / log(u);
}
fn geluTanhGrad_(v: f32) -> f32 {
  let inner = ${K_TANH} * (v + 0.044715 * v * v * v);
  let t = tanh_(inner);
  return 0.5 * (1.0 + t) + 0.5 * v * (1.0 - t * t) * ${K_TANH} * (1.0 + 3.0 * 0.044715 * v * v);
}`;

// int32 → int32 ops in i32 arithmetic: float32 holds integers exactly only up to 2^24, and WGSL's
// i32 arithmetic wraps like the reference's Int32Array stores (abs and negation of -2^31 included).
const UNARY_INT_EXPR: Partial<Record<UnaryOp, string>> = {
  neg: '-v',
  abs: 'abs(v)',
  sign: 'sign(v)',
  square: 'v * v',
  relu: 'max(v, 0)',
};

/** Unary op over `n` contiguous elements of x (from `xOffset`) into out. */
export function unary(ctx: WebGpuContext, op: UnaryOp, x: GpuArray, xOffset: number, out: GpuArray, n: number): void {
  if (n === 0) return;
  const expr = UNARY_EXPR[op];
  if (expr === undefined) throw new Error(`webgpu unary: unknown op ${op as string}`);
  const intExpr = x.dtype === 'int32' && out.dtype === 'int32' ? UNARY_INT_EXPR[op] : undefined;
  if (intExpr !== undefined) {
    const pipe = ctx.pipeline(`unary:${op}`, `unary:${op}:int32`, () =>
      [
        paramsBinding(0),
        '@group(0) @binding(1) var<storage, read> x: array<i32>;',
        '@group(0) @binding(2) var<storage, read_write> y: array<i32>;',
        elementMain('p[0]', `  let v = x[p[1] + i];\n  y[i] = ${intExpr};`),
      ].join('\n'),
    );
    ctx.dispatch(
      pipe,
      [{ array: ctx.params([n, xOffset]) }, { array: x }, { array: out, write: true }],
      WebGpuContext.groups1d(groupsFor(n)),
    );
    return;
  }
  const pipe = ctx.pipeline(`unary:${op}`, `unary:${op}:${x.dtype}:${out.dtype}`, () =>
    [
      COMMON,
      ERF,
      UNARY_HELPERS,
      paramsBinding(0),
      `@group(0) @binding(1) var<storage, read> x: array<${wgslType(x.dtype)}>;`,
      `@group(0) @binding(2) var<storage, read_write> y: array<${wgslType(out.dtype)}>;`,
      elementMain(
        'p[0]',
        // NaN in, NaN out for every op but sign and not (PyTorch's sign(NaN) is 0... as the reference's).
        `  let v = ${toF32(x.dtype, 'x[p[1] + i]')};
  var r = ${expr};
  ${op === 'sign' ? 'if (isnan_(v)) { r = 0.0; }' : op === 'not' ? '' : 'if (isnan_(v)) { r = v; }'}
  y[i] = ${fromF32(out.dtype, 'r')};`,
      ),
    ].join('\n'),
  );
  ctx.dispatch(
    pipe,
    [{ array: ctx.params([n, xOffset]) }, { array: x }, { array: out, write: true }],
    WebGpuContext.groups1d(groupsFor(n)),
  );
}

/** clamp(x, lo, hi) over `n` contiguous elements; NaN bounds mean no bound, NaN inputs stay NaN. */
export function clamp(ctx: WebGpuContext, x: GpuArray, xOffset: number, out: GpuArray, n: number, lo: number, hi: number): void {
  if (n === 0) return;
  const pipe = ctx.pipeline('clamp', `clamp:${x.dtype}:${out.dtype}`, () =>
    [
      COMMON,
      paramsBinding(0),
      `@group(0) @binding(1) var<storage, read> x: array<${wgslType(x.dtype)}>;`,
      `@group(0) @binding(2) var<storage, read_write> y: array<${wgslType(out.dtype)}>;`,
      elementMain(
        'p[0]',
        `  var v = ${toF32(x.dtype, 'x[p[1] + i]')};
  if (!isnan_(v)) {
    if (p[2] != 0 && v < pf(4)) { v = pf(4); }
    if (p[3] != 0 && v > pf(5)) { v = pf(5); }
  }
  y[i] = ${fromF32(out.dtype, 'v')};`,
      ),
    ].join('\n'),
  );
  const hasLo = Number.isNaN(lo) ? 0 : 1;
  const hasHi = Number.isNaN(hi) ? 0 : 1;
  ctx.dispatch(
    pipe,
    [{ array: ctx.params([n, xOffset, hasLo, hasHi], [hasLo ? lo : 0, hasHi ? hi : 0]) }, { array: x }, { array: out, write: true }],
    WebGpuContext.groups1d(groupsFor(n)),
  );
}

const BINARY_EXPR: Record<BinaryOp, string> = {
  add: 'fma(alpha, b, a)',
  sub: 'fma(-alpha, b, a)',
  mul: 'a * b',
  div: 'a / b',
  pow: 'upow(a, b)',
  maximum: 'select(max(a, b), nan_(), isnan_(a) || isnan_(b))',
  minimum: 'select(min(a, b), nan_(), isnan_(a) || isnan_(b))',
  eq: 'select(0.0, 1.0, a == b && !isnan_(a))',
  ne: 'select(0.0, 1.0, a != b || isnan_(a) || isnan_(b))',
  lt: 'select(0.0, 1.0, a < b && !isnan_(a) && !isnan_(b))',
  le: 'select(0.0, 1.0, a <= b && !isnan_(a) && !isnan_(b))',
  gt: 'select(0.0, 1.0, a > b && !isnan_(a) && !isnan_(b))',
  ge: 'select(0.0, 1.0, a >= b && !isnan_(a) && !isnan_(b))',
  and: 'select(0.0, 1.0, truthy(a) && truthy(b))',
  or: 'select(0.0, 1.0, truthy(a) || truthy(b))',
  reluGrad: 'select(a, 0.0, b <= 0.0 && !isnan_(b))',
};

// Both operands int32: i32 arithmetic and comparisons (exact past 2^24, wrapping like the
// reference). div and pow stay in float32, as their results are floats.
const BINARY_INT_EXPR: Partial<Record<BinaryOp, string>> = {
  add: 'a + alpha * b',
  sub: 'a - alpha * b',
  mul: 'a * b',
  maximum: 'max(a, b)',
  minimum: 'min(a, b)',
  eq: 'select(0, 1, a == b)',
  ne: 'select(0, 1, a != b)',
  lt: 'select(0, 1, a < b)',
  le: 'select(0, 1, a <= b)',
  gt: 'select(0, 1, a > b)',
  ge: 'select(0, 1, a >= b)',
  and: 'select(0, 1, a != 0 && b != 0)',
  or: 'select(0, 1, a != 0 || b != 0)',
  reluGrad: 'select(a, 0, b <= 0)',
};

/** pow with C's rules for negative bases and zeros (WGSL's pow is undefined for x < 0). */
const POW = /* wgsl */ `
fn upow(x: f32, y: f32) -> f32 {
  if (y == 0.0) { return 1.0; }
  if (x == 1.0) { return 1.0; }
  if (isnan_(x) || isnan_(y)) { return nan_(); }
  let ay = abs(y);
  let yInt = floor(y) == y;
  let yOdd = yInt && ay < 16777216.0 && (i32(ay) & 1) == 1;
  if (x == 0.0) {
    if (y > 0.0) { return select(0.0, x, yOdd); }
    let s = select(1.0, -1.0, yOdd && bitcast<u32>(x) == 0x80000000u);
    return s * inf_();
  }
  let ax = abs(x);
  var r: f32;
  if (ax == inf_()) { r = select(0.0, inf_(), y > 0.0); }
  else if (ay == inf_()) {
    if (ax == 1.0) { return 1.0; }
    r = select(0.0, inf_(), (ax > 1.0) == (y > 0.0));
    return r;
  } else { r = exp2(y * log2(ax)); }
  if (x < 0.0) {
    if (!yInt) { return nan_(); }
    if (yOdd) { return -r; }
  }
  return r;
}`;

/** out = a op b over `shape` (a, b strided/broadcast; out contiguous); alpha scales b for add/sub. */
export function binary(
  ctx: WebGpuContext,
  op: BinaryOp,
  a: GpuStrided,
  b: GpuStrided,
  shape: readonly number[],
  out: GpuArray,
  alpha = 1,
): void {
  const n = numel(shape);
  if (n === 0) return;
  const expr = BINARY_EXPR[op];
  if (expr === undefined) throw new Error(`webgpu binary: unknown op ${op as string}`);
  const ta = a.buf.dtype;
  const tb = b.buf.dtype;
  const intExpr = ta === 'int32' && tb === 'int32' && Number.isInteger(alpha) && alpha === (alpha | 0) ? BINARY_INT_EXPR[op] : undefined;
  if (intExpr !== undefined) {
    const pipe = ctx.pipeline(`binary:${op}`, `binary:${op}:int32:${out.dtype}`, () =>
      [
        paramsBinding(0),
        '@group(0) @binding(1) var<storage, read> xa: array<i32>;',
        '@group(0) @binding(2) var<storage, read> xb: array<i32>;',
        `@group(0) @binding(3) var<storage, read_write> y: array<${wgslType(out.dtype)}>;`,
        OFFSET_OF,
        elementMain(
          'p[0]',
          `  let a = xa[offsetOf(i, 0)];
  let b = xb[offsetOf(i, 1)];
  let alpha = p[p[1] * 3 + 4];
  y[i] = ${convert('int32', out.dtype, `(${intExpr})`)};`,
        ),
      ].join('\n'),
    );
    const { vals } = stridedParams(shape, [a, b]);
    ctx.dispatch(
      pipe,
      [{ array: ctx.params([...vals, alpha]) }, { array: a.buf }, { array: b.buf }, { array: out, write: true }],
      WebGpuContext.groups1d(groupsFor(n)),
    );
    return;
  }
  const pipe = ctx.pipeline(`binary:${op}`, `binary:${op}:${ta}:${tb}:${out.dtype}`, () =>
    [
      COMMON,
      POW,
      paramsBinding(0),
      `@group(0) @binding(1) var<storage, read> xa: array<${wgslType(ta)}>;`,
      `@group(0) @binding(2) var<storage, read> xb: array<${wgslType(tb)}>;`,
      `@group(0) @binding(3) var<storage, read_write> y: array<${wgslType(out.dtype)}>;`,
      OFFSET_OF,
      elementMain(
        'p[0]',
        `  let a = ${toF32(ta, 'xa[offsetOf(i, 0)]')};
  let b = ${toF32(tb, 'xb[offsetOf(i, 1)]')};
  let alpha = pf(p[1] * 3 + 4);
  y[i] = ${fromF32(out.dtype, expr)};`,
      ),
    ].join('\n'),
  );
  const { vals } = stridedParams(shape, [a, b]);
  const alphaBits = new Int32Array(new Float32Array([alpha]).buffer)[0];
  ctx.dispatch(
    pipe,
    [{ array: ctx.params([...vals, alphaBits]) }, { array: a.buf }, { array: b.buf }, { array: out, write: true }],
    WebGpuContext.groups1d(groupsFor(n)),
  );
}

/** out = cond ? a : b over `shape` (all broadcast through 0 strides). */
export function where(ctx: WebGpuContext, cond: GpuStrided, a: GpuStrided, b: GpuStrided, shape: readonly number[], out: GpuArray): void {
  const n = numel(shape);
  if (n === 0) return;
  const tc = cond.buf.dtype;
  const pipe = ctx.pipeline('where', `where:${tc}:${a.buf.dtype}:${b.buf.dtype}:${out.dtype}`, () =>
    [
      COMMON,
      paramsBinding(0),
      `@group(0) @binding(1) var<storage, read> xc: array<${wgslType(tc)}>;`,
      `@group(0) @binding(2) var<storage, read> xa: array<${wgslType(a.buf.dtype)}>;`,
      `@group(0) @binding(3) var<storage, read> xb: array<${wgslType(b.buf.dtype)}>;`,
      `@group(0) @binding(4) var<storage, read_write> y: array<${wgslType(out.dtype)}>;`,
      OFFSET_OF,
      elementMain(
        'p[0]',
        `  let c = xc[offsetOf(i, 0)];
  if (${tc === 'float32' ? 'truthy(c)' : tc === 'int32' ? 'c != 0' : 'c != 0u'}) { y[i] = ${convert(a.buf.dtype, out.dtype, 'xa[offsetOf(i, 1)]')}; }
  else { y[i] = ${convert(b.buf.dtype, out.dtype, 'xb[offsetOf(i, 2)]')}; }`,
      ),
    ].join('\n'),
  );
  const { vals } = stridedParams(shape, [cond, a, b]);
  ctx.dispatch(
    pipe,
    [{ array: ctx.params(vals) }, { array: cond.buf }, { array: a.buf }, { array: b.buf }, { array: out, write: true }],
    WebGpuContext.groups1d(groupsFor(n)),
  );
}
