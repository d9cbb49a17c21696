import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Creates `path` and its missing parents, one level at a time, and throws the real reason when a
 * level cannot be made: Node's recursive mkdir reports ENOENT for a read-only file system (EROFS)
 * and spins forever under /proc, where mkdir fails with ENOENT on a parent that exists.
 * Throws `Error('<what>: <path>: <reason> (<code>)')`.
 */
export function makeDirs(path: string, what: string): void {
  const target = resolve(path);
  const missing: string[] = [];
  let at = target;
  for (;;) {
    let st: ReturnType<typeof statSync> | undefined;
    try {
      st = statSync(at);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw fail(what, at, e);
    }
    if (st !== undefined) {
      if (!st.isDirectory()) throw new Error(`${what}: ${at} is not a folder`);
      break;
    }
    missing.push(at);
    const up = dirname(at);
    if (up === at) break;
    at = up;
  }
  for (const dir of missing.reverse()) {
    try {
      mkdirSync(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST' && statSync(dir).isDirectory()) continue;
      throw fail(what, dir, e);
    }
  }
}

function fail(what: string, path: string, e: unknown): Error {
  const err = e as NodeJS.ErrnoException;
  const reason =
    err.code === 'EROFS'
      ? 'read-only file system'
      : err.code === 'EACCES' || err.code === 'EPERM'
        ? 'permission denied'
        : err.code === 'ENOSPC'
          ? 'no space left on the device'
          : err.code === 'ENOENT'
            ? 'cannot create a folder there (the file system does not allow it)'
            : (err.message ?? String(e));
  return new Error(`${what}: cannot create ${path}: ${reason}${err.code ? ` (${err.code})` : ''}`, { cause: e });
}
