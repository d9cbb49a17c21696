/**
 * One sweep point on disk and in a process: where it stands (not started, interrupted, done), and
 * running it to its end as a `nabla memorize` run in `points/<name>/` — a fresh run, or a resume
 * from the folder's checkpoint (bit-identical to an uninterrupted run).
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseMemorizeArgs } from '../memorize/options.js';
import { type RunContext, type RunResult, resumeRun, startRun } from '../memorize/run.js';
import { isRunDir, readConfig, readMetrics, readStatus } from '../memorize/run-dir.js';
import { type PointOptions, pointArgs, type SweepPoint } from './grid.js';

/** `new`: no run yet; `partial`: a run to resume; `finished` and `diverged` are final. */
export type PointState = 'new' | 'partial' | 'finished' | 'diverged';

export function pointState(dir: string): PointState {
  if (!isRunDir(dir)) return 'new';
  const status = readStatus(dir);
  if (status?.status === 'diverged') return 'diverged';
  if (status?.status === 'finished' && (readMetrics(dir).at(-1)?.epoch ?? 0) >= readConfig(dir).epochs) return 'finished';
  return 'partial';
}

/**
 * The points of `points` that are not finished (nor diverged) in the sweep's `points/` folder;
 * says how many are already done. Local and queue runs both start from this.
 */
export function pendingPoints(pointsDir: string, points: readonly SweepPoint[], say: (line: string) => void): SweepPoint[] {
  const todo = points.filter((p) => {
    const s = pointState(join(pointsDir, p.name));
    return s !== 'finished' && s !== 'diverged';
  });
  const done = points.length - todo.length;
  if (done > 0) say(`${done} of ${points.length} points already done; ${todo.length} to run`);
  return todo;
}

/** What a point's process is asked to do. */
export interface PointJob {
  /** The sweep's `points/` folder (the same path on every machine). */
  pointsDir: string;
  name: string;
  options: PointOptions;
  /** Native kernel threads for a fresh run (a resumed run keeps its recorded count). */
  threads: number;
  /** Resume even when the run folder's lock names a process on another host (see attempt.ts). */
  takeOverLock?: boolean;
}

/**
 * Runs the point to its end in this process: nothing for a finished (or diverged) point, a resume
 * for an interrupted one, a fresh run otherwise. A folder without config.json is what a process
 * killed while creating the run leaves behind; it is cleared and started again.
 */
export async function runPoint(job: PointJob, ctx: RunContext): Promise<RunResult & { from: PointState }> {
  const dir = join(job.pointsDir, job.name);
  const state = pointState(dir);
  if (state === 'finished' || state === 'diverged') {
    return { dir, status: state, message: readStatus(dir)?.message ?? state, from: state };
  }
  if (state === 'partial') return { ...(await resumeRun(dir, {}, { ...ctx, takeOverLock: job.takeOverLock })), from: state };
  if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  const args = [...pointArgs(job.options), '--name', job.name, '--runs-dir', job.pointsDir, '--threads', String(job.threads)];
  return { ...(await startRun(parseMemorizeArgs(args), { ...ctx, argv: ['nabla', 'memorize', ...args] })), from: state };
}
