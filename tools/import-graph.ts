/**
 * The repository's import graph, read from the sources: which file imports which, and the import
 * cycles among the files of a folder. Only imports that exist at run time count (`import type` and
 * `export type` are erased by TypeScript and cannot change the order modules initialize in).
 *
 * Run: npx tsx tools/import-graph.ts [folder…]   (default: src) — prints each cycle, exits 1 if any.
 * test/layout.test.ts uses it to keep src/ free of cycles and of imports of cli/, experiments/
 * and playground/.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Every .ts file under `dir` (recursively), as paths relative to the repository root. */
export function tsFiles(root: string, dir: string): string[] {
  const abs = join(root, dir);
  return readdirSync(abs).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(join(root, p)).isDirectory()) return f === 'node_modules' || f === 'dist' ? [] : tsFiles(root, p);
    return p.endsWith('.ts') && !p.endsWith('.d.ts') ? [p] : [];
  });
}

// `import … from '…'`, `export … from '…'`, `import '…'` and `import('…')`; `import type …` and
// `export type …` are left out (erased).
const IMPORT = /(?:^|[\s;])(?:import|export)(?!\s+type\s)\s*(?:[^'";]*?\sfrom\s*)?\(?\s*['"]([^'"]+)['"]/g;

/** The specifiers of a source's run-time imports, in order. */
export function importSpecifiers(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  return [...code.matchAll(IMPORT)].map((m) => m[1] as string);
}

/**
 * The files (relative to `root`) that `file`'s run-time relative imports resolve to; package
 * imports (`node:fs`, `vitest`) are left out. A `.js` specifier names its `.ts` source.
 */
export function resolvedImports(root: string, file: string): string[] {
  const out: string[] = [];
  for (const spec of importSpecifiers(readFileSync(join(root, file), 'utf8'))) {
    if (!spec.startsWith('.')) continue;
    const target = normalize(join(dirname(file), spec));
    const candidates = [target.replace(/\.js$/, '.ts'), target, `${target}.ts`, join(target, 'index.ts')];
    const hit = candidates.find((c) => existsSync(join(root, c)) && statSync(join(root, c)).isFile());
    if (hit === undefined) throw new Error(`import-graph: ${file} imports '${spec}', which resolves to no file`);
    out.push(hit);
  }
  return out;
}

/** The import graph of the .ts files under `dirs`: file → the files it imports. */
export function importGraph(root: string, dirs: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const dir of dirs) for (const f of tsFiles(root, dir)) graph.set(f, resolvedImports(root, f));
  return graph;
}

/**
 * The graph's strongly connected components with more than one file (or a file importing itself):
 * each is a set of files that import each other in a cycle. Tarjan's algorithm, iterative.
 */
export function importCycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let next = 0;
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work: [string, number][] = [[start, 0]];
    index.set(start, next);
    low.set(start, next++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const top = work[work.length - 1] as [string, number];
      const [v, i] = top;
      const edges = (graph.get(v) ?? []).filter((w) => graph.has(w));
      if (i < edges.length) {
        top[1]++;
        const w = edges[i] as string;
        if (!index.has(w)) {
          index.set(w, next);
          low.set(w, next++);
          stack.push(w);
          onStack.add(w);
          work.push([w, 0]);
        } else if (onStack.has(w)) {
          low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined) low.set(parent[0], Math.min(low.get(parent[0]) as number, low.get(v) as number));
      if (low.get(v) === index.get(v)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop() as string;
          onStack.delete(w);
          component.push(w);
        } while (w !== v);
        if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component.sort());
      }
    }
  }
  return cycles;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = relative(process.cwd(), fileURLToPath(new URL('..', import.meta.url))) || '.';
  const dirs = process.argv.length > 2 ? process.argv.slice(2) : ['src'];
  const cycles = importCycles(importGraph(root, dirs));
  for (const c of cycles) console.log(`cycle of ${c.length} files:\n  ${c.join('\n  ')}`);
  console.log(cycles.length === 0 ? `no import cycles in ${dirs.join(', ')}` : `${cycles.length} import cycle(s)`);
  process.exitCode = cycles.length === 0 ? 0 : 1;
}
