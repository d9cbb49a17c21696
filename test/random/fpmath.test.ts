import { describe, expect, it } from 'vitest';
import { fma32, fma64, logCR, sinCosCR } from '../../src/random/fpmath.js';

describe('fused multiply-add emulation', () => {
  it('fma64 rounds a*b+c once', () => {
    // 0.1*10 - 1 is exactly 2^-54 + ... in real arithmetic; unfused it is 0.
    expect(0.1 * 10 - 1).toBe(0);
    expect(fma64(0.1, 10, -1)).toBe(5.551115123125783e-17);
    expect(fma64(2, 3, 4)).toBe(10);
    expect(Object.is(fma64(-0, 1, 0), 0)).toBe(true);
  });

  it('fma32 avoids the double-rounding trap at a float32 midpoint', () => {
    const a = Math.fround(1 + 2 ** -12);
    // a*a + 2^-60 rounds (in double) onto the midpoint 1 + 2^-11 + 2^-24; the true sum is above it.
    const naive = Math.fround(a * a + 2 ** -60);
    expect(naive).toBe(1 + 2 ** -11);
    expect(fma32(a, a, 2 ** -60)).toBe(1 + 2 ** -11 + 2 ** -23);
    expect(fma32(a, a, -(2 ** -60))).toBe(1 + 2 ** -11);
  });
});

describe('correctly rounded log / sin / cos', () => {
  // Reference values from mpmath at 160 bits, chosen where V8's Math differs.
  it('log', () => {
    expect(logCR(0.42605919743804954)).toBe(-0.853176981244787);
    expect(logCR(0.08365479370324092)).toBe(-2.481056546517737);
    expect(logCR(0.5551640427338983)).toBe(-0.5884916364151361);
    expect(logCR(1)).toBe(0);
    expect(logCR(0.5)).toBe(-Math.LN2);
    expect(logCR(5e-324)).toBe(-744.4400719213812);
    expect(logCR(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(logCR(-1)).toBeNaN();
  });

  it('sin and cos', () => {
    const out = new Float64Array(2);
    sinCosCR(4.15611571036033, out);
    expect(Array.from(out)).toEqual([-0.8492288104061969, -0.528025025520643]);
    sinCosCR(3.375539451287659, out);
    expect(Array.from(out)).toEqual([-0.23181860221983028, -0.9727590326822179]);
    sinCosCR(5.330875797868503, out);
    expect(Array.from(out)).toEqual([-0.8147567367959716, 0.5798029491521923]);
    sinCosCR(0, out);
    expect(Array.from(out)).toEqual([0, 1]);
  });
});
