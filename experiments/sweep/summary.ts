/**
 * One row per sweep point: how it ended, when it first fitted its training labels (100% training
 * accuracy, Zhang et al.'s "time to overfit"), and its test error. Written as summary.json and
 * summary.csv, and printed as a table.
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../../src/nodejs/atomic.js';
import { firstReached } from '../memorize/metrics.js';
import { parseMemorizeArgs } from '../memorize/options.js';
import { readMetrics, readStatus, writeJson } from '../memorize/run-dir.js';
import { axes, type PointOptions, pointArgs } from './grid.js';
import { pointState } from './point.js';
import { readAttempts, SWEEP_FILES, type SweepFile } from './sweep-dir.js';

export type PointStatus = 'finished' | 'diverged' | 'failed' | 'interrupted' | 'not started';

export interface PointSummary {
  point: string;
  options: PointOptions;
  /** "true labels", "40% random labels", "random labels", "shuffled pixels", … */
  randomization: string;
  corrupt: number;
  pixels: string;
  seed: number;
  status: PointStatus;
  /** The run's last status message, or the error of a failed point. */
  message: string;
  attempts: number;
  /** Epochs asked for, and epochs done. */
  epochs: number;
  epochsRun: number;
  /** First epoch whose training accuracy was 100% (null: not reached), and the steps and seconds of training until then. */
  fitEpoch: number | null;
  fitSteps: number | null;
  fitSeconds: number | null;
  finalTrainLoss: number | null;
  finalTrainAcc: number | null;
  heldOutAcc: number | null;
  /** 1 − held-out accuracy at the last epoch (against the true labels). */
  testError: number | null;
}

/** A point's randomization in Zhang et al.'s words. */
export function randomizationOf(corrupt: number, pixels: string): string {
  const labels = corrupt === 0 ? 'true labels' : corrupt === 1 ? 'random labels' : `${Math.round(corrupt * 1000) / 10}% random labels`;
  if (pixels === 'none') return labels;
  return corrupt === 0 ? `${pixels} pixels` : `${pixels} pixels, ${labels}`;
}

/** The summary rows of a sweep folder; `failures` holds the errors of points that failed for good. */
export function summarize(sweepDir: string, sweep: SweepFile, failures: ReadonlyMap<string, string> = new Map()): PointSummary[] {
  return sweep.points.map((p) => {
    const config = parseMemorizeArgs(pointArgs(p.options)).config;
    const dir = join(sweepDir, SWEEP_FILES.points, p.name);
    const state = pointState(dir);
    const metrics = state === 'new' ? [] : readMetrics(dir);
    const last = metrics.at(-1);
    const fit = firstReached(metrics, 1);
    const fitRow = fit.epoch === null ? undefined : metrics.find((m) => m.epoch === fit.epoch);
    let status: PointStatus =
      state === 'finished' ? 'finished' : state === 'diverged' ? 'diverged' : state === 'partial' ? 'interrupted' : 'not started';
    let message = state === 'new' ? '' : (readStatus(dir)?.message ?? '');
    const failure = failures.get(p.name);
    if (failure !== undefined && status !== 'finished' && status !== 'diverged') {
      status = 'failed';
      message = failure;
    }
    return {
      point: p.name,
      options: p.options,
      randomization: randomizationOf(config.corrupt, config.pixels),
      corrupt: config.corrupt,
      pixels: config.pixels,
      seed: config.seed,
      status,
      message,
      attempts: readAttempts(sweepDir, p.name).length,
      epochs: config.epochs,
      epochsRun: last?.epoch ?? 0,
      fitEpoch: fit.epoch,
      fitSteps: fit.steps,
      fitSeconds: fitRow?.elapsed ?? null,
      finalTrainLoss: last?.trainLoss ?? null,
      finalTrainAcc: last?.trainAcc ?? null,
      heldOutAcc: last?.heldOutAcc ?? null,
      testError: last?.heldOutAcc === null || last?.heldOutAcc === undefined ? null : 1 - last.heldOutAcc,
    };
  });
}

const CSV = [
  'status',
  'randomization',
  'epochs',
  'epochsRun',
  'fitEpoch',
  'fitSteps',
  'fitSeconds',
  'finalTrainLoss',
  'finalTrainAcc',
  'heldOutAcc',
  'testError',
  'attempts',
  'message',
] as const;

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** summary.csv: the point, its values on the sweep's axes, then the results. */
export function summaryCsv(rows: readonly PointSummary[], axisKeys: readonly string[]): string {
  const head = ['point', ...axisKeys, ...CSV];
  const lines = rows.map((r) => [r.point, ...axisKeys.map((k) => r.options[k]), ...CSV.map((c) => r[c])].map(csvCell).join(','));
  return `${[head.join(','), ...lines].join('\n')}\n`;
}

export function writeSummary(sweepDir: string, sweep: SweepFile, rows: readonly PointSummary[]): void {
  writeJson(join(sweepDir, SWEEP_FILES.summaryJson), { sweep: sweep.name, points: rows });
  writeFileAtomic(join(sweepDir, SWEEP_FILES.summaryCsv), summaryCsv(rows, axes(sweep.spec)));
}

const pct = (v: number | null) => (v === null ? '–' : `${(100 * v).toFixed(1)}%`);

/** The summary as a plain-text table for the terminal. */
export function summaryTable(rows: readonly PointSummary[]): string {
  const head = ['point', 'randomization', 'status', '100% train acc at', 'train acc', 'test error'];
  const body = rows.map((r) => [
    r.point,
    r.randomization,
    r.status === 'failed' ? `failed: ${r.message}` : r.status,
    r.fitEpoch === null ? `not in ${r.epochsRun} epochs` : `epoch ${r.fitEpoch} (${r.fitSteps} steps, ${r.fitSeconds?.toFixed(1)} s)`,
    pct(r.finalTrainAcc),
    pct(r.testError),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}
