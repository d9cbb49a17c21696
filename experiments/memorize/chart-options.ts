/**
 * The loss and accuracy charts of memorization runs (train, held-out, chance), as line-chart
 * options: browser-safe, so the CLI's plots and the playground's live charts are the same charts.
 */
import type { LineChartOptions, Series } from '../../src/plot/line-chart.js';
import { NUM_CLASSES } from './data.js';
import type { EpochMetrics } from './metrics.js';

/** One run's curves and the name its series carry when several runs share a chart. */
export interface RunCurves {
  label: string;
  metrics: readonly EpochMetrics[];
}

export interface Charts {
  loss: string;
  accuracy: string;
}

function seriesOf(runs: readonly RunCurves[], train: keyof EpochMetrics, held: keyof EpochMetrics): Series[] {
  const out: Series[] = [];
  for (const r of runs) {
    const name = (s: string) => (runs.length === 1 ? s : `${r.label} ${s}`);
    const x = r.metrics.map((m) => m.epoch);
    out.push({ name: name('train'), x, y: r.metrics.map((m) => m[train] as number) });
    if (r.metrics.some((m) => m[held] !== null)) {
      out.push({ name: name('held-out'), x, y: r.metrics.map((m) => (m[held] === null ? Number.NaN : (m[held] as number))) });
    }
  }
  return out;
}

function chanceLine(runs: readonly RunCurves[], value: number): Series[] {
  const last = Math.max(0, ...runs.flatMap((r) => r.metrics.map((m) => m.epoch)));
  return last >= 1 ? [{ name: 'chance', x: [1, last], y: [value, value] }] : [];
}

/** The options of the loss and accuracy charts (plot/line-chart.ts turns them into Vega-Lite specs). */
export function chartOptions(runs: readonly RunCurves[], title = ''): { loss: LineChartOptions; accuracy: LineChartOptions } {
  const t = title ? `${title}: ` : '';
  const many = runs.reduce((n, r) => Math.max(n, r.metrics.length), 0) > 60;
  const common: Partial<LineChartOptions> = { xLabel: 'epoch', width: 520, height: 300, points: !many };
  const loss: LineChartOptions = {
    ...common,
    title: `${t}cross-entropy loss per epoch`,
    yLabel: 'loss',
    series: [...seriesOf(runs, 'trainLoss', 'heldOutLoss'), ...chanceLine(runs, Math.log(NUM_CLASSES))],
  };
  const accuracy: LineChartOptions = {
    ...common,
    title: `${t}accuracy per epoch`,
    yLabel: 'accuracy',
    yDomain: [0, 1],
    series: [...seriesOf(runs, 'trainAcc', 'heldOutAcc'), ...chanceLine(runs, 1 / NUM_CLASSES)],
  };
  return { loss, accuracy };
}
