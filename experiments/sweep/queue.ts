/**
 * Sweeps across machines on BullMQ (a job queue in Redis). `nabla sweep --queue` puts each point
 * that is not finished on the queue `nabla-sweep` and waits; `nabla worker --queue` on any
 * machine takes points one at a time and runs each in its own process in the shared sweep folder.
 *
 * A worker that dies (killed, node lost) stops renewing its lock; BullMQ's stalled-job check (run
 * by the other workers) puts the point back on the queue, and the next worker resumes it from the
 * run's last checkpoint, bit-identical to an uninterrupted run. A point whose process fails, or
 * whose workers die, three times in all, is failed and reported with its error in the summary.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { type Job, Queue, Worker } from 'bullmq';
import { attemptPoint } from './attempt.js';
import type { PointOutcome } from './fork-point.js';
import type { SweepPoint } from './grid.js';
import { MAX_ATTEMPTS, type SweepRunOutcome } from './local.js';
import { pendingPoints, pointState } from './point.js';
import { connectionOptions, type RedisAddress } from './redis.js';
import { SWEEP_FILES } from './sweep-dir.js';

export const QUEUE_NAME = 'nabla-sweep';

/** What a job carries: everything a worker needs, with the sweep folder's absolute path. */
export interface PointJobData {
  sweepDir: string;
  point: SweepPoint;
  threads: number;
}

/** The job's id: the same point of the same sweep folder is one job, however often it is queued. */
export function jobId(sweepDir: string, point: string): string {
  return `${createHash('sha256').update(`${sweepDir}\0${point}`).digest('hex').slice(0, 16)}-${point}`;
}

export interface QueueOptions {
  threads: number;
  say: (line: string) => void;
  signal: { stop: boolean };
  /** Seconds between checks of the jobs' states (default 1). */
  pollSeconds?: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Queues the unfinished points and waits until each is completed or failed, printing the
 * workers' progress. Points already queued (by an earlier run of the same command) are waited
 * for, not queued twice; completed or failed jobs of unfinished points are queued afresh.
 */
export async function runOnQueue(
  sweepDir: string,
  points: readonly SweepPoint[],
  addr: RedisAddress,
  opts: QueueOptions,
): Promise<SweepRunOutcome> {
  const pointsDir = join(sweepDir, SWEEP_FILES.points);
  const queue = new Queue<PointJobData>(QUEUE_NAME, { connection: connectionOptions(addr) });
  const failures = new Map<string, string>();
  try {
    const todo = pendingPoints(pointsDir, points, opts.say);
    const total = points.length;
    let ended = total - todo.length;
    for (const p of todo) {
      const id = jobId(sweepDir, p.name);
      const old = await queue.getJob(id);
      if (old) {
        const state = await old.getState();
        if (state !== 'completed' && state !== 'failed' && state !== 'unknown') continue;
        await old.remove();
      }
      await queue.add(
        p.name,
        { sweepDir, point: p, threads: opts.threads },
        { jobId: id, attempts: MAX_ATTEMPTS, backoff: { type: 'fixed', delay: 1000 }, removeOnComplete: false, removeOnFail: false },
      );
    }
    if (todo.length > 0) {
      opts.say(
        `queued ${todo.length} points on ${addr.display} (queue ${QUEUE_NAME}); start workers with: nabla worker --queue ${addr.display} (on machines that see ${sweepDir})`,
      );
    }
    const left = new Set(todo.map((p) => p.name));
    const lastLine = new Map<string, string>();
    while (left.size > 0 && !opts.signal.stop) {
      for (const name of [...left]) {
        const job = await queue.getJob(jobId(sweepDir, name));
        if (!job) {
          ended++;
          left.delete(name);
          failures.set(name, 'its job disappeared from the queue (was the queue emptied?)');
          continue;
        }
        const progress = job.progress as { line?: string } | number;
        const line = typeof progress === 'object' ? progress.line : undefined;
        if (line !== undefined && line !== lastLine.get(name)) {
          lastLine.set(name, line);
          opts.say(`[${name}] ${line}`);
        }
        const state = await job.getState();
        if (state === 'completed') {
          ended++;
          left.delete(name);
          const r = job.returnvalue as PointOutcome | null;
          opts.say(`[${ended}/${total} points done] ${name}: ${r?.message ?? 'done'}`);
        } else if (state === 'failed') {
          ended++;
          left.delete(name);
          failures.set(name, job.failedReason);
          opts.say(`[${ended}/${total} points done] ${name}: FAILED after ${job.attemptsMade} attempts: ${job.failedReason}`);
        }
      }
      if (left.size > 0) await sleep((opts.pollSeconds ?? 1) * 1000);
    }
    return { failures, stopped: left.size > 0 };
  } finally {
    await queue.close();
  }
}

export interface WorkerOptions {
  /** Points at a time (default 1). */
  concurrency: number;
  /** Seconds without a lock renewal after which a point counts as stalled (default 30). */
  stalledAfter: number;
  say: (line: string) => void;
}

/**
 * Takes points from the queue until stopped. Resolves with a `stop` function that ends it
 * gracefully: points in progress save a checkpoint, their jobs fail this attempt and are retried
 * elsewhere from that checkpoint.
 */
export function startWorker(addr: RedisAddress, opts: WorkerOptions): { worker: Worker<PointJobData>; stop: () => Promise<void> } {
  const running = new Set<{ kill: (s: NodeJS.Signals) => boolean }>();
  const processor = async (job: Job<PointJobData>): Promise<PointOutcome> => {
    const { sweepDir, point, threads } = job.data;
    if (!existsSync(join(sweepDir, SWEEP_FILES.sweep))) {
      throw new Error(`${sweepDir} is not visible on ${hostname()}: mount the shared sweep folder at the same path on every worker`);
    }
    opts.say(`[${point.name}] attempt ${job.attemptsMade + 1} (from: ${pointState(join(sweepDir, SWEEP_FILES.points, point.name))})`);
    const run = attemptPoint(
      sweepDir,
      point,
      threads,
      (line) => {
        opts.say(`[${point.name}] ${line}`);
        job.updateProgress({ line }).catch(() => {});
      },
      true,
    );
    running.add(run.child);
    const o = await run.done.finally(() => running.delete(run.child));
    if (o.status === 'error') throw new Error(o.message);
    if (o.status === 'stopped') throw new Error(`stopped on ${hostname()} (the worker was asked to stop); it resumes from its checkpoint`);
    opts.say(`[${point.name}] ${o.message}`);
    return o;
  };
  const worker = new Worker<PointJobData>(QUEUE_NAME, processor, {
    connection: connectionOptions(addr),
    concurrency: opts.concurrency,
    lockDuration: opts.stalledAfter * 1000,
    stalledInterval: opts.stalledAfter * 1000,
    // A point whose worker dies is put back twice; the third loss fails it (three attempts in all).
    maxStalledCount: MAX_ATTEMPTS - 1,
  });
  worker.on('failed', (job, e) => {
    if (job) opts.say(`[${job.data.point.name}] attempt ${job.attemptsMade} failed: ${e.message}`);
  });
  worker.on('error', (e) => opts.say(`worker: ${e.message}`));
  const stop = async () => {
    for (const c of running) c.kill('SIGINT');
    await worker.close();
  };
  return { worker, stop };
}
