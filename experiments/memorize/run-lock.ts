/**
 * One process at a time per run folder.
 *
 * A new run claims its folder atomically: it builds it under a temporary name with its lock file
 * inside and renames it into place, so of two runs started with the same `--name` exactly one
 * gets the folder and the other is told it exists. Every process that trains in a folder (a new
 * run or `--resume`) holds `lock` (pid, host, start time) until it ends. A lock whose process is
 * gone (killed) is stale and is taken over; a lock from another host is never presumed stale.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { removeStaleTemps } from '../../src/nodejs/atomic.js';
import { makeDirs } from '../../src/nodejs/dirs.js';
import { UsageError } from '../usage-error.js';

export const LOCK_FILE = 'lock';

/** Who holds a run folder. */
export interface LockInfo {
  pid: number;
  host: string;
  startedAt: string;
}

/** A held run-folder lock; `release` removes it (idempotent, also runs at process exit). */
export interface RunLock {
  dir: string;
  release(): void;
}

/** Whether process `pid` on this host is alive. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether a run's process (pid, host) is certainly gone: on this host and not alive. */
export function processGone(pid: unknown, host: unknown): boolean {
  return typeof pid === 'number' && Number.isInteger(pid) && pid > 0 && host === hostname() && !pidAlive(pid);
}

function readLock(dir: string): LockInfo | null {
  try {
    const o = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as LockInfo;
    // Anything but {pid, host} is a lock torn by a kill while it was written: nobody holds it.
    return typeof o === 'object' && o !== null && Number.isSafeInteger(o.pid) && typeof o.host === 'string' ? o : null;
  } catch {
    return null; // gone, or torn: nobody holds it
  }
}

function me(): LockInfo {
  return { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
}

function writeLock(path: string): void {
  const fd = openSync(path, 'wx', 0o644);
  try {
    writeSync(fd, `${JSON.stringify(me())}\n`);
  } finally {
    closeSync(fd);
  }
}

function held(dir: string): RunLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    if (readLock(dir)?.pid === process.pid) rmSync(join(dir, LOCK_FILE), { force: true });
  };
  process.on('exit', release);
  return { dir, release };
}

/**
 * Locks an existing run folder for this process and clears temporary files that interrupted
 * writes left there (and in its sub-folders `subs`). Throws {@link UsageError} when a live
 * process holds it. With `takeOverForeign`, a lock held from another host counts as stale: for a
 * caller that knows otherwise that the other host's process is gone (a job queue's stall check).
 */
export function lockRunDir(dir: string, subs: readonly string[] = [], opts: { takeOverForeign?: boolean } = {}): RunLock {
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; ; attempt++) {
    try {
      writeLock(path);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) {
        throw new Error(`${dir}: cannot lock the run folder: ${(e as Error).message}`, { cause: e });
      }
      const owner = readLock(dir);
      const foreign = opts.takeOverForeign === true && owner !== null && owner.host !== hostname();
      if (owner !== null && (owner.pid === process.pid || !(foreign || processGone(owner.pid, owner.host)))) {
        throw new UsageError(
          `${dir} is in use by process ${owner.pid} on ${owner.host} (since ${owner.startedAt}); wait for it to end, or delete ${path} if that process is gone`,
        );
      }
      rmSync(path, { force: true }); // stale: its process was killed
    }
  }
  const lock = held(dir);
  for (const d of [dir, ...subs.map((s) => join(dir, s)), join(dir, 'checkpoints'), ...subs.map((s) => join(dir, s, 'checkpoints'))]) {
    removeStaleTemps(d);
  }
  return lock;
}

/**
 * Whether `dir` holds nothing but what a run leaves before its config.json is written (its lock,
 * temporary files, empty sub-folders): a start that was killed, safe to start again in.
 */
export function isAbandonedStart(dir: string): boolean {
  const ok = (d: string, depth: number): boolean =>
    readdirSync(d, { withFileTypes: true }).every((e) =>
      e.isDirectory() ? depth === 0 && ok(join(d, e.name), 1) : e.name === LOCK_FILE || /^\..+\.tmp$/.test(e.name),
    );
  try {
    return ok(dir, 0);
  } catch {
    return false;
  }
}

/**
 * Creates and locks a new run folder `runsDir/name` atomically. When the folder exists it is an
 * error ({@link UsageError}) unless it is an abandoned start ({@link isAbandonedStart}) whose
 * process is gone: that one is taken over.
 */
export function claimNewRunDir(runsDir: string, name: string, isRunDir: (dir: string) => boolean): RunLock {
  try {
    makeDirs(runsDir, '--runs-dir');
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const dir = join(runsDir, name);
  // Claims of this name killed before their rename left temporary folders; clear those.
  for (const e of readdirSync(runsDir)) {
    const m = /^\.(.+)\.(\d+)\.[0-9a-f]+\.tmp$/.exec(e);
    if (m !== null && m[1] === name && processGone(Number(m[2]), hostname())) rmSync(join(runsDir, e), { recursive: true, force: true });
  }
  const tmp = join(runsDir, `.${name}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    mkdirSync(tmp);
    writeLock(join(tmp, LOCK_FILE));
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw new UsageError(`--runs-dir: cannot create a run folder in ${runsDir}: ${(e as Error).message}`);
  }
  try {
    renameSync(tmp, dir);
    return held(dir);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'ENOTDIR') throw e;
  }
  const exists = `${dir} already exists; continue it with --resume ${dir}, or choose another --name`;
  if (isRunDir(dir) || !isAbandonedStart(dir)) throw new UsageError(exists);
  return lockRunDir(dir, ['random', 'true']);
}
