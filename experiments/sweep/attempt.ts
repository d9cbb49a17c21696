/**
 * One attempt at a sweep point, as local workers and queue workers both make it: note it in
 * `attempts/<point>.json`, run the point in its own process, note how it ended.
 */
import { join } from 'node:path';
import { type ForkedPoint, forkPoint, type PointOutcome } from './fork-point.js';
import type { SweepPoint } from './grid.js';
import { pointState } from './point.js';
import { SWEEP_FILES, startAttempt } from './sweep-dir.js';

/**
 * `takeOverLock`: a queue worker's attempt may take over the run folder's lock from another host
 * (BullMQ declared that host's worker dead, or the point would stay locked forever).
 */
export function attemptPoint(
  sweepDir: string,
  point: SweepPoint,
  threads: number,
  onLine: (line: string) => void,
  takeOverLock = false,
): ForkedPoint {
  const pointsDir = join(sweepDir, SWEEP_FILES.points);
  const from = pointState(join(pointsDir, point.name));
  const end = startAttempt(sweepDir, point.name, from);
  const forked = forkPoint({ pointsDir, name: point.name, options: point.options, threads, takeOverLock }, onLine);
  const done = forked.done.then((o: PointOutcome) => {
    end(o.status, o.message);
    return o;
  });
  return { child: forked.child, done };
}
