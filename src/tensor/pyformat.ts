/**
 * Python-exact float formatting: `'{:.Nf}'.format(x)` and `'{:.Ne}'.format(x)`.
 *
 * Python rounds the exact binary value of a double half-to-even, while JS `toFixed` /
 * `toExponential` break exact ties away from zero (`(0.125).toFixed(2)` is `'0.13'`, Python
 * gives `'0.12'`) and `toFixed` switches to exponent notation from 1e21. Every finite double is
 * m·2^e with integer m, so we scale it exactly with BigInt and round ourselves.
 */

// One shared scratch buffer to read a double's bits; formatting is synchronous, so no races.
const scratch = new DataView(new ArrayBuffer(8));

/** A positive finite double `x` as `m * 2 ** e` with `m` odd (or zero). */
function decompose(x: number): { m: number; e: number } {
  scratch.setFloat64(0, x);
  const hi = scratch.getUint32(0);
  const lo = scratch.getUint32(4);
  const expBits = (hi >>> 20) & 0x7ff;
  let m = (hi & 0xfffff) * 2 ** 32 + lo;
  let e: number;
  if (expBits === 0) {
    e = -1074; // subnormal: no implicit leading bit
  } else {
    m += 2 ** 52;
    e = expBits - 1075;
  }
  if (m === 0) return { m: 0, e: 0 };
  // Strip trailing zero bits (float32-origin values have ~29) to keep the BigInts small.
  while (m % 2 === 0) {
    m /= 2;
    e += 1;
  }
  return { m, e };
}

const pow10Cache: bigint[] = [1n];
function pow10(k: number): bigint {
  for (let i = pow10Cache.length; i <= k; i++) pow10Cache.push(pow10Cache[i - 1] * 10n);
  return pow10Cache[k];
}

/** round_half_even(m * 2^e * 10^s), exactly. */
function roundScaled(m: number, e: number, s: number): bigint {
  let num = BigInt(m);
  let den = 1n;
  if (e >= 0) num <<= BigInt(e);
  else den <<= BigInt(-e);
  if (s >= 0) num *= pow10(s);
  else den *= pow10(-s);
  let q = num / den;
  const twiceR = (num - q * den) * 2n;
  if (twiceR > den || (twiceR === den && (q & 1n) === 1n)) q += 1n;
  return q;
}

/** Python spells non-finite values `nan`, `inf`, `-inf` (a NaN's sign bit is not shown). */
function nonFinite(x: number): string | null {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return null;
}

// Python keeps the sign of -0.0 and of negatives that round to zero ('-0.0000').
function signOf(x: number): string {
  return x < 0 || Object.is(x, -0) ? '-' : '';
}

/**
 * Formats `x` like Python's `'{:.<precision>f}'.format(x)`: exact value, rounded half-to-even,
 * never switching to exponent notation.
 */
export function formatFixed(x: number, precision: number): string {
  const special = nonFinite(x);
  if (special !== null) return special;
  const { m, e } = decompose(Math.abs(x));
  let digits = roundScaled(m, e, precision).toString();
  if (precision === 0) return signOf(x) + digits;
  if (digits.length <= precision) digits = '0'.repeat(precision + 1 - digits.length) + digits;
  const cut = digits.length - precision;
  return `${signOf(x)}${digits.slice(0, cut)}.${digits.slice(cut)}`;
}

/**
 * Formats `x` like Python's `'{:.<precision>e}'.format(x)`: one leading digit, `precision`
 * fraction digits (rounded half-to-even on the exact value) and a signed exponent of at least
 * two digits (`1.0000e-05`, `1.0000e+100`).
 */
export function formatExp(x: number, precision: number): string {
  const special = nonFinite(x);
  if (special !== null) return special;
  const ax = Math.abs(x);
  let digits: string;
  let exp = 0;
  if (ax === 0) {
    digits = '0'.repeat(precision + 1);
  } else {
    const { m, e } = decompose(ax);
    const lower = pow10(precision);
    const upper = pow10(precision + 1);
    // log10 may be off by one near powers of ten; the exact check below corrects it.
    exp = Math.floor(Math.log10(ax));
    let n = roundScaled(m, e, precision - exp);
    for (let guard = 0; guard < 4 && (n < lower || n >= upper); guard++) {
      exp += n >= upper ? 1 : -1;
      n = roundScaled(m, e, precision - exp);
    }
    digits = n.toString();
  }
  const mantissa = precision === 0 ? digits : `${digits[0]}.${digits.slice(1)}`;
  const expAbs = Math.abs(exp).toString().padStart(2, '0');
  return `${signOf(x)}${mantissa}e${exp < 0 ? '-' : '+'}${expAbs}`;
}
