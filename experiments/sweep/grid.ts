/**
 * The points of a sweep: `nabla memorize` option sets, built from a grid. A sweep is a shared
 * `base` (options every point gets) and a union of `grids`, each the product of its axes; a point
 * is named after its values on the axes (`corrupt-0.2_pixels-none`), and that name is its folder.
 * Every point is checked with `nabla memorize`'s own parser before anything runs, so a bad value
 * is reported with the point that holds it.
 */

import { parseMemorizeArgs } from '../memorize/options.js';
import { UsageError } from '../usage-error.js';

/** memorize options as flag names without the dashes ("train-size") mapped to their values. */
export type PointOptions = Record<string, string>;

export interface SweepSpec {
  /** Options shared by every point. */
  base: PointOptions;
  /** The points are the union of these grids; each grid is the product of its axes' values. */
  grids: Record<string, string[]>[];
}

export interface SweepPoint {
  /** Folder name under `points/`, from the point's values on the sweep's axes. */
  name: string;
  options: PointOptions;
}

/** Options a sweep decides itself, per point; a grid may not set them. */
export const RESERVED = new Set(['name', 'runs-dir', 'resume', 'compare', 'log-every', 'threads']);

/**
 * The sweeps one command runs. `zhang-small` is Zhang et al.'s Figure 1 shrunk to finish in a few
 * minutes on a 2-core CPU: a small MLP on 400 digits, labels corrupted 0–100% in steps of 20%
 * (figures b, c), and the three pixel randomizations with true labels (figure a).
 */
export const SWEEP_PRESETS: Record<string, { summary: string; spec: SweepSpec }> = {
  'zhang-small': {
    summary: "Zhang et al.'s Figure 1 in minutes: MLP ×0.5, 400 digits, 50 epochs, 9 points",
    spec: {
      base: {
        model: 'mlp',
        width: '0.5',
        'train-size': '400',
        'held-out': '500',
        epochs: '50',
        'batch-size': '32',
        optimizer: 'adam',
        lr: '0.001',
        seed: '0',
      },
      grids: [
        { corrupt: ['0', '0.2', '0.4', '0.6', '0.8', '1'], pixels: ['none'] },
        { corrupt: ['0'], pixels: ['shuffled', 'random', 'gaussian'] },
      ],
    },
  },
  'zhang-cnn': {
    summary: 'the same 9 points with the small CNN on 1,000 digits, 60 epochs (about half an hour on 2 cores)',
    spec: {
      base: {
        model: 'cnn',
        'train-size': '1000',
        'held-out': '1000',
        epochs: '60',
        'batch-size': '64',
        optimizer: 'adam',
        lr: '0.001',
        seed: '0',
      },
      grids: [
        { corrupt: ['0', '0.2', '0.4', '0.6', '0.8', '1'], pixels: ['none'] },
        { corrupt: ['0'], pixels: ['shuffled', 'random', 'gaussian'] },
      ],
    },
  },
};

function checkKey(key: string, where: string): void {
  if (!/^[a-z][a-z0-9-]*$/.test(key)) throw new UsageError(`${where}: '${key}' is not a nabla memorize option name (e.g. "train-size")`);
  if (RESERVED.has(key)) {
    throw new UsageError(`${where}: '${key}' is set by nabla sweep for each point and cannot be part of a grid`);
  }
}

function scalar(v: unknown, where: string): string {
  if (typeof v === 'string' && v !== '') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  throw new UsageError(`${where}: expected a number or a non-empty string, got ${JSON.stringify(v)}`);
}

/**
 * Reads a sweep file: `{"base": {option: value}, "grid": {option: [values]} | [{…}, {…}]}`
 * (`grid` alone is enough; a single value stands for a one-value axis).
 */
