/**
 * A CPU random generator that reproduces PyTorch's `at::CPUGeneratorImpl`
 * (ATen/CPUGeneratorImpl.cpp, torch 1.13): an {@link MT19937} engine plus the
 * cached second Box–Muller sample that `at::normal_distribution` keeps.
 */
import { MT_N, MT19937, type MT19937State } from './mt19937.js';

/** Seed of a freshly constructed `torch.Generator()` (`c10::default_rng_seed_val`). */
export const DEFAULT_RNG_SEED = 67280421310721n;

/** Byte length of `torch.get_rng_state()` on CPU (`sizeof(CPUGeneratorImplState)` on x86-64). */
export const TORCH_STATE_BYTES = 5056;

/** Plain, JSON-serialisable generator state. */
export interface GeneratorState {
  /** The Mersenne Twister engine. */
  mt: MT19937State;
  /** Cached `double` normal sample (unscaled N(0,1)), or null when none is cached. */
  nextDoubleNormal: number | null;
  /** Cached `float` normal sample, or null. No CPU kernel of torch 1.13 sets it; kept for state round-trips. */
  nextFloatNormal: number | null;
}

// Layout of the legacy `CPUGeneratorImplState` POD (little-endian x86-64).
const OFF_SEED = 0;
const OFF_LEFT = 8;
const OFF_SEEDED = 12;
const OFF_NEXT = 16;
const OFF_STATE = 24;
const OFF_NORMAL_X = OFF_STATE + 8 * MT_N; // 5016
const OFF_NORMAL_Y = OFF_NORMAL_X + 8;
const OFF_NORMAL_RHO = OFF_NORMAL_Y + 8;
const OFF_NORMAL_VALID = OFF_NORMAL_RHO + 8;
const OFF_FLOAT_NORMAL = 5048;
const OFF_FLOAT_NORMAL_VALID = 5052;

/** PyTorch-compatible CPU generator. */
export class Generator {
  private readonly engine: MT19937;
  /**
   * PyTorch's `next_double_normal_sample_`: the unscaled sin-branch sample left
   * over by the scalar Box–Muller path. Distributions read and clear it.
   */
  nextDoubleNormal: number | null = null;
  /** PyTorch's `next_float_normal_sample_` (unused by CPU kernels in 1.13). */
  nextFloatNormal: number | null = null;

  /**
   * A generator seeded with `seed` (default PyTorch's default seed, 67280421310721).
   * `new Generator('cpu')` and `new Generator({ device: 'cpu' })` are PyTorch's
   * `torch.Generator(device='cpu')`: nabla draws every random number on the host.
   */
  constructor(seed?: number | bigint | 'cpu' | { device?: 'cpu' }, ...rest: never[]) {
    const usage = "Generator(seed?), Generator('cpu') or Generator({ device: 'cpu' })";
    if (rest.length > 0 && rest.some((r) => r !== undefined))
      throw new TypeError(`Generator: too many arguments. Accepted forms: ${usage}`);
    let s: number | bigint = DEFAULT_RNG_SEED;
    if (typeof seed === 'number' || typeof seed === 'bigint') s = seed;
    else if (
      seed === 'cpu' ||
      (typeof seed === 'object' && seed !== null && Object.keys(seed).every((k) => k === 'device') && (seed.device ?? 'cpu') === 'cpu')
    ) {
      // PyTorch's device argument: the default seed.
    } else if (seed !== undefined) {
      throw new TypeError(
        `Generator: expected a seed (a number or bigint) or the device 'cpu', got ${typeof seed === 'object' ? JSON.stringify(seed) : String(seed)}. Accepted forms: ${usage}`,
      );
    }
    this.engine = new MT19937(s);
  }

  /**
   * Seeds like `torch.Generator.manual_seed`: accepts [-2^63, 2^64), negative
   * seeds taken as two's complement, and drops any cached normal sample.
   */
  manualSeed(seed: number | bigint): this {
    this.nextDoubleNormal = null;
    this.nextFloatNormal = null;
    this.engine.seed(seed);
    return this;
  }

  /** The 64-bit seed last given (what `torch.initial_seed()` returns). */
  initialSeed(): bigint {
    return this.engine.initialSeed();
  }

  /** One engine output: an unsigned 32-bit integer (`CPUGeneratorImpl::random`). */
  random(): number {
    return this.engine.nextUint32();
  }

  /**
   * `CPUGeneratorImpl::random64`: two draws, the first is the high word.
   * Returned as `[hi, lo]` (each uint32) to stay clear of BigInt.
   */
  random64(): [hi: number, lo: number] {
    const hi = this.engine.nextUint32();
    const lo = this.engine.nextUint32();
    return [hi, lo];
  }

