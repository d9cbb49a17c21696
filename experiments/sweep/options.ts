/**
 * Options of `nabla sweep`. The sweep's own options are listed below; every other `--option`
 * is a `nabla memorize` option, with one value or several separated by commas (an axis of the
 * grid): `nabla sweep --corrupt 0,0.5,1 --model mlp --epochs 20`.
 */
import { availableParallelism } from 'node:os';
import { UsageError } from '../usage-error.js';
import { SWEEP_PRESETS } from './grid.js';

export interface ParsedSweep {
  preset: string | null;
  grid: string | null;
  /** memorize options from the command line: one value, or several (an axis). */
  flags: Record<string, string[]>;
  name: string | null;
  sweepsDir: string;
  workers: number;
  /** Kernel threads per point (null: the default for the mode). */
  threads: number | null;
  queue: string | null;
  /** `--compare SWEEP SWEEP…`: overlay finished sweeps instead of running one. */
  compare: string[] | null;
  out: string | null;
}

const OWN_VALUED = new Set(['preset', 'grid', 'name', 'sweeps-dir', 'workers', 'threads', 'queue', 'out']);

export const SWEEP_USAGE = `usage: nabla sweep [--preset NAME | --grid FILE] [memorize options, comma-separated for an axis]
       nabla sweep --compare SWEEP [SWEEP …] [--out DIR]

Runs a grid of nabla memorize runs (Zhang et al. 2017's randomization experiments) and draws
Figure 1: (a) training loss per step by randomization, (b) epochs to 100% training accuracy
against label corruption, (c) test error against label corruption. Writes sweeps/<name>/:
sweep.json, points/<point>/ (one memorize run each), summary.json/.csv, the figures (SVG, PNG)
and report.html. Finished points are skipped and interrupted ones resumed when the same command
runs again.

presets:
${Object.entries(SWEEP_PRESETS)
  .map(([k, v]) => `  --preset ${k.padEnd(12)} ${v.summary}`)
  .join('\n')}

the grid:
  --grid FILE            JSON: {"base": {"model": "mlp"}, "grid": {"corrupt": [0, 0.5, 1]}}
                         ("grid" may be a list of grids: the points are their union)
  --OPTION V1,V2,…       any nabla memorize option (--corrupt, --pixels, --model, --seed, --lr,
                         --epochs, …); several values make an axis, one value applies to all
                         points. Options given here replace the preset's or the file's.

where it runs:
  --workers N            points at a time on this machine (default: the number of cores)
  --threads N            kernel threads per point (default: cores / workers; 1 with --queue)
  --queue redis://HOST:PORT
                         put the points on a BullMQ queue in that Redis instead; start
                         \`nabla worker --queue redis://HOST:PORT\` on any machine that sees the
                         sweep folder at the same path (docs/scale.md)

the folder:
  --name NAME            sweep folder name (default: the preset's or the grid file's name)
  --sweeps-dir DIR       where sweep folders go (default sweeps)

overlay:
  --compare              the positional arguments are finished sweep folders; their figures are
                         overlaid into --out (default: <sweeps-dir>/compare)
  --out DIR`;

function posInt(flag: string, raw: string): number {
  const v = Number(raw);
  if (!Number.isSafeInteger(v) || v < 1) throw new UsageError(`--${flag}: expected a positive integer, got '${raw}'`);
  return v;
}

/** Parses `nabla sweep` arguments; throws {@link UsageError}. */
export function parseSweepArgs(args: readonly string[]): ParsedSweep {
  const own: Record<string, string> = {};
  const flags: Record<string, string[]> = {};
  const positionals: string[] = [];
  let compare = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('--')) {
      positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const key = eq < 0 ? a.slice(2) : a.slice(2, eq);
    if (key === 'compare') {
      if (eq >= 0) throw new UsageError('--compare takes no value; give the sweep folders as arguments');
      compare = true;
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) value = a.slice(eq + 1);
    else {
      value = args[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`--${key}: missing value`);
      i++;
    }
    if (key in own || key in flags) throw new UsageError(`--${key} is given twice`);
    if (OWN_VALUED.has(key)) own[key] = value;
    else {
      const values = value.split(',').map((v) => v.trim());
      if (values.some((v) => v === '')) throw new UsageError(`--${key}: empty value in '${value}'`);
      if (new Set(values).size !== values.length) throw new UsageError(`--${key}: '${value}' repeats a value`);
      flags[key] = values;
    }
  }
  if (positionals.length > 0 && !compare) {
    throw new UsageError(`unexpected argument '${positionals[0]}' (sweep folders are given with --compare)`);
  }
  if (compare) {
    if (positionals.length === 0) throw new UsageError('--compare: give the sweep folders to overlay');
    const other = [...Object.keys(own).filter((k) => k !== 'out' && k !== 'sweeps-dir'), ...Object.keys(flags)];
    if (other.length > 0) throw new UsageError(`--compare overlays finished sweeps; --${other[0]} does not apply`);
  } else if (own.out !== undefined) throw new UsageError('--out applies to --compare');
  if (own.preset !== undefined && !(own.preset in SWEEP_PRESETS)) {
    throw new UsageError(`--preset: expected one of ${Object.keys(SWEEP_PRESETS).join(', ')}, got '${own.preset}'`);
  }
  if (own.preset !== undefined && own.grid !== undefined) throw new UsageError('--preset and --grid both give the grid; give one of them');
  if (own.queue !== undefined && own.workers !== undefined) {
    throw new UsageError('--workers sets local workers; with --queue the points run on `nabla worker` processes');
  }
  if (own.name !== undefined && (own.name === '' || /[/\\\0]/.test(own.name) || own.name === '.' || own.name === '..')) {
    throw new UsageError(`--name: '${own.name}' is not a valid folder name (no slashes)`);
  }
  const sweepsDir = own['sweeps-dir'] ?? 'sweeps';
  if (sweepsDir === '') throw new UsageError('--sweeps-dir: empty path');
  return {
    preset: own.preset ?? null,
    grid: own.grid ?? null,
    flags,
    name: own.name ?? null,
    sweepsDir,
    workers: own.workers === undefined ? availableParallelism() : posInt('workers', own.workers),
    threads: own.threads === undefined ? null : posInt('threads', own.threads),
    queue: own.queue ?? null,
    compare: compare ? positionals : null,
    out: own.out ?? null,
  };
}
