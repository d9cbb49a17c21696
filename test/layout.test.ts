import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importCycles, importGraph } from '../tools/import-graph.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The imports from files under `from` that land in one of the folders `banned`. */
function offenders(from: string, banned: readonly string[]): string[] {
  const out: string[] = [];
  for (const [file, targets] of importGraph(root, [from])) {
    for (const t of targets) if (banned.some((b) => t.startsWith(`${b}/`))) out.push(`${file} → ${t}`);
  }
  return out;
}

describe('layout: the library sits below what is built on it', () => {
  it('no file under src/ imports cli/, experiments/ or playground/', () => {
    expect(offenders('src', ['cli', 'experiments', 'playground'])).toEqual([]);
  });

  it('the experiment runners never import the CLI or the playground', () => {
    expect(offenders('experiments', ['cli', 'playground'])).toEqual([]);
  });

  it('the import graph sees the imports it should (the check above can fail)', () => {
    const graph = importGraph(root, ['cli']);
    expect(graph.get('cli/commands/memorize.ts')).toContain('experiments/memorize/run.ts');
    expect(offenders('cli', ['experiments']).length).toBeGreaterThan(0);
  });
});

describe('layout: the library is a tree of imports', () => {
  it('src/ has no import cycles (run-time imports; `import type` is erased)', () => {
    expect(importCycles(importGraph(root, ['src']))).toEqual([]);
  });

  it('the cycle check finds a cycle when there is one', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts', 'd.ts']],
      ['d.ts', []],
      ['e.ts', ['e.ts']],
    ]);
    expect(importCycles(graph)).toEqual([['a.ts', 'b.ts', 'c.ts'], ['e.ts']]);
  });
});
