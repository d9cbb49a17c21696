import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package's root folder: the nearest folder above `from` (a module's `import.meta.url`) that
 * holds a package.json. A module sits one folder deeper when built (dist/cli/… vs cli/…), so a
 * fixed number of `../` would be right in only one of the two.
 */
export function packageRoot(from: string): string {
  let dir = dirname(fileURLToPath(from));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`nabla: no package.json above ${fileURLToPath(from)}`);
    dir = up;
  }
  return dir;
}
