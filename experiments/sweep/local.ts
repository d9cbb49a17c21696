/**
 * Local workers: the sweep's points run on this machine, `workers` at a time, each in its own
 * process. A point whose process fails is tried again from its checkpoint, three attempts in all;
 * then it is reported failed with its error. Ctrl-C stops every point after its current step
 * with a checkpoint; running the same command again resumes them.
 */
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { attemptPoint } from './attempt.js';
import type { SweepPoint } from './grid.js';
import { pendingPoints } from './point.js';
import { SWEEP_FILES } from './sweep-dir.js';

export const MAX_ATTEMPTS = 3;

export interface LocalOptions {
  workers: number;
  threads: number;
  /** Progress lines (already prefixed with the point's name). */
  say: (line: string) => void;
  /** Set `stop` to stop (Ctrl-C). */
  signal: { stop: boolean };
}

export interface SweepRunOutcome {
  /** Errors of the points that failed every attempt. */
  failures: Map<string, string>;
  /** True when stopped before every point ended. */
  stopped: boolean;
}

/** Runs the points that are not finished yet; resolves when all ended or the run was stopped. */
export async function runLocal(sweepDir: string, points: readonly SweepPoint[], opts: LocalOptions): Promise<SweepRunOutcome> {
  const pointsDir = join(sweepDir, SWEEP_FILES.points);
  const todo = pendingPoints(pointsDir, points, opts.say);
  const total = points.length;
  let ended = total - todo.length;
  const failures = new Map<string, string>();
  const running = new Set<ChildProcess>();
  const queue = [...todo];
  let stopped = false;
  const timer = setInterval(() => {
    if (opts.signal.stop && !stopped) {
      stopped = true;
      for (const c of running) c.kill('SIGINT');
    }
  }, 100);

  const slot = async () => {
    for (let p = queue.shift(); p !== undefined && !stopped && !opts.signal.stop; p = queue.shift()) {
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        const run = attemptPoint(sweepDir, p, opts.threads, (l) => opts.say(`[${p.name}] ${l}`));
        running.add(run.child);
        const o = await run.done;
        running.delete(run.child);
        if (o.status === 'stopped') return;
        if (o.status !== 'error') {
          ended++;
          opts.say(`[${ended}/${total} points done] ${p.name}: ${o.message}`);
          break;
        }
        // Ctrl-C reaches the points' processes too; one still starting dies of it: not a failure.
        if (stopped || opts.signal.stop) return;
        if (attempt === MAX_ATTEMPTS) {
          ended++;
          failures.set(p.name, o.message);
          opts.say(`[${ended}/${total} points done] ${p.name}: FAILED after ${MAX_ATTEMPTS} attempts: ${o.message}`);
        } else opts.say(`[${p.name}] attempt ${attempt} failed (${o.message}); trying again from its checkpoint`);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.workers, todo.length)) }, slot));
  } finally {
    clearInterval(timer);
  }
  return { failures, stopped };
}
