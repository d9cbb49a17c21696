/**
 * The 32-bit Mersenne Twister exactly as PyTorch's `at::mt19937`
 * (ATen/core/MT19937RNGEngine.h): Cokus-style "left/next" bookkeeping, so
 * that a saved state (left, next, 624 words) means the same thing as the
 * `mt19937_data_pod` that `torch.get_rng_state()` serialises.
 */

/** Number of 32-bit words in the Mersenne Twister state. */
export const MT_N = 624;
const MT_M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

/** Plain, JSON-serialisable snapshot of an {@link MT19937} engine. */
export interface MT19937State {
  /** The 64-bit seed the engine was built from, as a decimal string (JSON has no uint64). */
  seed: string;
  /** Words left before the next twist (1..624); PyTorch's `left_`. */
  left: number;
  /** Index of the next word to temper (0..624); PyTorch's `next_`. */
  next: number;
  /** The 624 state words, each an unsigned 32-bit integer. */
  state: number[];
}

const U64_MASK = (1n << 64n) - 1n;
const INT64_MIN = -(1n << 63n);

/**
 * Normalises a seed the way `torch.manual_seed` does: any integer in
 * [-2^63, 2^64) is accepted and negative values are taken as their 64-bit
 * two's complement. Returns the unsigned 64-bit value.
 */
export function toSeedU64(seed: number | bigint): bigint {
  let s: bigint;
  if (typeof seed === 'number') {
    if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
    s = BigInt(seed);
  } else {
    s = seed;
  }
  if (s < INT64_MIN || s > U64_MASK) {
    throw new RangeError('seed must be within range [-0x8000_0000_0000_0000, 0xffff_ffff_ffff_ffff]');
  }
  return s & U64_MASK;
}

/** PyTorch's `at::mt19937`. */
export class MT19937 {
  /** The state words; exposed read-only for speed-sensitive callers, mutate only through the class. */
  readonly state: Uint32Array = new Uint32Array(MT_N);
  private left = 1;
  private next = 0;
  private seed64 = 0n;

  constructor(seed: number | bigint = 5489) {
    this.seed(seed);
  }

  /**
   * Re-seeds like `init_with_uint32`: only the low 32 bits of the 64-bit seed
   * feed the state, but the full 64-bit value is remembered (it is what
   * `initial_seed()` reports).
   */
  seed(seed: number | bigint): void {
    const s = toSeedU64(seed);
    this.seed64 = s;
    const st = this.state;
    st[0] = Number(s & 0xffffffffn);
    for (let j = 1; j < MT_N; j++) {
      const prev = st[j - 1] as number;
      // Math.imul keeps the product modulo 2^32 as the C uint32 arithmetic does.
      st[j] = (Math.imul(1812433253, prev ^ (prev >>> 30)) + j) >>> 0;
    }
    this.left = 1;
    this.next = 0;
  }

  /** The 64-bit seed this engine was last seeded with. */
  initialSeed(): bigint {
    return this.seed64;
  }

  /** Next tempered 32-bit output, as an unsigned integer in [0, 2^32). */
  nextUint32(): number {
    if (--this.left === 0) this.twist();
    let y = this.state[this.next++] as number;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** Regenerates all 624 words (PyTorch's `next_state`). */
  private twist(): void {
    const st = this.state;
    this.left = MT_N;
    this.next = 0;
    let k = 0;
    for (; k < MT_N - MT_M; k++) {
      const u = st[k] as number;
      const v = st[k + 1] as number;
      const mix = (u & UPPER_MASK) | (v & LOWER_MASK);
      st[k] = ((st[k + MT_M] as number) ^ (mix >>> 1) ^ (v & 1 ? MATRIX_A : 0)) >>> 0;
    }
    for (; k < MT_N - 1; k++) {
      const u = st[k] as number;
      const v = st[k + 1] as number;
      const mix = (u & UPPER_MASK) | (v & LOWER_MASK);
      st[k] = ((st[k + MT_M - MT_N] as number) ^ (mix >>> 1) ^ (v & 1 ? MATRIX_A : 0)) >>> 0;
    }
    const u = st[MT_N - 1] as number;
    const v = st[0] as number;
    const mix = (u & UPPER_MASK) | (v & LOWER_MASK);
    st[MT_N - 1] = ((st[MT_M - 1] as number) ^ (mix >>> 1) ^ (v & 1 ? MATRIX_A : 0)) >>> 0;
  }

  /** Snapshot of the full engine state (plain data, safe to JSON.stringify). */
  getState(): MT19937State {
    return {
      seed: this.seed64.toString(),
      left: this.left,
      next: this.next,
      state: Array.from(this.state),
    };
  }

  /** Restores a snapshot made by {@link getState}; validates like PyTorch's `is_valid()`. */
  setState(s: MT19937State): void {
    if (!Number.isInteger(s.left) || s.left <= 0 || s.left > MT_N) {
      throw new RangeError(`invalid mt19937 state: left=${s.left}`);
    }
    if (!Number.isInteger(s.next) || s.next < 0 || s.next > MT_N) {
      throw new RangeError(`invalid mt19937 state: next=${s.next}`);
    }
    if (s.state.length !== MT_N) {
      throw new RangeError(`invalid mt19937 state: expected ${MT_N} words, got ${s.state.length}`);
    }
    const seed = BigInt(s.seed);
    if (seed < 0n || seed > U64_MASK) throw new RangeError(`invalid mt19937 state: seed=${s.seed}`);
    for (let i = 0; i < MT_N; i++) {
      const w = s.state[i] as number;
      if (!Number.isInteger(w) || w < 0 || w > 0xffffffff) {
        throw new RangeError(`invalid mt19937 state: word ${i} = ${w}`);
      }
      this.state[i] = w;
    }
    this.seed64 = seed;
    this.left = s.left;
    this.next = s.next;
  }
}
