// Builds nabla's native oneDNN addon at install time when a C++ compiler and oneDNN are present.
// Never fails the install: without them nabla runs on its TypeScript kernels, and the reason is
// recorded in native/build/unavailable.txt for `nabla doctor` / backendInfo().
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const nativeDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const buildDir = join(nativeDir, 'build');
const reasonFile = join(buildDir, 'unavailable.txt');

function giveUp(reason) {
  mkdirSync(buildDir, { recursive: true });
  writeFileSync(reasonFile, `${reason}\n`);
  console.log(`nabla: native backend not built (${reason}); using the TypeScript kernels.`);
  process.exit(0);
}

if (process.env.NABLA_SKIP_NATIVE === '1') giveUp('NABLA_SKIP_NATIVE=1');
const cxx = process.env.CXX ?? 'g++';
if (spawnSync(cxx, ['--version']).status !== 0) giveUp(`no C++ compiler (${cxx})`);
const probe = spawnSync(cxx, ['-x', 'c++', '-E', '-'], { input: '#include <oneapi/dnnl/dnnl.h>\n' });
if (probe.status !== 0) giveUp('oneDNN headers not found (Debian/Ubuntu: apt-get install libdnnl-dev)');

// npm tells scripts where its bundled node-gyp lives; fall back to the copy beside npm itself.
const nodeGyp =
  process.env.npm_config_node_gyp ??
  (process.env.npm_execpath ? join(dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js') : '');
if (!nodeGyp || !existsSync(nodeGyp)) giveUp('node-gyp not found');
// Build against the running Node's own headers so nothing is downloaded.
const prefix = dirname(dirname(process.execPath));
const nodedir = process.env.npm_config_nodedir || (existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? prefix : '');
const args = [nodeGyp, 'rebuild', ...(nodedir ? [`--nodedir=${nodedir}`] : [])];
try {
  rmSync(reasonFile, { force: true });
  execFileSync(process.execPath, args, { cwd: nativeDir, stdio: ['ignore', 'ignore', 'pipe'] });
  console.log('nabla: native oneDNN backend built.');
} catch (e) {
  const stderr = String(e.stderr ?? e.message);
  const firstError = stderr.split('\n').find((l) => /error/i.test(l)) ?? stderr.split('\n')[0];
  giveUp(`build failed: ${firstError.trim()}`);
}
