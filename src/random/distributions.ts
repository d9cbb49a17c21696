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
 * fused multiply-adds (verified against torch: unfused arithmetic mismatches
 * about half of all `uniform_(from, to)` samples); fpmath.ts emulates
 * single-rounding FMA so the results match bit for bit.
 */
import { fma32, fma64, logCR, sinCosCR } from './fpmath.js';
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
 * contiguous tensor. For a non-contiguous view (e.g. a transpose) PyTorch
 * also fills in memory (stride-sorted) order, not logical order.
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
/** Scratch for sinCosCR: [sin, cos]. */
const sc = new Float64Array(2);

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
  const r = Math.sqrt(-2 * logCR(1 - u2));
  sinCosCR(TWO_PI * u1, sc);
  gen.nextDoubleNormal = r * (sc[0] as number);
  return fma64(r * (sc[1] as number), std, mean);
}

/** `normal_fill_16<double>`: 8 Box–Muller pairs from uniforms already stored at data[o..o+16). */
function normalFill16F64(data: Float64Array, o: number, mean: number, std: number): void {
  for (let j = 0; j < 8; j++) {
    const u1 = 1 - (data[o + j] as number);
    const u2 = data[o + j + 8] as number;
    const radius = Math.sqrt(-2 * logCR(u1));
    sinCosCR(TWO_PI * u2, sc);
    data[o + j] = fma64(radius * (sc[1] as number), std, mean);
    data[o + j + 8] = fma64(radius * (sc[0] as number), std, mean);
  }
}

// --- avx_mathfun.h (Cephes float32 log/sincos) emulated lane by lane. ---
// GCC (-mavx2 -mfma, -ffp-contract=fast) fuses each `y = y*x; y = y + c`
// pair into one FMA. Which products fuse was settled against torch: the
// choice below matches 16M torch.randn float32 samples bit for bit, while
// leaving the Horner steps unfused mismatches ~0.9% of them, not fusing the
// cos tail `y*z - z/2` ~0.1%, fusing e*q1 instead of y*z in log ~0.02%.

const fbuf = new Float32Array(1);
const ibuf = new Int32Array(fbuf.buffer);

// Cephes constants as the float32 values avx_mathfun.h stores (decimal literals that round-trip).
const SQRTHF = fround(0.7071067690849304);
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
const DP2 = fround(-0.00024187564849853516);
const DP3 = fround(-3.774895063202166e-8);
const SIN_P0 = fround(-1.9515295891e-4);
const SIN_P1 = fround(8.3321608736e-3);
const SIN_P2 = fround(-1.6666654611e-1);
const COS_P0 = fround(2.443315711809948e-5);
const COS_P1 = fround(-1.388731625493765e-3);
const COS_P2 = fround(4.166664568298827e-2);
const FOPI = fround(1.27323954473516);

/** Lane-wise emulation of avx_mathfun's `log256_ps` (Cephes logf) for x in (0, 1]. */
function log256(x: number): number {
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
  let y = fma32(LOG_P0, m, LOG_P1);
  y = fma32(y, m, LOG_P2);
  y = fma32(y, m, LOG_P3);
  y = fma32(y, m, LOG_P4);
  y = fma32(y, m, LOG_P5);
  y = fma32(y, m, LOG_P6);
  y = fma32(y, m, LOG_P7);
  y = fma32(y, m, LOG_P8);
  y = fround(y * m);
  // y*z + e*q1: GCC fuses the first product (y*z); e*q1 is rounded on its own.
  y = fma32(y, z, fround(e * LOG_Q1));
  y = fround(y - z * 0.5); // z*0.5 is exact
  m = fround(m + y);
  return fround(m + e * LOG_Q2); // e*q2 is exact (q2 has 9 significant bits)
}

let sinOut = 0;
let cosOut = 0;

/** Lane-wise emulation of avx_mathfun's `sincos256_ps` (Cephes sinf/cosf); results in sinOut/cosOut. */
function sincos256(theta: number): void {
  let x = Math.abs(theta);
  let sinNeg = theta < 0 || Object.is(theta, -0);
  let j = Math.trunc(fround(x * FOPI)) | 0; // cvttps: truncate
  j = (j + 1) & ~1;
  const y = j;
  if ((j & 4) !== 0) sinNeg = !sinNeg;
  const polyMask = (j & 2) === 0;
  x = fma32(y, DP1, x);
  x = fma32(y, DP2, x);
  x = fma32(y, DP3, x);
  const cosNeg = (~(j - 2) & 4) !== 0;
  const z = fround(x * x);
  const half = z * 0.5; // exact
  let c = fma32(COS_P0, z, COS_P1);
  c = fma32(c, z, COS_P2);
  c = fround(c * z);
  c = fma32(c, z, -half); // (y*z)*z - z/2 with the second product fused
  c = fround(c + 1);
  let s = fma32(SIN_P0, z, SIN_P1);
  s = fma32(s, z, SIN_P2);
  s = fround(s * z);
  s = fma32(s, x, x);
  // Blend by masks then add a +0 lane, exactly like the and/andnot/add sequence.
  const sv = (polyMask ? s : c) + 0;
  const cv = (polyMask ? c : s) + 0;
  sinOut = sinNeg ? -sv : sv;
  cosOut = cosNeg ? -cv : cv;
}

