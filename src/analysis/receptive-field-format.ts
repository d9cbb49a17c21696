/** Text forms of receptive fields: the per-layer table and one output element's ranges. */
import type { FieldRanges, ReceptiveField } from './receptive-field.js';

const pairText = (v: readonly number[]) => v.map((x) => String(x)).join('×');
const runText = (r: readonly [number, number]) => (r[0] === r[1] ? `${r[0]}` : `${r[0]}..${r[1]}`);

/** The per-layer table: output shape, field size, jump, start, padding reach, aligned. */
export function formatReceptiveField(rf: ReceptiveField): string {
  const head = ['Layer (type)', 'Output shape', 'Size', 'Jump', 'Start', 'Pad reach (before/after)', 'Padded outputs', 'Branches'];
  const rows = rf.layers.map((l) => {
    const label = `${'  '.repeat(l.depth)}${l.depth === 0 ? l.type : `${l.name} (${l.type})`}${l.callNumber > 1 ? ` [call ${l.callNumber}]` : ''}`;
    const shape = l.outputShape ? `[${l.outputShape.join(', ')}]` : '—';
    if (l.kind !== 'field' || l.union === null) return [label, shape, l.kind === 'global' ? 'global' : '—', '', '', '', '', ''];
    const u = l.union;
    const jump = u.jump ? pairText(u.jump) : 'mixed';
    const branches = l.fields.length === 1 ? '' : `${l.fields.length} ${l.aligned ? 'aligned' : 'NOT aligned'}`;
    return [
      label,
      shape,
      pairText(u.size),
      jump,
      u.start.join(', '),
      l.padding.map(([a, b]) => `${a}/${b}`).join(', '),
      l.paddedOutputs.map(([a, b]) => `${a}/${b}`).join(', '),
      branches,
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const rule = '─'.repeat(widths.reduce((a, w) => a + w + 2, -2));
  const out = [line(head), rule, ...rows.map(line), rule];
  out.push(
    `Input [${rf.inputShape.join(', ')}]; spatial dims ${rf.spatialDims.join(', ')}. Size, jump (effective stride) and start ` +
      "(first input index of output 0's field, 0-based) per spatial dim; pad reach: how far fields extend past the input; " +
      'padded outputs: how many outputs at each end see padding.',
  );
  for (const w of rf.warnings) out.push(`! ${w}`);
  return out.join('\n');
}

export interface FormatRangesOptions {
  /** Names of the input's channel and spatial dims (default c, then m, n, …). */
  names?: string[];
  /** Also describe padding, holes and unused parts (default true). */
  details?: boolean;
}

/**
 * One output element's input ranges as text, e.g.
 * `c ∈ [1, 3], m ∈ [1, 10], n ∈ [5, 20]  (m: padding [-5, 0])`.
 */
export function formatRanges(r: FieldRanges, opts: FormatRangesOptions = {}): string {
  const letters = ['m', 'n', 'o', 'p'];
  const names = opts.names ?? ['c', ...r.dims.map((_, k) => letters[k] ?? `d${k}`)];
  const parts: string[] = [];
  if (r.channels.length > 0) {
    const only = r.channels.length === 1 ? r.channels[0] : null;
    parts.push(only ? `${names[0]} ∈ [${only[0]}, ${only[1]}]` : `${names[0]} ∈ {${r.channels.map(runText).join(', ')}}`);
  }
  const details: string[] = [];
  r.dims.forEach((d, k) => {
    const name = names[k + 1] ?? `d${k}`;
    parts.push(d.range === null ? `${name} ∈ ∅` : `${name} ∈ [${d.range[0]}, ${d.range[1]}]`);
    if (opts.details === false) return;
    const notes: string[] = [];
    if (d.padding.before) notes.push(`padding [${d.padding.before.join(', ')}]`);
    if (d.padding.after) notes.push(`padding [${d.padding.after.join(', ')}]`);
    if (!d.contiguous) notes.push(`holes ${d.holes.map(runText).join(', ')}`);
    const unusedOnly = d.unused.filter((u) => !d.holes.some((h) => h[0] === u[0] && h[1] === u[1]));
    if (unusedOnly.length > 0) notes.push(`unused ${unusedOnly.map(runText).join(', ')}`);
    if (notes.length > 0) details.push(`${name}: ${notes.join('; ')}`);
  });
  if (!r.rectangular && opts.details !== false) details.push(`not a box: ${r.count} elements in ${r.boxes.length} boxes`);
  return details.length > 0 ? `${parts.join(', ')}  (${details.join('; ')})` : parts.join(', ');
}
