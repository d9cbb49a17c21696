/**
 * `nn.init` as the package exports it: the initializers of init.ts with PyTorch's parameter
 * names, positional forms (`kaimingUniform_(w, Math.sqrt(5))`) and keyword forms
 * (`kaimingUniform_(w, { a: Math.sqrt(5), generator })`), refusing surplus arguments and unknown
 * options (tensor/keywords.ts). `generator` is nabla's addition (PyTorch 2 has it too).
 */
import type { Generator } from '../random/generator.js';
import { keywords } from '../tensor/keywords.js';
import type { Tensor } from '../tensor/tensor.js';
import * as I from './init.js';

export type { FanMode, KaimingOptions, Nonlinearity } from './init.js';

const GENERATOR = { options: ['generator'] };

/**
 * The recommended gain for a nonlinearity (`torch.nn.init.calculate_gain`): 1 for linear/conv/
 * sigmoid, 5/3 for tanh, √2 for relu, √(2 / (1 + slope²)) for leaky_relu (slope 0.01 by default),
 * 3/4 for selu.
 */
export const calculateGain = keywords('calculateGain', I.calculateGain, ['nonlinearity', 'param?']);
/**
 * `[fanIn, fanOut]` of a weight (`_calculate_fan_in_and_fan_out`): dims 1 and 0 times the
 * receptive field (the product of dims 2…).
 */
export const calculateFanInAndFanOut = keywords('calculateFanInAndFanOut', I.calculateFanInAndFanOut, ['tensor']);
/** Fills with U(a, b). */
export const uniform_ = keywords('uniform_', I.uniform_, ['tensor', 'a?', 'b?'], GENERATOR);
/** Fills with N(mean, std²). */
export const normal_ = keywords('normal_', I.normal_, ['tensor', 'mean?', 'std?'], GENERATOR);
/** Fills with `val`. */
export const constant_ = keywords('constant_', I.constant_, ['tensor', 'val']);
/** Fills with 0. */
export const zeros_ = keywords('zeros_', I.zeros_, ['tensor']);
/** Fills with 1. */
export const ones_ = keywords('ones_', I.ones_, ['tensor']);
/** Glorot uniform with `gain` (default 1): `xavierUniform_(w, 2)` or `xavierUniform_(w, { gain: 2, generator })`. */
export const xavierUniform_ = keywords(
  'xavierUniform_',
  (t: Tensor, gain?: number, opts?: { generator?: Generator }) => I.xavierUniform_(t, gain, opts),
  ['tensor', 'gain?'],
  GENERATOR,
);
/** Glorot normal with `gain` (default 1). */
export const xavierNormal_ = keywords(
  'xavierNormal_',
  (t: Tensor, gain?: number, opts?: { generator?: Generator }) => I.xavierNormal_(t, gain, opts),
  ['tensor', 'gain?'],
  GENERATOR,
);

/** The Kaiming initializers in PyTorch's positional order (tensor, a, mode, nonlinearity). */
function kaiming(f: (t: Tensor, opts?: I.KaimingOptions) => Tensor) {
  return (t: Tensor, a?: number, mode?: I.FanMode, nonlinearity?: I.Nonlinearity, opts?: { generator?: Generator }): Tensor =>
    f(t, {
      ...(a === undefined ? {} : { a }),
      ...(mode === undefined ? {} : { mode }),
      ...(nonlinearity === undefined ? {} : { nonlinearity }),
      ...opts,
    });
}
/** He uniform: `kaimingUniform_(w, a?, mode?, nonlinearity?)` or `kaimingUniform_(w, { a, mode, nonlinearity, generator })`. */
export const kaimingUniform_ = keywords(
  'kaimingUniform_',
  kaiming(I.kaimingUniform_),
  ['tensor', 'a?', 'mode?', 'nonlinearity?'],
  GENERATOR,
);
/** He normal, in the same forms as `kaimingUniform_`. */
export const kaimingNormal_ = keywords('kaimingNormal_', kaiming(I.kaimingNormal_), ['tensor', 'a?', 'mode?', 'nonlinearity?'], GENERATOR);
