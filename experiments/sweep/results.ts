/**
 * The end of a sweep (or of `nabla sweep --compare`): summary files, figures and report, from
 * the point folders.
 */
import { basename, join } from 'node:path';
import { writeFileAtomic } from '../../src/nodejs/atomic.js';
import type { EpochMetrics } from '../memorize/metrics.js';
import { readMetrics } from '../memorize/run-dir.js';
import { FIGURES, type SweepResults, writeFigures } from './figures.js';
import { axes } from './grid.js';
import { sweepReportHtml } from './report.js';
import { type PointSummary, summarize, writeSummary } from './summary.js';
import { readSweep, SWEEP_FILES } from './sweep-dir.js';

/** A sweep folder's results, for the figures. */
export function loadResults(sweepDir: string, label: string, failures?: ReadonlyMap<string, string>): SweepResults {
  const sweep = readSweep(sweepDir);
  const rows = summarize(sweepDir, sweep, failures);
  const metrics = new Map<string, readonly EpochMetrics[]>();
  for (const r of rows) if (r.status !== 'not started') metrics.set(r.point, readMetrics(join(sweepDir, SWEEP_FILES.points, r.point)));
  return { label, rows, metrics, otherAxes: axes(sweep.spec).filter((k) => k !== 'corrupt' && k !== 'pixels' && k !== 'labels') };
}

/** Writes summary.json/.csv, the three figures and report.html into the sweep folder; returns the rows. */
export async function writeResults(sweepDir: string, failures?: ReadonlyMap<string, string>): Promise<readonly PointSummary[]> {
  const sweep = readSweep(sweepDir);
  const results = loadResults(sweepDir, '', failures);
  writeSummary(sweepDir, sweep, results.rows);
  const figures = await writeFigures(sweepDir, [results]);
  writeFileAtomic(
    join(sweepDir, SWEEP_FILES.report),
    sweepReportHtml({
      title: `nabla sweep: ${sweep.name}`,
      figures,
      tables: [{ label: sweep.name, rows: results.rows }],
      spec: sweep.spec,
      links: true,
    }),
  );
  return results.rows;
}

/** `--compare`: the figures of several sweeps overlaid, and their tables, into `out`. Returns the files written. */
export async function writeComparison(sweepDirs: readonly string[], out: string): Promise<string[]> {
  const all = sweepDirs.map((d) => loadResults(d, basename(d)));
  const figures = await writeFigures(out, all);
  writeFileAtomic(
    join(out, SWEEP_FILES.report),
    sweepReportHtml({
      title: `nabla sweep --compare: ${all.map((r) => r.label).join(', ')}`,
      figures,
      tables: all.map((r) => ({ label: r.label, rows: r.rows })),
      links: false,
    }),
  );
  return [
    ...(Object.keys(figures) as (keyof typeof FIGURES)[]).flatMap((k) => [`${FIGURES[k]}.svg`, `${FIGURES[k]}.png`]),
    SWEEP_FILES.report,
  ].map((f) => join(out, f));
}
