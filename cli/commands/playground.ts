import { existsSync, readdirSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type Command, UsageError } from '../command.js';
import { packageRoot } from '../package-root.js';
import { serveStatic } from '../static-server.js';

const USAGE = `usage: nabla playground [--port N] [--host HOST] [--rebuild] [--build-only]

Serves the playground, one live page per exercise, and prints its URL. Builds it first (Vite,
into playground/dist/) when the build is missing or older than its sources. The site is static:
playground/dist/ can be served by any web server.

  --port N       port to listen on (default 5180; 0: any free port)
  --host HOST    address to listen on (default 127.0.0.1)
  --rebuild      build even when the build looks current
  --build-only   build (when needed) and exit without serving`;

const ROOT = packageRoot(import.meta.url);
// The playground bundles the library and the memorize runner's browser-safe loop.
const SOURCES = ['playground', 'src', 'experiments', 'examples'];
/** What the build writes (not sources). */
const OUTPUTS = [join('playground', 'dist'), join('playground', 'public', 'data')];

/** The newest modification time of the files under `dir`, leaving out the paths in `skip`. */
function newestSource(dir: string, skip: Set<string>): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (skip.has(p) || entry.name === 'node_modules') continue;
    newest = Math.max(newest, entry.isDirectory() ? newestSource(p, skip) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds playground/dist/ when asked or when it is missing or stale; returns whether it built. */
export async function buildPlayground(root = ROOT, force = false): Promise<boolean> {
  const config = join(root, 'playground', 'vite.config.ts');
  if (!existsSync(config)) {
    throw new UsageError(`the playground's sources are not here (${config}); it ships with the nabla repository, not the npm package`);
  }
  const stamp = join(root, 'playground', 'dist', 'index.html');
  const skip = new Set(OUTPUTS.map((p) => join(root, p)));
  const stale = !existsSync(stamp) || Math.max(...SOURCES.map((s) => newestSource(join(root, s), skip))) > statSync(stamp).mtimeMs;
  if (!force && !stale) return false;
  let vite: typeof import('vite');
  try {
    vite = await import('vite');
  } catch (e) {
    throw new UsageError(
      `building the playground needs Vite, a development dependency (run npm install in the repository): ${(e as Error).message}`,
    );
  }
  console.log('nabla playground: building playground/dist/ …');
  await vite.build({ configFile: config, logLevel: 'warn' });
  return true;
}

function port(raw: string): number {
  const v = Number(raw);
  if (!Number.isInteger(v) || v < 0 || v > 65535) throw new UsageError(`--port: expected a port number 0–65535, got '${raw}'`);
  return v;
}

/** `nabla playground`: builds if needed, serves the site with COOP/COEP headers, prints the URL. */
export const playground: Command = {
  name: 'playground',
  summary: 'serve the browser playground of the six exercises (builds it when needed)',
  usage: USAGE,
  async run(args) {
    let values: { port?: string; host?: string; rebuild?: boolean; 'build-only'?: boolean };
    try {
      ({ values } = parseArgs({
        args,
        options: { port: { type: 'string' }, host: { type: 'string' }, rebuild: { type: 'boolean' }, 'build-only': { type: 'boolean' } },
        strict: true,
        allowPositionals: false,
      }));
    } catch (e) {
      throw new UsageError(String((e as Error).message).split('\n')[0]);
    }
    const p = values.port === undefined ? 5180 : port(values.port);
    const host = values.host ?? '127.0.0.1';
    if (host === '') throw new UsageError('--host: empty address');
    const built = await buildPlayground(ROOT, values.rebuild ?? false);
    const dist = join(ROOT, 'playground', 'dist');
    if (values['build-only']) {
      console.log(`nabla playground: ${built ? 'built' : 'up to date:'} ${dist}`);
      return 0;
    }
    let server: Awaited<ReturnType<typeof serveStatic>>;
    try {
      server = await serveStatic(dist, host, p);
    } catch (e) {
      throw new UsageError(`cannot listen on ${host}:${p}: ${(e as Error).message}`);
    }
    const addr = server.address() as AddressInfo;
    const shown = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
    console.log(`nabla playground: serving ${dist} at http://${shown}:${addr.port}/ (Ctrl-C stops)`);
    await new Promise<void>((resolve) => {
      const stop = () => server.close(() => resolve());
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return 0;
  },
};
