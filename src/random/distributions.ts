/**
 * Distribution kernels that fill TypedArrays exactly as PyTorch 1.13 CPU
 * fills a contiguous tensor of the same dtype and numel
 * (aten/src/ATen/native/cpu/DistributionTemplates.h, DistributionsHelper.h,
 * TransformationHelper.h, TensorFactories.cpp).
 *
 * Dtype mapping: Float32Array = torch.float32, Float64Array = torch.float64,
 * Int32Array = torch.int64 (PyTorch's default integer dtype; it consumes the
 * random stream exactly like int64, only the storage is narrower).
 *
 * PyTorch's AVX2 kernels are built with -mfma, so GCC contracts a*b+c into
 * fused multiply-adds; the helpers below emulate single-rounding FMA so the
 * results match bit for bit.
 */
import type { Generator } from './generator.js';

/** Float arrays the real-valued samplers accept. */
export type FloatArray = Float32Array | Float64Array;
/** Arrays the integer/bernoulli samplers accept. */
export type NumericArray = Float32Array | Float64Array | Int32Array;

const fround = Math.fround;
const TWO_POW_M24 = 2 ** -24;
const TWO_POW_M53 = 2 ** -53;
const TWO_POW_32 = 4294967296;

// ---------------------------------------------------------------------------
// Exact fused multiply-add emulation.

const f64 = new Float64Array(1);
const f64w = new Uint32Array(f64.buffer); // [lo, hi] on little-endian hosts
const LO = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;
const HI = 1 - LO;

/**
 * Round-to-odd of the exact sum `s + e`, where `s = RN(a + b)` and `e` its
 * exact error (TwoSum). Rounding to odd first and to nearest afterwards in
 * a narrower format is a single correct rounding (Boldo & Melquiond).
 */
function roundToOdd(s: number, e: number): number {
  if (e === 0) return s;
  f64[0] = s;
  let lo = f64w[LO] as number;
  if ((lo & 1) === 1) return s;
  let hi = f64w[HI] as number;
  // Step one ulp toward the exact value: away from zero if e has s's sign.
  if (e > 0 === s > 0) {
    lo = lo + 1; // lo is even, so no carry
  } else if (lo === 0) {
    lo = 0xffffffff;
    hi = hi - 1;
  } else {
    lo = lo - 1;
  }
  f64w[LO] = lo;
  f64w[HI] = hi;
  return f64[0] as number;
}

/** `fmaf(a, b, c)` for float32 a, b, c: the product is exact in double; one correct rounding to float. */
export function fma32(a: number, b: number, c: number): number {
  const p = a * b; // exact: 24 + 24 bits fit in 53
  const s = p + c;
  const r = fround(s);
  if (r === s) return r;
  // Double rounding can only go wrong when s sits exactly on a float midpoint.
  f64[0] = s;
  if (((f64w[LO] as number) & 0x1fffffff) !== 0x10000000) return r;
  const bb = s - p;
  const err = p - (s - bb) + (c - bb);
  return fround(roundToOdd(s, err));
}

const SPLITTER = 134217729; // 2^27 + 1

/** `fma(a, b, c)` in double precision with a single rounding (TwoProduct + round-to-odd). */
export function fma64(a: number, b: number, c: number): number {
  const ph = a * b;
  if (!Number.isFinite(ph) || ph === 0) return ph + c;
  // Veltkamp/Dekker split for the exact low part of the product.
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  const pl = al * bl - (((ph - ah * bh) - al * bh) - ah * bl);
  // th + tl = c + ph exactly.
  const th = c + ph;
  let bb = th - ph;
  const tl = ph - (th - bb) + (c - bb);
  // v = RO(tl + pl), result = RN(th + v).
  const vs = tl + pl;
  bb = vs - tl;
  const ve = tl - (vs - bb) + (pl - bb);
  return th + roundToOdd(vs, ve);
}

// ---------------------------------------------------------------------------
// Uniform.

function checkFromTo(from: number, to: number): void {
  if (!(from <= to)) throw new RangeError(`uniform_ expects to return a [from, to) range, but found from=${from} > to=${to}`);
}

