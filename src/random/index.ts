/**
 * PyTorch-exact random numbers at the TypedArray level (CPU, torch 1.13).
 * See distributions.ts for which PyTorch kernel each sampler reproduces.
 */

export {
  type FloatArray,
  fillBernoulli,
  fillBernoulliTensor,
  fillNormal,
  fillRandint,
  fillUniform,
  type NumericArray,
  randperm,
  sampleNormalDouble,
} from './distributions.js';
export {
  DEFAULT_RNG_SEED,
  defaultGenerator,
  Generator,
  type GeneratorState,
  manualSeed,
  TORCH_STATE_BYTES,
} from './generator.js';
export { MT_N, MT19937, type MT19937State, toSeedU64 } from './mt19937.js';
