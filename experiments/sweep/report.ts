/**
 * The sweep's report.html: Zhang et al.'s three figures, the summary table (with each point's
 * error when it failed), and the grid. One self-contained file; each point's own report is linked.
 */
import { escapeHtml } from '../memorize/report.js';
import type { Figures } from './figures.js';
import type { PointSummary } from './summary.js';

const pct = (v: number | null) => (v === null ? '–' : `${(100 * v).toFixed(1)}%`);

function table(rows: readonly PointSummary[], links: boolean): string {
  const body = rows.map((r) => {
    const point = links ? `<a href="points/${encodeURIComponent(r.point)}/report.html">${escapeHtml(r.point)}</a>` : escapeHtml(r.point);
    const fit = r.fitEpoch === null ? `not in ${r.epochsRun} epochs` : `epoch ${r.fitEpoch}`;
    return `<tr><td>${point}</td><td>${escapeHtml(r.randomization)}</td><td>${escapeHtml(r.status)}</td><td>${fit}</td><td>${
      r.fitSteps ?? '–'
    }</td><td>${r.fitSeconds === null ? '–' : r.fitSeconds.toFixed(1)}</td><td>${pct(r.finalTrainAcc)}</td><td>${pct(r.testError)}</td><td>${
      r.attempts
    }</td><td class="msg">${escapeHtml(r.message)}</td></tr>`;
  });
  return `<table><thead><tr><th>point</th><th>randomization</th><th>status</th><th>100% train accuracy</th><th>steps</th><th>seconds</th><th>final train acc</th><th>test error</th><th>attempts</th><th>message</th></tr></thead><tbody>${body.join(
    '',
  )}</tbody></table>`;
}

export interface SweepReportInput {
  title: string;
  figures: Figures;
  /** One table per sweep (a --compare report has several). */
  tables: { label: string; rows: readonly PointSummary[] }[];
  /** The grid, shown as JSON. */
  spec?: unknown;
  /** Link each point to its own report (the report sits in the sweep folder). */
  links: boolean;
}

export function sweepReportHtml(input: SweepReportInput): string {
  const figs = [input.figures.loss, input.figures.fit, input.figures.error]
    .filter((f): f is string => f !== undefined)
    .map((f) => f.replace(/^<\?xml[^>]*>\s*/, ''));
  const tables = input.tables
    .map((t) => `${input.tables.length > 1 ? `<h2>${escapeHtml(t.label)}</h2>` : '<h2>Points</h2>'}${table(t.rows, input.links)}`)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(input.title)}</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 1150px; padding: 0 1em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 1.6em; }
table { border-collapse: collapse; margin: .5em 0; } th, td { border: 1px solid #ccc; padding: .25em .6em; text-align: right; }
th { background: #f4f4f4; } td.msg { text-align: left; }
.charts { display: flex; flex-wrap: wrap; gap: 1em; } .charts svg { max-width: 100%; height: auto; }
pre { background: #f7f7f7; padding: .6em; overflow-x: auto; }
</style>
</head>
<body>
<h1>${escapeHtml(input.title)}</h1>
<p>Zhang et al. 2017, “Understanding deep learning requires rethinking generalization”, Figure 1: the same network trained on more and more randomized data. Training accuracy is measured during each epoch (training mode); the test error is measured after the last epoch on held-out digits with their true labels.</p>
${figs.length > 0 ? `<div class="charts">\n${figs.join('\n')}\n</div>` : '<p>No point has finished an epoch yet: no figures.</p>'}
${tables}
${input.spec === undefined ? '' : `<h2>Grid</h2><pre>${escapeHtml(JSON.stringify(input.spec, null, 2))}</pre>`}
<p><small>Written by <code>nabla sweep</code>.</small></p>
</body>
</html>
`;
}
