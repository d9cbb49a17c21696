import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { plotRuns } from '../../experiments/memorize/plot-runs.js';
import { type Command, UsageError } from '../command.js';

const USAGE = `usage: nabla plot RUN [RUN ...] [--out DIR]

Redraws the loss and accuracy plots (SVG, PNG) and report.html of nabla memorize runs from their
metrics. One run: into its own folder. Several runs (or a --compare run): overlaid, into --out
(default: an "overlay" folder next to the first run).`;

/** `nabla plot`: redraws plots and reports of `nabla memorize` runs, overlaying several. */
export const plot: Command = {
  name: 'plot',
  summary: 'redraw the plots and report of nabla memorize runs, overlaying several',
  usage: USAGE,
  async run(args) {
    let values: { out?: string };
    let positionals: string[];
    try {
      ({ values, positionals } = parseArgs({ args, options: { out: { type: 'string' } }, strict: true, allowPositionals: true }));
    } catch (e) {
      throw new UsageError(String((e as Error).message).split('\n')[0]);
    }
    if (positionals.length === 0) throw new UsageError('give at least one run folder (runs/<name>)');
    for (const p of positionals) if (!existsSync(p)) throw new UsageError(`${p}: no such run folder`);
    const out = values.out ?? (positionals.length > 1 ? join(dirname(positionals[0]), 'overlay') : undefined);
    const written = await plotRuns(positionals, out);
    for (const w of written) console.log(`wrote ${w}`);
    if (positionals.length > 1) console.log(`overlaid ${positionals.map((p) => basename(p)).join(', ')}`);
    return 0;
  },
};
