/**
 * Parameter initialization, like `torch.nn.init`: every function fills the tensor in place under
 * noGrad, returns it, and draws from `generator` (default: the global one) exactly as PyTorch
 * 1.13 does, so the same seed gives the same values bit for bit. Bounds and standard deviations
 * are computed in double precision with PyTorch's formulas, in the same order of operations.
 */
import '../tensor/methods.js';
import { noGrad } from '../autograd/grad-mode.js';
import type { Generator } from '../random/generator.js';
import type { Tensor } from '../tensor/tensor.js';

/** Activation names `calculateGain` knows (PyTorch's strings; camelCase spellings also work). */
export type Nonlinearity =
  | 'linear'
  | 'conv1d'
  | 'conv2d'
  | 'conv3d'
  | 'conv_transpose1d'
  | 'conv_transpose2d'
  | 'conv_transpose3d'
  | 'convTranspose1d'
  | 'convTranspose2d'
  | 'convTranspose3d'
  | 'sigmoid'
  | 'tanh'
  | 'relu'
  | 'leaky_relu'
  | 'leakyRelu'
  | 'selu';

/** Which fan the Kaiming initializers scale by. */
export type FanMode = 'fan_in' | 'fan_out' | 'fanIn' | 'fanOut';

/** The generator option every initializer takes. */
export interface GenOpt {
  generator?: Generator;
}

const LINEAR_FNS = new Set(['linear', 'conv1d', 'conv2d', 'conv3d', 'conv_transpose1d', 'conv_transpose2d', 'conv_transpose3d']);

/**
 * The recommended gain for a nonlinearity (`torch.nn.init.calculate_gain`): 1 for linear/conv/
 * sigmoid, 5/3 for tanh, √2 for relu, √(2 / (1 + slope²)) for leaky_relu (slope 0.01 by default),
 * 3/4 for selu.
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number | null): number {
  const nl = (nonlinearity as string).replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  if (LINEAR_FNS.has(nl) || nl === 'sigmoid') return 1;
  if (nl === 'tanh') return 5.0 / 3;
  if (nl === 'relu') return Math.sqrt(2.0);
  if (nl === 'leaky_relu') {
    let slope = 0.01;
    if (param !== undefined && param !== null) {
      if (typeof param !== 'number' || Number.isNaN(param))
        throw new TypeError(`calculateGain: negative_slope ${param} not a valid number`);
      slope = param;
    }
    // slope ** 2 in Python is the correctly rounded square, i.e. slope * slope.
    return Math.sqrt(2.0 / (1 + slope * slope));
  }
  if (nl === 'selu') return 3.0 / 4;
  throw new RangeError(`calculateGain: unsupported nonlinearity ${nonlinearity}`);
}

/**
 * `[fanIn, fanOut]` of a weight (`_calculate_fan_in_and_fan_out`): dims 1 and 0 times the
 * receptive field (the product of dims 2…).
 */
export function calculateFanInAndFanOut(t: Tensor): [number, number] {
  if (t.ndim < 2) {
    throw new RangeError(
      `init: fan in and fan out can not be computed for tensor with fewer than 2 dimensions (got shape [${t.shape.join(', ')}])`,
    );
  }
  let receptive = 1;
  for (let d = 2; d < t.ndim; d++) receptive *= t.shape[d];
  return [t.shape[1] * receptive, t.shape[0] * receptive];
}

function correctFan(t: Tensor, mode: FanMode): number {
  const m = mode === 'fanIn' ? 'fan_in' : mode === 'fanOut' ? 'fan_out' : mode;
  if (m !== 'fan_in' && m !== 'fan_out') throw new RangeError(`init: mode ${mode} not supported, please use one of fan_in, fan_out`);
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  return m === 'fan_in' ? fanIn : fanOut;
}

/** Fills with U(a, b). */
export function uniform_(t: Tensor, a = 0, b = 1, opts: GenOpt = {}): Tensor {
  return noGrad(() => t.uniform_(a, b, { generator: opts.generator }));
}

/** Fills with N(mean, std²). */
export function normal_(t: Tensor, mean = 0, std = 1, opts: GenOpt = {}): Tensor {
  return noGrad(() => t.normal_(mean, std, { generator: opts.generator }));
}

/** Fills with `val`. */
export function constant_(t: Tensor, val: number): Tensor {
  return noGrad(() => t.fill_(val));
}

/** Fills with 0. */
export function zeros_(t: Tensor): Tensor {
  return noGrad(() => t.zero_());
}

/** Fills with 1. */
export function ones_(t: Tensor): Tensor {
  return noGrad(() => t.fill_(1));
}

type GainOpts = GenOpt & { gain?: number };
const gainOpts = (g?: number | GainOpts): GainOpts => (typeof g === 'number' ? { gain: g } : (g ?? {}));

/** Glorot uniform: U(−a, a) with a = gain·√(6 / (fanIn + fanOut)). `gain` as a number or `{ gain, generator }`. */
export function xavierUniform_(t: Tensor, gain?: number | GainOpts, opts: GenOpt = {}): Tensor {
  const o = { ...gainOpts(gain), ...opts };
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  const std = (o.gain ?? 1.0) * Math.sqrt(2.0 / (fanIn + fanOut));
  const a = Math.sqrt(3.0) * std;
  return uniform_(t, -a, a, o);
}

/** Glorot normal: N(0, std²) with std = gain·√(2 / (fanIn + fanOut)). */
export function xavierNormal_(t: Tensor, gain?: number | GainOpts, opts: GenOpt = {}): Tensor {
  const o = { ...gainOpts(gain), ...opts };
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  const std = (o.gain ?? 1.0) * Math.sqrt(2.0 / (fanIn + fanOut));
  return normal_(t, 0, std, o);
}

/** Options of the Kaiming (He) initializers; the defaults are PyTorch's. */
export interface KaimingOptions extends GenOpt {
  /** Negative slope of the leaky ReLU after this layer (0 = ReLU). */
  a?: number;
  mode?: FanMode;
  nonlinearity?: Nonlinearity;
}

function kaimingStd(t: Tensor, o: KaimingOptions): number | null {
  if (t.shape.includes(0)) {
    console.warn('Initializing zero-element tensors is a no-op');
    return null;
  }
  const fan = correctFan(t, o.mode ?? 'fan_in');
  const gain = calculateGain(o.nonlinearity ?? 'leaky_relu', o.a ?? 0);
  return gain / Math.sqrt(fan);
}

/** He uniform: U(−bound, bound), bound = gain·√(3 / fan). PyTorch's Linear/Conv default uses `{ a: √5 }`. */
export function kaimingUniform_(t: Tensor, opts: KaimingOptions = {}): Tensor {
  const std = kaimingStd(t, opts);
  if (std === null) return t;
  const bound = Math.sqrt(3.0) * std;
  return uniform_(t, -bound, bound, opts);
}

/** He normal: N(0, std²), std = gain / √fan. */
export function kaimingNormal_(t: Tensor, opts: KaimingOptions = {}): Tensor {
  const std = kaimingStd(t, opts);
  if (std === null) return t;
  return normal_(t, 0, std, opts);
}
