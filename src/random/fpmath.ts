/**
 * Floating-point helpers the PyTorch-exact samplers need and JS lacks:
 *
 * - single-rounding fused multiply-add for float32 and float64 (PyTorch's
 *   AVX2 kernels are compiled with -mfma, so GCC fuses `a*b + c`);
 * - correctly rounded `log`, `sin`/`cos` in double precision. glibc's libm
 *   (what PyTorch calls) is correctly rounded in all but ~0.1% of cases, while
 *   V8's fdlibm-based `Math.log`/`Math.sin` differ from it in ~3-7%; using
 *   correctly rounded versions gets the double normal sampler much closer.
 *
 * Double-double arithmetic: a value is an unevaluated sum hi + lo. Results of
 * the dd primitives are returned through the module variables `oh`/`ol` to
 * avoid allocating on hot paths.
 */

const fround = Math.fround;

// ---------------------------------------------------------------------------
// Bit access.

const f64 = new Float64Array(1);
const f64w = new Uint32Array(f64.buffer);
/** Index of the low / high 32-bit word of a float64 in `f64w` (host endianness). */
const LO = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;
const HI = 1 - LO;

/**
 * Round-to-odd of the exact sum `s + e`, where `s = RN(a + b)` and `e` is its
 * exact error. Rounding to odd and then to nearest in a format at least two
 * bits narrower is one correct rounding (Boldo & Melquiond, 2008).
 */
