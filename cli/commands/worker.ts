import { parseArgs } from 'node:util';
import { startWorker } from '../../experiments/sweep/queue.js';
import { checkRedis, parseRedisUrl } from '../../experiments/sweep/redis.js';
import { type Command, UsageError } from '../command.js';

const USAGE = `usage: nabla worker --queue redis://HOST:PORT [--concurrency N] [--stalled-after SECONDS]

Takes the points of \`nabla sweep --queue\` from the BullMQ queue in that Redis and runs them,
each in its own process, in the sweep folder (which must be visible at the same path here).
Runs until stopped: SIGINT/SIGTERM let the points in progress save a checkpoint, and another
worker resumes them. A worker that dies is noticed after --stalled-after seconds (default 30)
and its point is resumed elsewhere from its last checkpoint. See docs/scale.md.

  --queue redis://HOST:PORT  the Redis that holds the queue
  --concurrency N            points at a time (default 1; each uses the sweep's --threads)
  --stalled-after SECONDS    lock time of a point: how soon a dead worker's point is taken over`;

function posNumber(flag: string, raw: string | undefined, def: number, integer: boolean): number {
  if (raw === undefined) return def;
  const v = Number(raw);
  if (!Number.isFinite(v) || v <= 0 || (integer && !Number.isSafeInteger(v))) {
    throw new UsageError(`--${flag}: expected a positive ${integer ? 'integer' : 'number'}, got '${raw}'`);
  }
  return v;
}

/** `nabla worker`: runs sweep points from a BullMQ queue until stopped. */
export const worker: Command = {
  name: 'worker',
  summary: 'run points of `nabla sweep --queue` from a Redis queue (one per machine, or many)',
  usage: USAGE,
  async run(args) {
    let values: { queue?: string; concurrency?: string; 'stalled-after'?: string };
    try {
      ({ values } = parseArgs({
        args,
        options: { queue: { type: 'string' }, concurrency: { type: 'string' }, 'stalled-after': { type: 'string' } },
        strict: true,
        allowPositionals: false,
      }));
    } catch (e) {
      throw new UsageError(String((e as Error).message).split('\n')[0]);
    }
    if (values.queue === undefined) throw new UsageError('--queue redis://HOST:PORT is required');
    const addr = parseRedisUrl(values.queue);
    const concurrency = posNumber('concurrency', values.concurrency, 1, true);
    const stalledAfter = posNumber('stalled-after', values['stalled-after'], 30, false);
    await checkRedis(addr);
    const say = (l: string) => console.log(l);
    const w = startWorker(addr, { concurrency, stalledAfter, say });
    say(`nabla worker: taking sweep points from ${addr.display} (${concurrency} at a time); Ctrl-C or SIGTERM to stop`);
    await new Promise<void>((resolve) => {
      const stop = (sig: string) => {
        say(`nabla worker: ${sig}: stopping; points in progress save a checkpoint and go back to the queue`);
        w.stop().then(resolve, resolve);
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    });
    return 0;
  },
};
