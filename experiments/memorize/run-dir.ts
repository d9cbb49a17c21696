/**
 * The files of a run folder (`runs/<name>/`):
 * ```
 * config.json              every resolved option, the seed, and how the run was started
 * labels.json              the training samples, their (random) labels and true labels, the held-out samples
 * metrics.jsonl / .csv     one row per epoch
 * checkpoint.safetensors   the latest checkpoint (model, optimizer, generator, data position, metrics)
 * checkpoints/epoch-NNN.safetensors   with --save-every
 * model.safetensors        the final weights
 * loss.svg/.png, accuracy.svg/.png, report.html
 * status.json              running / finished / stopped / diverged / failed / interrupted, where, and the pid
 * lock                     held by the process training in the folder (see run-lock.ts)
 * ```
 * A `--compare` run holds two such folders, `random/` and `true/`, plus its own config.json,
 * compare.json, overlaid plots and report.
 */
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../../src/nodejs/atomic.js';
import type { LabelRecord } from './data.js';
import { type EpochMetrics, metricsCsv, metricsJsonl, parseMetricsJsonl } from './metrics.js';
import { checkConfig, type MemorizeConfig } from './options.js';
import { processGone } from './run-lock.js';

export const FILES = {
  config: 'config.json',
  labels: 'labels.json',
  metricsJsonl: 'metrics.jsonl',
  metricsCsv: 'metrics.csv',
  checkpoint: 'checkpoint.safetensors',
  checkpoints: 'checkpoints',
  model: 'model.safetensors',
  status: 'status.json',
  report: 'report.html',
  compare: 'compare.json',
} as const;

/** Sub-run folders of a `--compare` run. */
export const COMPARE_RUNS = ['random', 'true'] as const;

/** How the run was started; stored next to the options in config.json. */
export interface RunInfo {
  name: string;
  createdAt: string;
  /** The backend that ran the kernels ('native' or 'js') and its thread count. */
  backend: string;
  threads: number | null;
  node: string;
  nabla: string;
  argv: string[];
}

export type ConfigFile = MemorizeConfig & { run: RunInfo };

export interface RunStatus {
  /**
   * 'failed': an error ended the run (message says which); 'interrupted': its process ended
   * without a final state (killed, or a second Ctrl-C). A 'running' status whose process is gone
   * reads back as 'interrupted'.
   */
  status: 'running' | 'finished' | 'stopped' | 'diverged' | 'failed' | 'interrupted';
  /** Completed epochs, and steps into the next one. */
  epoch: number;
  step: number;
  message: string;
  /** The process that wrote it, and its host: a 'running' status whose process is gone is stale. */
  pid?: number;
  host?: string;
  updatedAt: string;
}

export function writeJson(path: string, value: unknown): void {
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

export function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : (e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${path}: not valid JSON`);
  }
}

export function readConfig(dir: string): ConfigFile {
  const c = checkConfig(readJson(join(dir, FILES.config)), dir) as ConfigFile;
  return c;
}

export function isRunDir(dir: string): boolean {
  return existsSync(join(dir, FILES.config));
}

/** The run's metrics (empty when it has none yet). */
export function readMetrics(dir: string): EpochMetrics[] {
  const p = join(dir, FILES.metricsJsonl);
  if (!existsSync(p)) return [];
  return parseMetricsJsonl(readFileSync(p, 'utf8'), p);
}

export function writeMetrics(dir: string, rows: readonly EpochMetrics[]): void {
  writeFileAtomic(join(dir, FILES.metricsJsonl), metricsJsonl(rows));
  writeFileAtomic(join(dir, FILES.metricsCsv), metricsCsv(rows));
}

/**
 * The run's status, or null when it has none. A 'running' status whose process is gone (on this
 * host) is returned as 'interrupted'.
 */
export function readStatus(dir: string): RunStatus | null {
  const p = join(dir, FILES.status);
  if (!existsSync(p)) return null;
  const s = readJson(p) as RunStatus;
  if (typeof s !== 'object' || s === null || typeof s.status !== 'string') throw new Error(`${p}: not a run status`);
  if (s.status === 'running' && processGone(s.pid, s.host)) {
    return { ...s, status: 'interrupted', message: `interrupted: process ${s.pid} ended while running (killed?)` };
  }
  return s;
}

export function writeStatus(dir: string, s: Omit<RunStatus, 'updatedAt' | 'pid' | 'host'>): void {
  writeJson(join(dir, FILES.status), { ...s, pid: process.pid, host: hostname(), updatedAt: new Date().toISOString() });
}

export function readLabels(dir: string): LabelRecord | null {
  const p = join(dir, FILES.labels);
  if (!existsSync(p)) return null;
  const r = readJson(p) as Record<string, unknown>;
  const ints = (v: unknown) => Array.isArray(v) && v.every((x) => Number.isSafeInteger(x));
  const ok =
    typeof r === 'object' &&
    r !== null &&
    Number.isSafeInteger(r.poolSize) &&
    ['trainIndices', 'labels', 'trueLabels', 'replaced', 'heldOutIndices'].every((k) => ints(r[k]));
  if (!ok) throw new Error(`${p}: not a label record (poolSize and lists of sample indices and labels)`);
  return r as unknown as LabelRecord;
}

/** A run's name for charts: its folder name, or "random labels" / "true labels" inside a compare run. */
export function runLabel(dir: string, config: MemorizeConfig): string {
  const base =
    dir
      .replace(/[/\\]+$/, '')
      .split(/[/\\]/)
      .pop() ?? dir;
  if (base === 'random' || base === 'true')
    return config.labels === 'corrupt' ? `${config.corrupt * 100}% random labels` : `${base} labels`;
  return base;
}