/** `normal_fill_16_AVX2` on data[o..o+16) (uniform floats in place), lane by lane. */
function normalFill16Avx2(data: Float32Array, o: number, mean: number, std: number): void {
  const twoPi = fround(TWO_PI);
  for (let j = 0; j < 8; j++) {
    const u1 = fround(1 - (data[o + j] as number));
    const u2 = data[o + j + 8] as number;
    const radius = fround(Math.sqrt(fround(-2 * log256(u1))));
    const theta = fround(twoPi * u2);
    sincos256(theta);
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
 *   also what AVX-512 machines run: normal_stub opts out of AVX-512; a CPU
 *   without AVX2 would run `normal_fill<float>` with libm logf/cosf/sinf,
 *   which is not reproduced here). First
 *   all numel uniforms are drawn (24-bit floats), then each block of 16 is
 *   turned into 8 Box–Muller pairs with avx_mathfun's float32 log/sincos; if
 *   numel % 16 != 0 the last 16 slots are refilled with 16 *fresh* uniforms
 *   and transformed again. The cached normal sample is not touched.
 * - float64, numel >= 16, contiguous: `normal_fill<double>`, same shape with
 *   53-bit uniforms and libm log/cos/sin.
 *
 * Exactness: float32 results are bit-exact on every path (the AVX2 float
 * math is emulated operation by operation, including GCC's FMA contraction).
 * Float64 results depend on glibc's double `log`/`sin`/`cos`, which are not
 * correctly rounded in ~0.1% of arguments; we use correctly rounded versions
 * (fpmath.ts), so ~0.16% of float64 normal samples (and of cached samples)
 * differ from PyTorch by 1-3 ulp. The stream position is always exact.
 *
 * With `contiguous = false` the caller must store the i-th sample at the
 * i-th element in TensorIterator order, which for a permuted dense tensor is
 * memory order (not logical row-major order).
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
    for (let i = 0; i + 16 <= n; i += 16) normalFill16Avx2(out, i, m, s);
    if (n % 16 !== 0) {
      const o = n - 16;
      for (let i = 0; i < 16; i++) out[o + i] = (gen.random() & 0xffffff) * TWO_POW_M24;
      normalFill16Avx2(out, o, m, s);
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

// ---------------------------------------------------------------------------
// Integers.

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** `update_from<scalar_t>` (DistributionTemplates.h): nudges `from` up so that it survives the cast to a float dtype. */
function updateFrom(from: number, digits: number, cast: (v: number) => number): number {
  const fromPlus1 = cast(from + 1);
  if (fromPlus1 < from) {
    let f = Math.abs(from + 1);
    let n = 0;
    while (f >= 2) {
      f = Math.floor(f / 2);
      n++;
    }
    return fromPlus1 + 2 ** (n - digits + 1);
  }
  return from;
}

/** `update_to<scalar_t>`: nudges `to` down likewise. */
function updateTo(to: number, digits: number, cast: (v: number) => number): number {
  const toMinus1 = cast(to - 1);
  if (toMinus1 >= to) {
    let t = Math.abs(to - 1);
    let n = 0;
    while (t >= 2) {
      t = Math.floor(t / 2);
      n++;
    }
    return toMinus1 - 2 ** (n - digits + 1);
  }
  return to;
}

/**
 * `torch.randint(low, high, size)` / `Tensor.random_(low, high)` on CPU
 * (`random_from_to_kernel` with `uniform_int_from_to_distribution`):
 * `range = high - low`; each element is `random() % range + low`, or
 * `random64() % range + low` when `range >= 2^32` (for int64/float/double
 * outputs). Int32Array is treated as torch.int64 (the default dtype of
 * `torch.randint`); a real torch.int32 tensor would differ only for
 * `range == 2^32`, where it still uses 32-bit `random()`.
 *
 * For float outputs `low`/`high` are first adjusted like PyTorch's
 * `update_from`/`update_to` (only matters beyond 2^24 / 2^53).
 * `low` and `high` must be safe integers.
 */
export function fillRandint<T extends NumericArray>(gen: Generator, out: T, low: number, high: number): T {
  if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high)) {
    throw new RangeError(`randint bounds must be safe integers, got low=${low}, high=${high}`);
  }
  if (!(low < high)) throw new RangeError(`random_ expects 'from' to be less than 'to', but got from=${low} >= to=${high}`);
  if (out instanceof Float32Array) {
    low = updateFrom(low, 24, fround);
    high = updateTo(high, 24, fround);
  } else if (out instanceof Float64Array) {
    low = updateFrom(low, 53, (v) => v);
    high = updateTo(high, 53, (v) => v);
  } else if (low < INT32_MIN || high - 1 > INT32_MAX) {
    throw new RangeError(`randint bounds [${low}, ${high}) do not fit in an Int32Array`);
  }
  if (!(low < high)) throw new RangeError(`random_ expects 'from' casted to dtype to be less than 'to' casted to dtype`);
  const n = out.length;
  const range = high - low;
  if (range < TWO_POW_32) {
    for (let i = 0; i < n; i++) out[i] = (gen.random() % range) + low;
  } else {
    // Rare 64-bit path: BigInt keeps the modulo exact.
    const r = BigInt(range);
    const b = BigInt(low);
    for (let i = 0; i < n; i++) out[i] = Number((gen.random64BigInt() % r) + b);
  }
  return out;
}

/**
 * `torch.randperm(n)` on CPU (torch 1.13 `randperm_cpu`): start from the
 * identity, then for i = 0 .. n-2 swap slot i with slot
 * `i + random() % (n - i)`. Consumes exactly n - 1 `random()` draws (none for
 * n <= 1).
 */
export function randperm(gen: Generator, n: number): Int32Array {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`randperm expects n >= 0, got ${n}`);
  if (n > INT32_MAX + 1) throw new RangeError(`randperm: n=${n} does not fit in an Int32Array`);
  const r = new Int32Array(n);
  for (let i = 0; i < n; i++) r[i] = i;
  for (let i = 0; i < n - 1; i++) {
    const z = gen.random() % (n - i);
    const sav = r[i] as number;
    r[i] = r[z + i] as number;
    r[z + i] = sav;
  }
  return r;
}

