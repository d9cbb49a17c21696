import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { noMoreArgs } from '../tensor/args.js';
import { faultPoint } from './fault.js';

/** Names of the temporary files {@link writeFileAtomic} writes next to its target. */
const TEMP_NAME = /^\..+\.\d+\.[0-9a-f]+\.tmp$/;

/**
 * Writes `data` to `path` atomically: a temporary file in the same folder (created exclusively),
 * flushed to disk, then renamed over the target, and the folder entry synced, so readers see the
 * old file or the new one, never a torn one. A crash may leave the temporary file behind;
 * {@link removeStaleTemps} clears those.
 */
export function writeFileAtomic(path: string, data: Uint8Array | string, ...rest: never[]): void {
  noMoreArgs('writeFileAtomic', rest, 'writeFileAtomic(path, data)');
  if (typeof data !== 'string' && !(data instanceof Uint8Array)) {
    throw new TypeError(`writeFileAtomic: ${path}: data must be a string or a Uint8Array (got ${data === null ? 'null' : typeof data})`);
  }
  const target = resolve(path);
  const dir = dirname(target);
  const tmp = join(dir, `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let fd: number | null = null;
  try {
    fd = openSync(tmp, 'wx', 0o644);
    let off = 0;
    const half = bytes.length >> 1;
    while (off < half) off += writeSync(fd, bytes, off, half - off);
    faultPoint(basename(target));
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(tmp, target);
  } catch (e) {
    if (fd !== null) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // never created, or already renamed
    }
    throw e;
  }
  // Make the rename itself durable; some platforms cannot fsync a directory.
  try {
    const dfd = openSync(dir, 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    // best effort
  }
}

/**
 * Deletes the temporary files that interrupted {@link writeFileAtomic} calls left in `dir`.
 * Call it only while no other process writes there (e.g. holding the folder's lock). Returns
 * the names removed.
 */
export function removeStaleTemps(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const stale = names.filter((n) => TEMP_NAME.test(n));
  for (const n of stale) rmSync(join(dir, n), { force: true });
  return stale;
}