/**
 * `torch.rand` / `Tensor.uniform_(from, to)` (`uniform_kernel` with
 * `at::uniform_real_distribution<scalar_t>`).
 *
 * - float32: one `random()` per element, `(r & (2^24-1)) * 2^-24`, then
 *   `fmaf(x, to - from, from)` in float (the AVX2 build contracts it).
 * - float64: one `random64()` per element, low 53 bits * 2^-53, then
 *   `fma(x, to - from, from)` in double.
 *
 * Elements are filled in memory order, which is TensorIterator's order for a
 * contiguous tensor.
 */
export function fillUniform<T extends FloatArray>(gen: Generator, out: T, from = 0, to = 1): T {
  const n = out.length;
  if (out instanceof Float32Array) {
    const f = fround(from);
    const t = fround(to);
    checkFromTo(f, t);
    const range = fround(t - f);
    if (f === 0 && range === 1) {
      for (let i = 0; i < n; i++) out[i] = (gen.random() & 0xffffff) * TWO_POW_M24;
    } else {
      for (let i = 0; i < n; i++) out[i] = fma32((gen.random() & 0xffffff) * TWO_POW_M24, range, f);
    }
  } else {
    checkFromTo(from, to);
    const range = to - from;
    if (from === 0 && range === 1) {
      for (let i = 0; i < n; i++) out[i] = gen.random53() * TWO_POW_M53;
    } else {
      for (let i = 0; i < n; i++) out[i] = fma64(gen.random53() * TWO_POW_M53, range, from);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Normal.

const TWO_PI = 2 * Math.PI;

/**
 * One sample of `at::normal_distribution<double>` (scalar Box–Muller):
 * returns the cached sin-branch sample if the generator holds one, otherwise
 * draws u1, u2 (random64 each), caches `r * sin(theta)` and returns
 * `r * cos(theta)`; both scaled as `fma(val, std, mean)`.
 */
export function sampleNormalDouble(gen: Generator, mean: number, std: number): number {
  const cached = gen.nextDoubleNormal;
  if (cached !== null) {
    gen.nextDoubleNormal = null;
    return fma64(cached, std, mean);
  }
  const u1 = gen.random53() * TWO_POW_M53;
  const u2 = gen.random53() * TWO_POW_M53;
  const r = Math.sqrt(-2 * Math.log(1 - u2));
  const theta = TWO_PI * u1;
  gen.nextDoubleNormal = r * Math.sin(theta);
  return fma64(r * Math.cos(theta), std, mean);
}

/** `normal_fill_16<double>`: 8 Box–Muller pairs from uniforms already stored at data[o..o+16). */
function normalFill16F64(data: Float64Array, o: number, mean: number, std: number): void {
  for (let j = 0; j < 8; j++) {
    const u1 = 1 - (data[o + j] as number);
    const u2 = data[o + j + 8] as number;
    const radius = Math.sqrt(-2 * Math.log(u1));
    const theta = TWO_PI * u2;
    data[o + j] = fma64(radius * Math.cos(theta), std, mean);
    data[o + j + 8] = fma64(radius * Math.sin(theta), std, mean);
  }
}

/** Emulation knobs for the AVX2 float path (which a*b+c GCC fused); exported for tests. */
export interface Avx2FmaConfig {
  /** Horner steps `y*x + p` fused. */
  poly: boolean;
  /** log: `y*z + e*q1` -> 'yz' = fma(y,z,round(e*q1)), 'eq1' = fma(e,q1,round(y*z)), 'none'. */
  logQ1: 'yz' | 'eq1' | 'none';
  /** sincos: range reduction `x + y*DP` fused. */
  dp: boolean;
  /** sincos: `y*z - 0.5*z` fused on the y*z product. */
  cosTail: boolean;
}

/** What matches torch 1.13 (Debian build, GCC 12, -mavx2 -mfma). */
export const AVX2_FMA: Avx2FmaConfig = { poly: true, logQ1: 'yz', dp: true, cosTail: true };

const fbuf = new Float32Array(1);
const ibuf = new Int32Array(fbuf.buffer);

const SQRTHF = fround(0.707106781186547524);
const LOG_P0 = fround(7.0376836292e-2);
const LOG_P1 = fround(-1.151461031e-1);
const LOG_P2 = fround(1.167699874e-1);
const LOG_P3 = fround(-1.2420140846e-1);
const LOG_P4 = fround(1.4249322787e-1);
const LOG_P5 = fround(-1.6668057665e-1);
const LOG_P6 = fround(2.0000714765e-1);
const LOG_P7 = fround(-2.4999993993e-1);
const LOG_P8 = fround(3.3333331174e-1);
const LOG_Q1 = fround(-2.1219444e-4);
const LOG_Q2 = fround(0.693359375);

const DP1 = fround(-0.78515625);
const DP2 = fround(-2.4187564849853515625e-4);
const DP3 = fround(-3.77489497744594108e-8);
const SIN_P0 = fround(-1.9515295891e-4);
const SIN_P1 = fround(8.3321608736e-3);
const SIN_P2 = fround(-1.6666654611e-1);
const COS_P0 = fround(2.443315711809948e-5);
const COS_P1 = fround(-1.388731625493765e-3);
const COS_P2 = fround(4.166664568298827e-2);
const FOPI = fround(1.27323954473516);

function mulAdd32(fused: boolean, a: number, b: number, c: number): number {
  return fused ? fma32(a, b, c) : fround(fround(a * b) + c);
}

/** Lane-wise emulation of avx_mathfun's `log256_ps` (Cephes logf) for x in (0, 1]. */
export function log256(x: number, cfg: Avx2FmaConfig = AVX2_FMA): number {
  fbuf[0] = Math.max(x, 1.1754943508222875e-38);
  const bits = ibuf[0] as number;
  let e = (bits >>> 23) - 127 + 1; // exponent as float, +1 (all exact)
  ibuf[0] = (bits & ~0x7f800000) | 0x3f000000; // mantissa scaled into [0.5, 1)
  let m = fbuf[0] as number;
  if (m < SQRTHF) {
    e -= 1;
    m = fround(fround(m - 1) + m);
  } else {
    m = fround(m - 1);
  }
  const z = fround(m * m);
  const p = cfg.poly;
  let y = mulAdd32(p, LOG_P0, m, LOG_P1);
  y = mulAdd32(p, y, m, LOG_P2);
  y = mulAdd32(p, y, m, LOG_P3);
  y = mulAdd32(p, y, m, LOG_P4);
  y = mulAdd32(p, y, m, LOG_P5);
  y = mulAdd32(p, y, m, LOG_P6);
  y = mulAdd32(p, y, m, LOG_P7);
  y = mulAdd32(p, y, m, LOG_P8);
  y = fround(y * m);
  if (cfg.logQ1 === 'yz') y = fma32(y, z, fround(e * LOG_Q1));
  else if (cfg.logQ1 === 'eq1') y = fma32(e, LOG_Q1, fround(y * z));
  else y = fround(fround(y * z) + fround(e * LOG_Q1));
  y = fround(y - z * 0.5); // z*0.5 is exact
  m = fround(m + y);
  return fround(m + e * LOG_Q2); // e*q2 is exact (q2 has 9 significant bits)
}

let sinOut = 0;
let cosOut = 0;

/** Lane-wise emulation of avx_mathfun's `sincos256_ps` (Cephes sinf/cosf); results in sinOut/cosOut. */
function sincos256(theta: number, cfg: Avx2FmaConfig): void {
  let x = Math.abs(theta);
  let sinNeg = theta < 0 || Object.is(theta, -0);
  let j = Math.trunc(fround(x * FOPI)) | 0; // cvttps: truncate
  j = (j + 1) & ~1;
  const y = j;
  if ((j & 4) !== 0) sinNeg = !sinNeg;
  const polyMask = (j & 2) === 0;
  x = mulAdd32(cfg.dp, y, DP1, x);
  x = mulAdd32(cfg.dp, y, DP2, x);
  x = mulAdd32(cfg.dp, y, DP3, x);
  const cosNeg = (~(j - 2) & 4) !== 0;
  const z = fround(x * x);
  const half = z * 0.5; // exact
  let c = mulAdd32(cfg.poly, COS_P0, z, COS_P1);
  c = mulAdd32(cfg.poly, c, z, COS_P2);
  c = fround(c * z);
  c = cfg.cosTail ? fma32(c, z, -half) : fround(fround(c * z) - half);
  c = fround(c + 1);
  let s = mulAdd32(cfg.poly, SIN_P0, z, SIN_P1);
  s = mulAdd32(cfg.poly, s, z, SIN_P2);
  s = fround(s * z);
  s = mulAdd32(cfg.poly, s, x, x);
  // Blend by masks then add a +0 lane, exactly like the and/andnot/add sequence.
  const sv = (polyMask ? s : c) + 0;
  const cv = (polyMask ? c : s) + 0;
  sinOut = sinNeg ? -sv : sv;
  cosOut = cosNeg ? -cv : cv;
}

/** `normal_fill_16_AVX2` on data[o..o+16) (uniform floats in place), lane by lane. */
function normalFill16Avx2(data: Float32Array, o: number, mean: number, std: number, cfg: Avx2FmaConfig): void {
  const twoPi = fround(TWO_PI);
  for (let j = 0; j < 8; j++) {
    const u1 = fround(1 - (data[o + j] as number));
    const u2 = data[o + j + 8] as number;
    const radius = fround(Math.sqrt(fround(-2 * log256(u1, cfg))));
    const theta = fround(twoPi * u2);
    sincos256(theta, cfg);
    data[o + j] = fma32(fround(radius * cosOut), std, mean);
    data[o + j + 8] = fma32(fround(radius * sinOut), std, mean);
  }
}

/**
 * `torch.randn` / `Tensor.normal_(mean, std)` on CPU (`normal_kernel`).
 * PyTorch picks the algorithm by dtype, size and layout:
 *
 * - numel < 16, or a non-contiguous tensor (`contiguous = false`): scalar
 *   `at::normal_distribution<double>` per element, which uses and refills the
 *   generator's cached second sample (see {@link sampleNormalDouble}); the
 *   double result is rounded to the output dtype.
 * - float32, numel >= 16, contiguous: `normal_fill_AVX2` (the AVX2 kernel is
 *   also what AVX-512 machines run: normal_stub opts out of AVX-512). First
 *   all numel uniforms are drawn (24-bit floats), then each block of 16 is
 *   turned into 8 Box–Muller pairs with avx_mathfun's float32 log/sincos; if
 *   numel % 16 != 0 the last 16 slots are refilled with 16 *fresh* uniforms
 *   and transformed again. The cached normal sample is not touched.
 * - float64, numel >= 16, contiguous: `normal_fill<double>`, same shape with
 *   53-bit uniforms and libm log/cos/sin. JS `Math` stands in for glibc's
 *   libm, which rarely rounds differently (see the tests for the rate).
 */
export function fillNormal<T extends FloatArray>(gen: Generator, out: T, mean = 0, std = 1, contiguous = true): T {
  if (!(std >= 0)) throw new RangeError(`normal expects std >= 0.0, but found std ${std}`);
  const n = out.length;
  if (n < 16 || !contiguous) {
    for (let i = 0; i < n; i++) out[i] = sampleNormalDouble(gen, mean, std);
    return out;
  }
  if (out instanceof Float32Array) {
    const m = fround(mean);
    const s = fround(std);
    for (let i = 0; i < n; i++) out[i] = (gen.random() & 0xffffff) * TWO_POW_M24;
    for (let i = 0; i + 16 <= n; i += 16) normalFill16Avx2(out, i, m, s, AVX2_FMA);
    if (n % 16 !== 0) {
      const o = n - 16;
      for (let i = 0; i < 16; i++) out[o + i] = (gen.random() & 0xffffff) * TWO_POW_M24;
      normalFill16Avx2(out, o, m, s, AVX2_FMA);
    }
  } else {
    const data = out as Float64Array;
    for (let i = 0; i < n; i++) data[i] = gen.random53() * TWO_POW_M53;
    for (let i = 0; i + 16 <= n; i += 16) normalFill16F64(data, i, mean, std);
    if (n % 16 !== 0) {
      const o = n - 16;
      for (let i = 0; i < 16; i++) data[o + i] = gen.random53() * TWO_POW_M53;
      normalFill16F64(data, o, mean, std);
    }
  }
  return out;
}

/** Test hook: the AVX2 float path with an explicit FMA configuration. */
export function fillNormalAvx2WithConfig(gen: Generator, out: Float32Array, mean: number, std: number, cfg: Avx2FmaConfig): Float32Array {
  const n = out.length;
  const m = fround(mean);
  const s = fround(std);
  for (let i = 0; i < n; i++) out[i] = (gen.random() & 0xffffff) * TWO_POW_M24;
  for (let i = 0; i + 16 <= n; i += 16) normalFill16Avx2(out, i, m, s, cfg);
  if (n % 16 !== 0) {
    const o = n - 16;
    for (let i = 0; i < 16; i++) out[o + i] = (gen.random() & 0xffffff) * TWO_POW_M24;
    normalFill16Avx2(out, o, m, s, cfg);
  }
  return out;
}
