/**
 * Loss and accuracy per epoch (train and held-out) as line charts, for one run or several
 * overlaid: `loss.svg`, `loss.png`, `accuracy.svg`, `accuracy.png`.
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../../src/nodejs/atomic.js';
import { svgToPng } from '../../src/nodejs/plot-file.js';
import { lineChartSvg } from '../../src/plot/render.js';
import { type Charts, chartOptions, type RunCurves } from './chart-options.js';

export type { Charts, RunCurves } from './chart-options.js';

/** The two charts as SVG documents. */
export async function renderCharts(runs: readonly RunCurves[], title = ''): Promise<Charts> {
  const opts = chartOptions(runs, title);
  return { loss: await lineChartSvg(opts.loss), accuracy: await lineChartSvg(opts.accuracy) };
}

/**
 * Writes loss/accuracy as SVG and PNG into `dir` (atomically); returns the charts, or null (and
 * writes nothing) while no run has a finished epoch.
 */
export async function writePlots(dir: string, runs: readonly RunCurves[], title = ''): Promise<Charts | null> {
  if (runs.every((r) => r.metrics.length === 0)) return null;
  const charts = await renderCharts(runs, title);
  for (const [name, svg] of Object.entries(charts)) {
    writeFileAtomic(join(dir, `${name}.svg`), svg);
    writeFileAtomic(join(dir, `${name}.png`), svgToPng(svg));
  }
  return charts;
}
