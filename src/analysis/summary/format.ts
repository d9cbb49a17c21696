/** The text form of a model summary: a torchinfo-like table, totals and the conventions used. */
import type { OpCounts } from './counts.js';
import type { ModelSummary, SummaryRow } from './summary.js';

export interface FormatSummaryOptions {
  /** Show rows down to this depth (default: all). */
  depth?: number;
}

/** 1234567 → "1,234,567". */
export function formatInt(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

const shapeText = (shapes: number[][]): string => shapes.map((s) => `[${s.join(', ')}]`).join(' ') || '—';

interface Column {
  title: string;
  cell: (r: SummaryRow) => string;
  total: string;
}

/** The summary as a table with totals and the counting conventions underneath. */
export function formatSummary(s: ModelSummary, opts: FormatSummaryOptions = {}): string {
  const rows = s.rows.filter((r) => opts.depth === undefined || r.depth <= opts.depth);
  const any = (k: keyof OpCounts) => s.total[k] !== 0;
  const count = (k: keyof OpCounts) => (r: SummaryRow) => formatInt(r.counts[k]);
  const columns: Column[] = [
    { title: 'Output shape', cell: (r) => shapeText(r.outputShapes), total: shapeText(s.outputShapes) },
    {
      title: 'Params',
      cell: (r) => (r.shared && r.callNumber > 1 ? '(shared)' : r.kind === 'ops' ? '—' : formatInt(r.params)),
      total: formatInt(s.params.total),
    },
  ];
  if (s.params.frozen > 0) columns.push({ title: 'Frozen', cell: (r) => formatInt(r.frozen), total: formatInt(s.params.frozen) });
  const counted: [keyof OpCounts, string, boolean][] = [
    ['mul', 'Mult', true],
    ['add', 'Add', true],
    ['div', 'Div', any('div')],
    ['act', 'Act', true],
    ['cmp', 'Cmp', true],
    ['fn', 'Fn', any('fn')],
    ['macs', 'MACs', true],
  ];
  for (const [k, title, show] of counted) if (show) columns.push({ title, cell: count(k), total: formatInt(s.total[k]) });
  if (s.flops !== undefined) columns.push({ title: 'FLOPs', cell: (r) => formatInt(r.flops ?? 0), total: formatInt(s.flops) });

  const label = (r: SummaryRow) => {
    const indent = '  '.repeat(r.depth);
    if (r.kind === 'ops') return `${indent}(${r.name || 'forward'}: ${r.type})`;
    const name = r.depth === 0 ? r.type : `${r.name} (${r.type})`;
    return `${indent}${name}${r.callNumber > 1 ? ` [call ${r.callNumber}]` : ''}`;
  };
  const labels = rows.map(label);
  const cells = rows.map((r) => columns.map((c) => c.cell(r)));
  const first = Math.max('Layer (type)'.length, 'Total'.length, ...labels.map((l) => l.length));
  const widths = columns.map((c, i) => Math.max(c.title.length, c.total.length, ...cells.map((row) => row[i].length)));
  const line = (head: string, values: string[]) =>
    [head.padEnd(first), ...values.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i])))].join('  ').trimEnd();
  const rule = '─'.repeat(first + widths.reduce((a, w) => a + w + 2, 0));
  const out = [
    line(
      'Layer (type)',
      columns.map((c) => c.title),
    ),
    rule,
    ...rows.map((_, i) => line(labels[i], cells[i])),
    rule,
    line(
      'Total',
      columns.map((c) => c.total),
    ),
    rule,
    `Input: ${shapeText(s.inputShapes)}`,
    `Parameters: ${formatInt(s.params.total)} (trainable ${formatInt(s.params.trainable)}, frozen ${formatInt(s.params.frozen)})`,
    `Multiplications: ${formatInt(s.total.mul)}   Additions: ${formatInt(s.total.add)}   Activations: ${formatInt(s.total.act)}   ` +
      `Comparisons: ${formatInt(s.total.cmp)}   MACs: ${formatInt(s.total.macs)}` +
      (s.total.div ? `   Divisions: ${formatInt(s.total.div)}` : '') +
      (s.total.fn ? `   Other functions: ${formatInt(s.total.fn)}` : '') +
      (s.flops !== undefined ? `   FLOPs: ${formatInt(s.flops)}` : ''),
    'Conventions:',
    ...s.notes.map((n) => `  - ${n}`),
  ];
  if (s.warnings.length > 0) out.push('Warnings:', ...s.warnings.map((w) => `  ! ${w}`));
  return out.join('\n');
}