function roundToOdd(s: number, e: number): number {
  if (e === 0) return s;
  f64[0] = s;
  let lo = f64w[LO] as number;
  if ((lo & 1) === 1) return s;
  let hi = f64w[HI] as number;
  if (e > 0 === s > 0) {
    lo = lo + 1; // lo is even: no carry
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

/**
 * `fmaf(a, b, c)` for float32 inputs: the product is exact in double, and the
 * sum is rounded once to float32 (normal-range results; exactness for
 * results in the float32 subnormal range is not needed here).
 */
export function fma32(a: number, b: number, c: number): number {
  const p = a * b; // exact: 24 + 24 significant bits fit in 53
  const s = p + c;
  const r = fround(s);
  if (r === s) return r;
  // Rounding twice (to double, then float) can only differ from rounding once
  // when s lands exactly on a float32 midpoint.
  f64[0] = s;
  if (((f64w[LO] as number) & 0x1fffffff) !== 0x10000000) return r;
  const bb = s - p;
  const err = p - (s - bb) + (c - bb);
  return fround(roundToOdd(s, err));
}

const SPLITTER = 134217729; // 2^27 + 1, Veltkamp split

/** `fma(a, b, c)` in double with a single rounding (TwoProduct, TwoSum, round-to-odd). */
export function fma64(a: number, b: number, c: number): number {
  const ph = a * b;
  if (ph === 0 || !Number.isFinite(ph) || !Number.isFinite(c)) return ph + c;
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  const pl = al * bl - (ph - ah * bh - al * bh - ah * bl);
  const th = c + ph;
  let bb = th - ph;
  const tl = ph - (th - bb) + (c - bb);
  const vs = tl + pl;
  bb = vs - tl;
  const ve = tl - (vs - bb) + (pl - bb);
  return th + roundToOdd(vs, ve);
}

// ---------------------------------------------------------------------------
// Double-double primitives (results in oh, ol).

let oh = 0;
let ol = 0;

function twoProdLo(a: number, b: number, p: number): number {
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return al * bl - (p - ah * bh - al * bh - ah * bl);
}

/** (ah + al) + (bh + bl), accurate to ~2^-104 relative. */
function ddAdd(ah: number, al: number, bh: number, bl: number): void {
  let s = ah + bh;
  let bb = s - ah;
  let e = ah - (s - bb) + (bh - bb);
  const t = al + bl;
  bb = t - al;
  const f = al - (t - bb) + (bl - bb);
  e += t;
  let h = s + e;
  e = e - (h - s);
  s = h;
  e += f;
  h = s + e;
  ol = e - (h - s);
  oh = h;
}

/** (ah + al) * (bh + bl). */
function ddMul(ah: number, al: number, bh: number, bl: number): void {
  const p = ah * bh;
  let e = twoProdLo(ah, bh, p);
  e += ah * bl + al * bh;
  const h = p + e;
  ol = e - (h - p);
  oh = h;
}

/** (ah + al) / (bh + bl), long division in three steps. */
function ddDiv(ah: number, al: number, bh: number, bl: number): void {
  const q1 = ah / bh;
  ddMul(q1, 0, bh, bl);
  ddAdd(ah, al, -oh, -ol);
  const q2 = oh / bh;
  const rh = oh;
  const rl = ol;
  ddMul(q2, 0, bh, bl);
  ddAdd(rh, rl, -oh, -ol);
  const q3 = oh / bh;
  const h = q1 + q2;
  let e = q2 - (h - q1);
  e += q3;
  const s = h + e;
  ol = e - (s - h);
  oh = s;
}

// ---------------------------------------------------------------------------
// Correctly rounded log.

const LN2_HI = Math.LN2; // 0.6931471805599453
const LN2_LO = 2.3190468138462996e-17;
const LN2_LOLO = 5.707708438416212e-34;
const SQRT2 = Math.SQRT2;

// Reduction points c = j/128 for j in [LOG_J0, LOG_J1]; log(c) in double-double.
const LOG_J0 = 90;
const LOG_J1 = 182;
const LOG_C_HI = new Float64Array(LOG_J1 - LOG_J0 + 1);
const LOG_C_LO = new Float64Array(LOG_J1 - LOG_J0 + 1);
// 1/3, 1/5 and 1/7 in double-double for the atanh series.
let THIRD_HI = 0;
let THIRD_LO = 0;
let FIFTH_HI = 0;
let FIFTH_LO = 0;

/** 2*atanh(s) for a double-double s, by the plain series (init only, |s| < 0.2). */
function slowTwoAtanh(sh: number, sl: number): void {
  ddMul(sh, sl, sh, sl);
  const s2h = oh;
  const s2l = ol;
  let th = sh;
  let tl = sl;
  let sumH = 0;
  let sumL = 0;
  for (let k = 0; k < 200; k++) {
    ddDiv(th, tl, 2 * k + 1, 0);
    ddAdd(sumH, sumL, oh, ol);
    sumH = oh;
    sumL = ol;
    ddMul(th, tl, s2h, s2l);
    th = oh;
    tl = ol;
    if (Math.abs(th) < 1e-40) break;
  }
  oh = 2 * sumH;
  ol = 2 * sumL;
}

function initLog(): void {
  ddDiv(1, 0, 3, 0);
  THIRD_HI = oh;
  THIRD_LO = ol;
  ddDiv(1, 0, 5, 0);
  FIFTH_HI = oh;
  FIFTH_LO = ol;
  for (let j = LOG_J0; j <= LOG_J1; j++) {
    const c = j / 128;
    // log(c) = 2 atanh((c - 1) / (c + 1)); both c - 1 and c + 1 are exact.
    ddDiv(c - 1, 0, c + 1, 0);
    slowTwoAtanh(oh, ol);
    LOG_C_HI[j - LOG_J0] = oh;
    LOG_C_LO[j - LOG_J0] = ol;
  }
}

/**
 * Correctly rounded natural logarithm (error < 2^-100 relative before the
 * final rounding, so only pathological midpoint cases could misround).
 */
export function logCR(x: number): number {
  if (!(x > 0) || x === Number.POSITIVE_INFINITY) return Math.log(x);
  if (x === 1) return 0;
  let k = 0;
  if (x < 2.2250738585072014e-308) {
    x *= 18014398509481984; // 2^54: lift subnormals
    k = -54;
  }
  f64[0] = x;
  const hiWord = f64w[HI] as number;
  k += (hiWord >>> 20) - 1023;
  f64w[HI] = (hiWord & 0x000fffff) | 0x3ff00000;
  let m = f64[0] as number; // [1, 2)
  if (m > SQRT2) {
    m *= 0.5;
    k += 1;
  }
  const j = Math.round(m * 128);
  const c = j / 128;
  const num = m - c; // exact
  // d = m + c as double-double
  const dh = m + c;
  const bb = dh - m;
  const dl = m - (dh - bb) + (c - bb);
  ddDiv(num, 0, dh, dl);
  const sh = oh;
  const sl = ol;
  // atanh(s) = s + s^3 (1/3 + s2 (1/5 + s2 (1/7 + ...))), |s| < 2^-8.4.
  ddMul(sh, sl, sh, sl);
  const s2h = oh;
  const s2l = ol;
  const tail = 1 / 7 + s2h * (1 / 9 + s2h * (1 / 11 + s2h * (1 / 13 + s2h / 15)));
  ddMul(s2h, s2l, tail, 0);
  ddAdd(FIFTH_HI, FIFTH_LO, oh, ol);
  ddMul(s2h, s2l, oh, ol);
  ddAdd(THIRD_HI, THIRD_LO, oh, ol);
  ddMul(s2h, s2l, oh, ol);
  ddMul(sh, sl, oh, ol);
  ddAdd(sh, sl, oh, ol);
  let rh = 2 * oh;
  let rl = 2 * ol;
  if (j !== 128) {
    ddAdd(LOG_C_HI[j - LOG_J0] as number, LOG_C_LO[j - LOG_J0] as number, rh, rl);
    rh = oh;
    rl = ol;
  }
  if (k !== 0) {
    const p = k * LN2_HI;
    const pl = twoProdLo(k, LN2_HI, p) + (k * LN2_LO + k * LN2_LOLO);
    ddAdd(p, pl, rh, rl);
    rh = oh;
    rl = ol;
  }
  return rh + rl;
}

// ---------------------------------------------------------------------------
// Correctly rounded sin and cos (for |x| up to ~1e5; PyTorch only needs [0, 2pi)).

const PIO2_1 = 1.5707963267948966;
const PIO2_2 = 6.123233995736766e-17;
const PIO2_3 = -1.4973849048591698e-33;
const TWO_OVER_PI = 0.6366197723675814;

// Table of sin(i/64), cos(i/64), i = 0..SC_N-1, in double-double.
const SC_N = 52;
const SIN_HI = new Float64Array(SC_N);
const SIN_LO = new Float64Array(SC_N);
const COS_HI = new Float64Array(SC_N);
const COS_LO = new Float64Array(SC_N);
// Series coefficients in double-double: 1/6, 1/120, 1/24, 1/720.
let C6H = 0;
let C6L = 0;
let C120H = 0;
let C120L = 0;
let C24H = 0;
let C24L = 0;
let C720H = 0;
let C720L = 0;

function initSinCos(): void {
  ddDiv(1, 0, 6, 0);
  C6H = oh;
  C6L = ol;
  ddDiv(1, 0, 120, 0);
  C120H = oh;
  C120L = ol;
  ddDiv(1, 0, 24, 0);
  C24H = oh;
  C24L = ol;
  ddDiv(1, 0, 720, 0);
  C720H = oh;
  C720L = ol;
  for (let i = 0; i < SC_N; i++) {
    const a = i / 64; // exact
    // Taylor series in double-double: term_k = a^k / k!
    let sh = 0;
    let sl = 0;
    let ch = 0;
    let cl = 0;
    let th = 1;
    let tl = 0;
    for (let k = 0; k < 60; k++) {
      const sign = (k >> 1) % 2 === 0 ? 1 : -1;
      if (k % 2 === 0) {
        ddAdd(ch, cl, sign * th, sign * tl);
        ch = oh;
        cl = ol;
      } else {
        ddAdd(sh, sl, sign * th, sign * tl);
        sh = oh;
        sl = ol;
      }
      ddMul(th, tl, a, 0);
      ddDiv(oh, ol, k + 1, 0);
      th = oh;
      tl = ol;
      if (Math.abs(th) < 1e-40) break;
    }
    SIN_HI[i] = sh;
    SIN_LO[i] = sl;
    COS_HI[i] = ch;
    COS_LO[i] = cl;
  }
}

/**
 * Correctly rounded sin(x) and cos(x) together: out[0] = sin x, out[1] = cos x.
 * Arguments beyond 1e5 in magnitude fall back to Math (reduction precision).
 */
export function sinCosCR(x: number, out: Float64Array): void {
  if (!Number.isFinite(x) || Math.abs(x) > 1e5) {
    out[0] = Math.sin(x);
    out[1] = Math.cos(x);
    return;
  }
  const n = Math.round(x * TWO_OVER_PI);
  // r = x - n * pi/2, with pi/2 split in three doubles.
  let rh = x;
  let rl = 0;
  if (n !== 0) {
    const p1 = n * PIO2_1;
    ddAdd(x, 0, -p1, -twoProdLo(n, PIO2_1, p1));
    rh = oh;
    rl = ol;
    const p2 = n * PIO2_2;
    ddAdd(rh, rl, -p2, -(twoProdLo(n, PIO2_2, p2) + n * PIO2_3));
    rh = oh;
    rl = ol;
  }
  // r = a + t with a = i/64 from the table, |t| <= 1/128.
  const i = Math.round(rh * 64);
  const ai = i < 0 ? -i : i;
  const th = rh - i / 64; // exact (Sterbenz)
  const tl = rl;
  ddMul(th, tl, th, tl);
  const t2h = oh;
  const t2l = ol;
  // sin t = t - t^3/6 + t^5/120 - t * t2^3 * (1/5040 - ...)
  const sTail = t2h * (1 / 5040 - t2h * (1 / 362880 - t2h * (1 / 39916800)));
  ddAdd(C120H, C120L, -sTail, 0);
  ddMul(oh, ol, t2h, t2l);
  ddAdd(-C6H, -C6L, oh, ol);
  ddMul(oh, ol, t2h, t2l);
  ddMul(oh, ol, th, tl);
  ddAdd(th, tl, oh, ol);
  const sinTh = oh;
  const sinTl = ol;
  // cos t = 1 - t2/2 + t2^2 (1/24 - t2/720 + t2^2 (1/40320 - ...))
  const cTail = t2h * t2h * (1 / 40320 - t2h * (1 / 3628800 - t2h * (1 / 479001600)));
  ddMul(C720H, C720L, t2h, t2l);
  ddAdd(C24H, C24L, -oh, -ol);
  ddAdd(oh, ol, cTail, 0);
  ddMul(oh, ol, t2h, t2l);
  ddMul(oh, ol, t2h, t2l);
  ddAdd(oh, ol, -0.5 * t2h, -0.5 * t2l);
  ddAdd(1, 0, oh, ol);
  const cosTh = oh;
  const cosTl = ol;
  let sh: number;
  let sl: number;
  let ch: number;
  let cl: number;
  if (ai === 0) {
    sh = sinTh;
    sl = sinTl;
    ch = cosTh;
    cl = cosTl;
  } else {
    const sgn = i < 0 ? -1 : 1;
    const sah = sgn * (SIN_HI[ai] as number);
    const sal = sgn * (SIN_LO[ai] as number);
    const cah = COS_HI[ai] as number;
    const cal = COS_LO[ai] as number;
    // sin(a + t) = sin a cos t + cos a sin t; cos(a + t) = cos a cos t - sin a sin t
    ddMul(sah, sal, cosTh, cosTl);
    const p1h = oh;
    const p1l = ol;
    ddMul(cah, cal, sinTh, sinTl);
    ddAdd(p1h, p1l, oh, ol);
    sh = oh;
    sl = ol;
    ddMul(cah, cal, cosTh, cosTl);
    const q1h = oh;
    const q1l = ol;
    ddMul(sah, sal, sinTh, sinTl);
    ddAdd(q1h, q1l, -oh, -ol);
    ch = oh;
    cl = ol;
  }
  const s = sh + sl;
  const c = ch + cl;
  switch (n & 3) {
    case 0:
      out[0] = s;
      out[1] = c;
      break;
    case 1:
      out[0] = c;
      out[1] = -s;
      break;
    case 2:
      out[0] = -s;
      out[1] = -c;
      break;
    default:
      out[0] = -c;
      out[1] = s;
  }
}

initLog();
initSinCos();
