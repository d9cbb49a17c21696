import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RNG_SEED,
  defaultGenerator,
  fillNormal,
  fillUniform,
  Generator,
  type GeneratorState,
  MT19937,
  manualSeed,
  TORCH_STATE_BYTES,
} from '../../src/random/index.js';
import { fixture, ulpDistance, wordsSha256 } from './fixture.js';

describe('MT19937', () => {
  it('matches the C++ standard mt19937 reference (seed 5489, 10000th output)', () => {
    const mt = new MT19937(5489);
    expect(mt.nextUint32()).toBe(3499211612);
    for (let i = 1; i < 9999; i++) mt.nextUint32();
    expect(mt.nextUint32()).toBe(4123659995);
  });

  it('seeds only from the low 32 bits but remembers the full 64-bit seed', () => {
    const a = new MT19937(5n);
    const b = new MT19937((1n << 32n) + 5n);
    expect(b.initialSeed()).toBe((1n << 32n) + 5n);
    for (let i = 0; i < 1000; i++) expect(b.nextUint32()).toBe(a.nextUint32());
  });

  it('rejects invalid states and seeds', () => {
    const mt = new MT19937();
    const st = mt.getState();
    expect(() => mt.setState({ ...st, left: 0 })).toThrow(RangeError);
    expect(() => mt.setState({ ...st, next: 625 })).toThrow(RangeError);
    expect(() => mt.setState({ ...st, state: st.state.slice(1) })).toThrow(RangeError);
    expect(() => new MT19937(1.5)).toThrow(RangeError);
    expect(() => new MT19937(1n << 64n)).toThrow(RangeError);
    expect(() => new MT19937(-(1n << 63n) - 1n)).toThrow(RangeError);
  });
});

describe('Generator seeding', () => {
  it('a fresh Generator uses torch.Generator()’s default seed 67280421310721', () => {
    expect(new Generator().initialSeed()).toBe(67280421310721n);
    expect(DEFAULT_RNG_SEED).toBe(67280421310721n);
  });

  it('manualSeed takes numbers and bigints, negatives as two’s complement (like torch)', () => {
    const g = new Generator();
    expect(g.manualSeed(42).initialSeed()).toBe(42n);
    expect(g.manualSeed(42n).initialSeed()).toBe(42n);
    expect(g.manualSeed(-1).initialSeed()).toBe(0xffffffffffffffffn);
    expect(g.manualSeed(-(1n << 63n)).initialSeed()).toBe(1n << 63n);
    expect(g.manualSeed(2 ** 40).initialSeed()).toBe(1n << 40n);
  });

  it('manualSeed drops the cached normal sample (like set_current_seed)', () => {
    const g = new Generator().manualSeed(3);
    fillNormal(g, new Float64Array(1));
    expect(g.nextDoubleNormal).not.toBeNull();
    g.manualSeed(3);
    expect(g.nextDoubleNormal).toBeNull();
  });

  it('module-level manualSeed seeds and returns the default generator', () => {
    expect(manualSeed(123)).toBe(defaultGenerator);
    expect(defaultGenerator.initialSeed()).toBe(123n);
  });

  it('random64 is (first draw << 32) | second draw; random53 is its low 53 bits', () => {
    const a = new Generator().manualSeed(9);
    const b = new Generator().manualSeed(9);
    const c = new Generator().manualSeed(9);
    const d = new Generator().manualSeed(9);
    for (let i = 0; i < 100; i++) {
      const hi = a.random();
      const lo = a.random();
      expect(b.random64()).toEqual([hi, lo]);
      expect(c.random64BigInt()).toBe((BigInt(hi) << 32n) | BigInt(lo));
      expect(d.random53()).toBe((hi & 0x1fffff) * 2 ** 32 + lo);
    }
  });
});

describe('Generator state', () => {
  it('getState/setState round-trips through JSON mid-stream, including the cached normal', () => {
    const g = new Generator().manualSeed(77);
    fillUniform(g, new Float32Array(700)); // past a twist
    fillNormal(g, new Float64Array(3)); // leaves a cached sample
    const saved = JSON.stringify(g.getState());
    const restored = new Generator().setState(JSON.parse(saved) as GeneratorState);
    expect(restored.nextDoubleNormal).toBe(g.nextDoubleNormal);
    const a = fillNormal(g, new Float64Array(5));
    const b = fillNormal(restored, new Float64Array(5));
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(wordsSha256(restored)).toBe(wordsSha256(g));
  });

  it('clone is independent and identical', () => {
    const g = new Generator().manualSeed(5);
    fillNormal(g, new Float64Array(1));
    const c = g.clone();
    expect(Array.from(fillUniform(c, new Float64Array(10)))).toEqual(Array.from(fillUniform(g, new Float64Array(10))));
  });

  it('loads torch.get_rng_state() bytes and continues exactly like PyTorch', () => {
    const bytes = Uint8Array.from(Buffer.from(fixture.torch_state.bytes_base64, 'base64'));
    expect(bytes.length).toBe(TORCH_STATE_BYTES);
    const g = new Generator().setTorchState(bytes);
    expect(g.initialSeed()).toBe(2024n);
    expect(g.nextDoubleNormal).not.toBeNull();
    // The exact bytes come back out (padding and legacy fields are zero in torch too).
    expect(Array.from(g.getTorchState())).toEqual(Array.from(bytes));
    const got = fillNormal(g, new Float64Array(4));
    const want = fixture.torch_state.then_randn_float64_4;
    // First value is the cached sample itself: bit-exact. Later ones go through libm (<= 3 ulp, see distributions.test.ts).
    expect(Object.is(got[0], want[0])).toBe(true);
    for (let i = 1; i < 4; i++) expect(ulpDistance(got[i] as number, want[i] as number)).toBeLessThanOrEqual(3);
    const d = fixture.torch_state.digest_after;
    const st = g.getState();
    expect(st.mt.left).toBe(d.left);
    expect(st.mt.next).toBe(d.next);
    expect(wordsSha256(g)).toBe(d.words_sha256);
  });

  it('rejects torch state blobs of the wrong size', () => {
    expect(() => new Generator().setTorchState(new Uint8Array(100))).toThrow(RangeError);
  });
});