// ---------------------------------------------------------------------------
// Bernoulli.

/**
 * `Tensor.bernoulli_(p)` / `torch.bernoulli(input, p)` with a scalar p on
 * CPU. This torch build has no MKL, so `bernoulli_scalar_kernel_default`
 * runs: one `random64()` per element, `u = (bits & (2^53-1)) * 2^-53`, and
 * the element is `u < p ? 1 : 0` (in any output dtype). An MKL build on an
 * Intel CPU would instead use MKL's VSL stream and is not reproduced.
 */
export function fillBernoulli<T extends NumericArray>(gen: Generator, out: T, p: number): T {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`bernoulli_ expects p to be in [0, 1], but got p=${p}`);
  const n = out.length;
  for (let i = 0; i < n; i++) out[i] = gen.random53() * TWO_POW_M53 < p ? 1 : 0;
  return out;
}

/**
 * `torch.bernoulli(probs)` / `Tensor.bernoulli_(probs)` with a probability
 * tensor (`bernoulli_tensor_cpu_kernel`), elementwise in memory order for a
 * contiguous, same-shaped `probs`. The draw depends on the dtype of *probs*:
 *
 * - float64 probs: `random64()`, 53-bit double `u < p`;
 * - float32 probs: `random()`, 24-bit float `u < fround(p)`.
 *
 * `probsDtype` defaults to 'float64' for a Float64Array and 'float32' for
 * anything else (a plain array stands for a torch.float32 tensor, the default
 * dtype). Values outside [0, 1] are not checked, as in PyTorch 1.13 on CPU.
 */
export function fillBernoulliTensor<T extends NumericArray>(
  gen: Generator,
  out: T,
  probs: ArrayLike<number>,
  probsDtype: 'float32' | 'float64' = probs instanceof Float64Array ? 'float64' : 'float32',
): T {
  const n = out.length;
  if (probs.length !== n) throw new RangeError(`probs has ${probs.length} elements, expected ${n}`);
  if (probsDtype === 'float64') {
    for (let i = 0; i < n; i++) out[i] = gen.random53() * TWO_POW_M53 < (probs[i] as number) ? 1 : 0;
  } else {
    for (let i = 0; i < n; i++) out[i] = (gen.random() & 0xffffff) * TWO_POW_M24 < fround(probs[i] as number) ? 1 : 0;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Exponential.

/**
 * `Tensor.exponential_(lambd)` on CPU without MKL (`exponential_kernel` default): one
 * `random64()` per element, u = 53-bit double in [0, 1), sample = −1/λ · log(1 − u) in double,
 * then rounded to the output dtype.
 */
export function fillExponential<T extends FloatArray>(gen: Generator, out: T, lambd = 1): T {
  if (!(lambd > 0)) throw new RangeError(`exponential_ expects lambda > 0.0, but found lambda=${lambd}`);
  const n = out.length;
  for (let i = 0; i < n; i++) {
    const u = gen.random53() * TWO_POW_M53;
    out[i] = (-1 / lambd) * logCR(1 - u);
  }
  return out;
}