export function parseSpecJson(text: string, where: string): SweepSpec {
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${where}: not valid JSON (${(e as Error).message})`);
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new UsageError(`${where}: expected a JSON object with "grid"`);
  const obj = o as Record<string, unknown>;
  for (const k of Object.keys(obj)) {
    if (k !== 'base' && k !== 'grid') throw new UsageError(`${where}: unknown key '${k}' (a sweep file has "base" and "grid")`);
  }
  const base: PointOptions = {};
  if (obj.base !== undefined) {
    if (typeof obj.base !== 'object' || obj.base === null || Array.isArray(obj.base))
      throw new UsageError(`${where}: "base" must be an object`);
    for (const [k, v] of Object.entries(obj.base)) {
      checkKey(k, `${where}: base`);
      base[k] = scalar(v, `${where}: base.${k}`);
    }
  }
  if (obj.grid === undefined) throw new UsageError(`${where}: no "grid" (e.g. {"grid": {"corrupt": [0, 0.5, 1]}})`);
  const rawGrids = Array.isArray(obj.grid) ? obj.grid : [obj.grid];
  if (rawGrids.length === 0) throw new UsageError(`${where}: "grid" is an empty list`);
  const grids = rawGrids.map((g, i) => {
    const at = `${where}: grid${Array.isArray(obj.grid) ? `[${i}]` : ''}`;
    if (typeof g !== 'object' || g === null || Array.isArray(g)) throw new UsageError(`${at} must be an object of option: [values]`);
    const grid: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(g)) {
      checkKey(k, at);
      const values = Array.isArray(v) ? v : [v];
      if (values.length === 0) throw new UsageError(`${at}.${k}: an empty list of values`);
      grid[k] = values.map((x, j) => scalar(x, `${at}.${k}[${j}]`));
    }
    return grid;
  });
  return { base, grids };
}

/**
 * Applies options given on the command line (`--corrupt 0,0.5,1`): each replaces that option
 * wherever the spec had it; one value goes to `base`, several become an axis of every grid.
 */
export function overrideSpec(spec: SweepSpec, flags: Record<string, string[]>): SweepSpec {
  const base = { ...spec.base };
  const grids = spec.grids.map((g) => ({ ...g }));
  for (const [k, values] of Object.entries(flags)) {
    checkKey(k, `--${k}`);
    delete base[k];
    if (values.length === 1) {
      for (const g of grids) delete g[k];
      base[k] = values[0];
    } else for (const g of grids) g[k] = values; // an axis keeps its place in the point names
  }
  return { base, grids: grids.length > 0 ? grids : [{}] };
}

function product(grid: Record<string, string[]>): PointOptions[] {
  let out: PointOptions[] = [{}];
  for (const [k, values] of Object.entries(grid)) out = out.flatMap((o) => values.map((v) => ({ ...o, [k]: v })));
  return out;
}

/** A value as it appears in a folder name. */
function nameValue(v: string): string {
  return v.replace(/[^A-Za-z0-9.+-]+/g, '-');
}

/** The axes of a spec: the options that a grid sets, in order of first appearance. */
export function axes(spec: SweepSpec): string[] {
  const keys: string[] = [];
  for (const g of spec.grids) for (const k of Object.keys(g)) if (!keys.includes(k)) keys.push(k);
  return keys;
}

/** A point's `nabla memorize` arguments (without --name, --runs-dir and --threads). */
export function pointArgs(options: PointOptions): string[] {
  // --k=v: a value that starts with '-' is a value, not a flag.
  return Object.entries(options).map(([k, v]) => `--${k}=${v}`);
}

/**
 * Every point of the spec, once each, checked with `nabla memorize`'s parser. Throws
 * {@link UsageError} naming the first bad point.
 */
export function expand(spec: SweepSpec): SweepPoint[] {
  const keys = axes(spec);
  const points = new Map<string, SweepPoint>();
  for (const g of spec.grids) {
    for (const values of product(g)) {
      const options = { ...spec.base, ...values };
      const name = keys.length === 0 ? 'point' : keys.map((k) => `${k}-${nameValue(options[k] ?? 'default')}`).join('_');
      const seen = points.get(name);
      if (seen) {
        if (JSON.stringify(seen.options) !== JSON.stringify(options)) {
          throw new UsageError(`point ${name} appears twice with different options; give it a distinct value on an axis`);
        }
        continue;
      }
      try {
        parseMemorizeArgs(pointArgs(options));
      } catch (e) {
        if (e instanceof UsageError) throw new UsageError(`point ${name}: ${e.message.replace(/ \(see nabla memorize --help\)/, '')}`);
        throw e;
      }
      points.set(name, { name, options });
    }
  }
  return [...points.values()];
}
