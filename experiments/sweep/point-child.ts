/**
 * The process that runs one sweep point (forked by fork-point.ts, with an IPC channel): receives
 * a {@link PointJob}, sends its progress lines and its result, and exits. When the parent dies
 * (a worker killed, a node lost) the channel closes and this process exits too, after the step in
 * progress, so no orphan keeps writing into a run that another worker is about to resume.
 */
import { useDefaultBackend } from '../../src/backend/select-node.js';
import type { PointJob } from './point.js';
import { runPoint } from './point.js';

/** Messages from the point's process to its parent. */
export type ChildMessage =
  | { type: 'out'; text: string }
  | { type: 'result'; status: string; message: string; from: string }
  | { type: 'error'; message: string };

function send(m: ChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(m, undefined, {}, () => resolve());
  });
}

const signal = { stop: false };
process.on('disconnect', () => process.exit(1));
// SIGINT (a worker asked to stop): finish the step, save a mid-epoch checkpoint, report "stopped".
process.on('SIGINT', () => {
  signal.stop = true;
});
process.once('message', (job: PointJob) => {
  useDefaultBackend();
  const ctx = {
    out: { write: (text: string) => void send({ type: 'out', text }), isTTY: false },
    signal,
    logEvery: 0,
    argv: [],
    plotEvery: 300,
  };
  runPoint(job, ctx).then(
    async (r) => {
      await send({ type: 'result', status: r.status, message: r.message, from: r.from });
      process.exit(0);
    },
    async (e: unknown) => {
      await send({ type: 'error', message: e instanceof Error ? e.message : String(e) });
      process.exit(1);
    },
  );
});