  /**
   * The low 53 bits of `random64()` as an exact integer number in [0, 2^53):
   * the numerator PyTorch's double `uniform_real_distribution` uses. Same
   * stream cost as `random64()`, without allocating.
   */
  random53(): number {
    const hi = this.engine.nextUint32();
    const lo = this.engine.nextUint32();
    return (hi & 0x1fffff) * 4294967296 + lo;
  }

  /** `random64()` as a BigInt, for the rare 64-bit-range paths. */
  random64BigInt(): bigint {
    const hi = this.engine.nextUint32();
    const lo = this.engine.nextUint32();
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  /** Plain-object snapshot (JSON-safe: seed as a decimal string, numbers elsewhere). */
  getState(): GeneratorState {
    return {
      mt: this.engine.getState(),
      nextDoubleNormal: this.nextDoubleNormal,
      nextFloatNormal: this.nextFloatNormal,
    };
  }

  /** Restores a snapshot from {@link getState} (also accepts it after a JSON round trip). */
  setState(state: GeneratorState): this {
    this.engine.setState(state.mt);
    this.nextDoubleNormal = state.nextDoubleNormal;
    this.nextFloatNormal = state.nextFloatNormal === null ? null : Math.fround(state.nextFloatNormal);
    return this;
  }

  /** Independent copy with the same stream position and caches. */
  clone(): Generator {
    const g = new Generator();
    g.setState(this.getState());
    return g;
  }

  /**
   * The exact bytes `torch.get_rng_state()` would return for this state
   * (5056-byte legacy `CPUGeneratorImplState`, little-endian), so states can
   * be exchanged with PyTorch.
   */
  getTorchState(): Uint8Array {
    const bytes = new Uint8Array(TORCH_STATE_BYTES);
    const dv = new DataView(bytes.buffer);
    const mt = this.engine.getState();
    dv.setBigUint64(OFF_SEED, BigInt(mt.seed), true);
    dv.setInt32(OFF_LEFT, mt.left, true);
    dv.setInt32(OFF_SEEDED, 1, true);
    dv.setBigUint64(OFF_NEXT, BigInt(mt.next), true);
    for (let i = 0; i < MT_N; i++) {
      // Legacy layout widens each 32-bit word to 64 bits.
      dv.setUint32(OFF_STATE + 8 * i, mt.state[i] as number, true);
    }
    if (this.nextDoubleNormal !== null) {
      dv.setFloat64(OFF_NORMAL_Y, this.nextDoubleNormal, true);
      dv.setInt32(OFF_NORMAL_VALID, 1, true);
    }
    if (this.nextFloatNormal !== null) {
      dv.setFloat32(OFF_FLOAT_NORMAL, this.nextFloatNormal, true);
      bytes[OFF_FLOAT_NORMAL_VALID] = 1;
    }
    return bytes;
  }

  /** Loads bytes produced by `torch.get_rng_state()` (or {@link getTorchState}). */
  setTorchState(bytes: Uint8Array): this {
    if (bytes.length !== TORCH_STATE_BYTES) {
      throw new RangeError(
        `Expected a CPUGeneratorImplState of size ${TORCH_STATE_BYTES} but found the input RNG state size to be ${bytes.length}`,
      );
    }
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (dv.getInt32(OFF_SEEDED, true) === 0) throw new RangeError('Invalid mt19937 state');
    const state: number[] = new Array<number>(MT_N);
    for (let i = 0; i < MT_N; i++) {
      // PyTorch copies uint64 -> uint32, i.e. keeps the low word.
      state[i] = dv.getUint32(OFF_STATE + 8 * i, true);
    }
    this.engine.setState({
      seed: dv.getBigUint64(OFF_SEED, true).toString(),
      left: dv.getInt32(OFF_LEFT, true),
      next: Number(dv.getBigUint64(OFF_NEXT, true) & 0xffffffffn),
      state,
    });
    this.nextDoubleNormal = dv.getInt32(OFF_NORMAL_VALID, true) !== 0 ? dv.getFloat64(OFF_NORMAL_Y, true) : null;
    this.nextFloatNormal = bytes[OFF_FLOAT_NORMAL_VALID] !== 0 ? dv.getFloat32(OFF_FLOAT_NORMAL, true) : null;
    return this;
  }
}

/**
 * Counterpart of PyTorch's default CPU generator, seeded with
 * 67280421310721 (the seed of a fresh `torch.Generator()`). Note: the real
 * `torch.default_generator` is seeded non-deterministically at start-up, so
 * only streams after `manualSeed` are comparable with PyTorch.
 */
export const defaultGenerator = new Generator();

/** `torch.manual_seed`: seeds {@link defaultGenerator} and returns it. */
export function manualSeed(seed: number | bigint): Generator {
  return defaultGenerator.manualSeed(seed);
}
