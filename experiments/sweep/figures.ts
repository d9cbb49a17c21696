/**
 * Zhang et al.'s Figure 1 from sweep results, drawn with nabla's plot module:
 * (a) training loss per step for each randomization (true labels, random labels, shuffled /
 *     random / Gaussian pixels), at the end of each epoch;
 * (b) epochs until 100% training accuracy against the label corruption level;
 * (c) test error (1 − held-out accuracy, true labels) against the label corruption level.
 * Several sweeps (`nabla sweep --compare`) share the same three charts, one series each.
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../../src/nodejs/atomic.js';
import { svgToPng } from '../../src/nodejs/plot-file.js';
import type { Series } from '../../src/plot/line-chart.js';
import { lineChartSvg } from '../../src/plot/render.js';
import type { EpochMetrics } from '../memorize/metrics.js';
import type { PointSummary } from './summary.js';

/** One sweep's results: its rows, each point's metrics, and the axes other than corrupt/pixels. */
export interface SweepResults {
  /** Prefix of the series names ('' for a single sweep). */
  label: string;
  rows: readonly PointSummary[];
  metrics: ReadonlyMap<string, readonly EpochMetrics[]>;
  /** Axes besides corrupt and pixels (seed, model, …): they split series. */
  otherAxes: readonly string[];
}

export const FIGURES = {
  loss: 'loss-per-step',
  fit: 'time-to-fit',
  error: 'test-error',
} as const;

export type Figures = Partial<Record<keyof typeof FIGURES, string>>;

function seriesName(s: SweepResults, row: PointSummary, head: string): string {
  const extra = s.otherAxes.map((k) => `${k} ${row.options[k] ?? ''}`.trim()).join(', ');
  return [s.label, head, extra].filter((x) => x !== '').join(' · ');
}

/** Points that show a randomization of Figure 1 (a): no or full label noise, or randomized pixels. */
const isRandomization = (r: PointSummary) => r.corrupt === 0 || r.corrupt === 1 || r.pixels !== 'none';

function againstCorruption(sweeps: readonly SweepResults[], value: (r: PointSummary) => number | null, what: string): Series[] {
  const out: Series[] = [];
  for (const s of sweeps) {
    const groups = new Map<string, PointSummary[]>();
    for (const r of s.rows) {
      if (r.pixels !== 'none' || value(r) === null) continue;
      const key = seriesName(s, r, '');
      groups.set(key, [...(groups.get(key) ?? []), r]);
    }
    for (const [name, rows] of groups) {
      rows.sort((a, b) => a.corrupt - b.corrupt);
      out.push({ name: name || what, x: rows.map((r) => r.corrupt), y: rows.map((r) => value(r) as number) });
    }
  }
  return out;
}

/** The three charts as SVG; a chart without any data is left out. */
export async function renderFigures(sweeps: readonly SweepResults[]): Promise<Figures> {
  const figures: Figures = {};
  const common = { width: 520, height: 300 };
  const loss: Series[] = [];
  for (const s of sweeps) {
    for (const r of s.rows.filter(isRandomization)) {
      const m = s.metrics.get(r.point) ?? [];
      if (m.length > 0) loss.push({ name: seriesName(s, r, r.randomization), x: m.map((e) => e.steps), y: m.map((e) => e.trainLoss) });
    }
  }
  const many = loss.some((l) => l.x.length > 60);
  if (loss.length > 0) {
    figures.loss = await lineChartSvg({
      ...common,
      series: loss,
      points: !many,
      title: '(a) training loss per step, by randomization',
      xLabel: 'optimizer steps (loss averaged over each epoch)',
      yLabel: 'training loss',
    });
  }
  const fit = againstCorruption(sweeps, (r) => r.fitEpoch, 'epochs to 100%');
  if (fit.length > 0) {
    figures.fit = await lineChartSvg({
      ...common,
      series: fit,
      title: '(b) time to fit the training labels',
      xLabel: 'label corruption (fraction of random labels)',
      yLabel: 'epochs to 100% training accuracy',
    });
  }
  const error = againstCorruption(sweeps, (r) => r.testError, 'test error');
  if (error.length > 0) {
    figures.error = await lineChartSvg({
      ...common,
      series: [...error, { name: 'chance (90% error)', x: [0, 1], y: [0.9, 0.9] }],
      title: '(c) test error after training',
      xLabel: 'label corruption (fraction of random labels)',
      yLabel: 'test error (held-out, true labels)',
      yDomain: [0, 1],
    });
  }
  return figures;
}

/** Writes the figures as SVG and PNG into `dir`; returns them. */
export async function writeFigures(dir: string, sweeps: readonly SweepResults[]): Promise<Figures> {
  const figures = await renderFigures(sweeps);
  for (const [k, svg] of Object.entries(figures) as [keyof typeof FIGURES, string][]) {
    writeFileAtomic(join(dir, `${FIGURES[k]}.svg`), svg);
    writeFileAtomic(join(dir, `${FIGURES[k]}.png`), svgToPng(svg));
  }
  return figures;
}
