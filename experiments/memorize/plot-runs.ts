/**
 * `nabla plot`: redraws plots and reports from run folders' metrics; several runs are overlaid
 * in one pair of charts.
 */
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { writeFileAtomic } from '../../src/nodejs/atomic.js';
import { makeDirs } from '../../src/nodejs/dirs.js';
import { UsageError } from '../usage-error.js';
import { writePlots } from './plots.js';
import { type ReportRun, reportHtml } from './report.js';
import { redrawCompare, redrawRun } from './run.js';
import { COMPARE_RUNS, FILES, isRunDir, readConfig, readMetrics, readStatus, runLabel } from './run-dir.js';

const CHART_FILES = ['loss.svg', 'loss.png', 'accuracy.svg', 'accuracy.png', FILES.report];

function checkRun(dir: string): void {
  if (!isRunDir(dir)) throw new UsageError(`${dir} is not a nabla memorize run folder (no ${FILES.config})`);
}

function load(dir: string, label: string): ReportRun {
  const c = readConfig(dir);
  return {
    label,
    config: c as unknown as Record<string, unknown>,
    metrics: readMetrics(dir),
    status: readStatus(dir)?.message ?? 'unknown',
  };
}

/**
 * Redraws `dirs`. Without `out` and with one run: into the run's own folder (a compare run also
 * redraws its two sub-runs). Otherwise overlays every run (a compare run counts as its two) into
 * `out`. Returns the files written.
 */
export async function plotRuns(dirs: readonly string[], out?: string): Promise<string[]> {
  for (const d of dirs) checkRun(d);
  if (out === undefined && dirs.length === 1) {
    const dir = dirs[0];
    const written: string[] = [];
    if (readConfig(dir).compare) {
      for (const s of COMPARE_RUNS) {
        const sub = join(dir, s);
        if (!isRunDir(sub)) continue;
        await redrawRun(sub);
        written.push(...CHART_FILES.map((f) => join(sub, f)));
      }
      await redrawCompare(dir);
    } else await redrawRun(dir);
    return [...CHART_FILES.map((f) => join(dir, f)), ...written].filter((f) => existsSync(f));
  }
  const runs: ReportRun[] = [];
  for (const d of dirs) {
    const c = readConfig(d);
    if (c.compare) {
      for (const s of COMPARE_RUNS) {
        const sub = join(d, s);
        if (isRunDir(sub)) runs.push(load(sub, `${basename(d)} ${runLabel(sub, readConfig(sub))}`));
      }
    } else runs.push(load(d, dirs.length === 1 ? runLabel(d, c) : basename(d)));
  }
  // Only now, with every run read, does the output folder get made.
  const target = out as string;
  try {
    makeDirs(target, '--out');
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const charts = await writePlots(target, runs);
  writeFileAtomic(join(target, FILES.report), reportHtml({ title: `nabla plot: ${runs.map((r) => r.label).join(', ')}`, runs, charts }));
  return CHART_FILES.map((f) => join(target, f)).filter((f) => existsSync(f));
}
