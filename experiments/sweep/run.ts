/**
 * `nabla sweep` end to end: the grid, the sweep folder, the points on local workers or on the
 * queue, then the summary, figures and report.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, extname, join } from 'node:path';
import { UsageError } from '../usage-error.js';
import { expand, overrideSpec, parseSpecJson, SWEEP_PRESETS, type SweepSpec } from './grid.js';
import { runLocal, type SweepRunOutcome } from './local.js';
import type { ParsedSweep } from './options.js';
import { runOnQueue } from './queue.js';
import { checkRedis, parseRedisUrl } from './redis.js';
import { writeComparison, writeResults } from './results.js';
import { summaryTable } from './summary.js';
import { isSweepDir, openSweep, SWEEP_FILES } from './sweep-dir.js';

export interface SweepContext {
  say: (line: string) => void;
  signal: { stop: boolean };
  argv: string[];
}

function specOf(p: ParsedSweep): { spec: SweepSpec; defaultName: string } {
  if (p.preset !== null) return { spec: overrideSpec(SWEEP_PRESETS[p.preset].spec, p.flags), defaultName: p.preset };
  if (p.grid !== null) {
    let text: string;
    try {
      text = readFileSync(p.grid, 'utf8');
    } catch (e) {
      throw new UsageError(`--grid: ${p.grid}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
    }
    return { spec: overrideSpec(parseSpecJson(text, p.grid), p.flags), defaultName: basename(p.grid, extname(p.grid)) };
  }
  if (!Object.values(p.flags).some((v) => v.length > 1)) {
    throw new UsageError('nothing to sweep: give --preset NAME, --grid FILE, or an option with several values (e.g. --corrupt 0,0.5,1)');
  }
  const spec = overrideSpec({ base: {}, grids: [{}] }, p.flags);
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    spec,
    defaultName: `sweep-${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`,
  };
}

/** Runs (or continues) a sweep; resolves to the exit code: 0 all points done, 1 some failed, 130 stopped. */
export async function runSweep(p: ParsedSweep, ctx: SweepContext): Promise<number> {
  if (p.compare !== null) {
    for (const d of p.compare) if (!isSweepDir(d)) throw new UsageError(`--compare: ${d} is not a sweep folder (no ${SWEEP_FILES.sweep})`);
    const out = p.out ?? join(p.sweepsDir, 'compare');
    mkdirSync(out, { recursive: true });
    for (const f of await writeComparison(p.compare, out)) ctx.say(`wrote ${f}`);
    return 0;
  }
  const { spec, defaultName } = specOf(p);
  const points = expand(spec);
  const addr = p.queue === null ? null : parseRedisUrl(p.queue);
  if (addr) await checkRedis(addr);
  const name = p.name ?? defaultName;
  const dir = openSweep(join(p.sweepsDir, name), name, spec, points, ctx.argv);
  const cores = availableParallelism();
  const threads = p.threads ?? (addr ? 1 : Math.max(1, Math.floor(cores / Math.min(p.workers, points.length))));
  ctx.say(
    `nabla sweep: ${points.length} points → ${dir}/ (${
      addr ? `queue ${addr.display}` : `${Math.min(p.workers, points.length)} local workers`
    }, ${threads} thread${threads === 1 ? '' : 's'} per point)`,
  );
  let outcome: SweepRunOutcome;
  if (addr) outcome = await runOnQueue(dir, points, addr, { threads, say: ctx.say, signal: ctx.signal });
  else outcome = await runLocal(dir, points, { workers: p.workers, threads, say: ctx.say, signal: ctx.signal });
  const rows = await writeResults(dir, outcome.failures);
  ctx.say('');
  ctx.say(summaryTable(rows));
  ctx.say('');
  const figures = ['loss-per-step', 'time-to-fit', 'test-error'].filter((f) => existsSync(join(dir, `${f}.svg`)));
  ctx.say(
    `results in ${dir}/ (${SWEEP_FILES.report}, ${SWEEP_FILES.summaryCsv}${figures.length ? `, ${figures.map((f) => `${f}.png`).join(', ')}` : ''})`,
  );
  if (outcome.stopped) {
    ctx.say(
      addr
        ? 'stopped waiting; the points keep running on the workers. Run the same command again to wait for them and redraw the figures.'
        : 'stopped; every running point saved a checkpoint. Run the same command again to resume.',
    );
    return 130;
  }
  if (outcome.failures.size > 0) {
    ctx.say(`${outcome.failures.size} point(s) failed; their errors are in the summary. Run the same command again to retry them.`);
    return 1;
  }
  return 0;
}
