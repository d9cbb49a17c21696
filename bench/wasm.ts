/**
 * 512×512 float32 matmul, GFLOP/s, on every CPU backend nabla has, next to jax-js's WebAssembly
 * backend and PyTorch in the same invocation: the TypeScript kernels, the WebAssembly SIMD
 * kernels on 1 and 2 threads, the native oneDNN kernels (when the addon is built) and PyTorch
 * (when /usr/bin/python3 can import torch) at 2 threads.
 *
 * Run (after `npm run build`): npx tsx bench/wasm.ts [--rounds 5]
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { init, numpy as np } from '@jax-js/jax';
import { manualSeed, rand } from '../dist/src/index.js';
import { backendInfo, setNumThreads, useJsBackend, useNativeBackend, useWasmBackend } from '../dist/src/nodejs/index.js';
import { bestOf, printTable } from './report.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
const rounds = Number(values.rounds);
const N = 512;
const flops = 2 * N ** 3;
const gf = (s: number) => `${(flops / s / 1e9).toFixed(1)} GFLOP/s`;

manualSeed(0);
const a = rand([N, N]);
const b = rand([N, N]);
const time = () => {
  for (let i = 0; i < 2; i++) a.matmul(b);
  return bestOf(() => a.matmul(b), 3, rounds);
};

const rows: string[][] = [['matmul 512×512 float32', 'threads', 'speed']];
useJsBackend();
rows.push(['nabla, TypeScript kernels', '1', gf(time())]);
useWasmBackend();
for (const t of [1, 2]) {
  setNumThreads(t);
  rows.push([`nabla, wasm (${backendInfo().wasm.features.relaxedSimd ? 'SIMD128 + relaxed FMA' : 'SIMD128'})`, String(t), gf(time())]);
}
if (useNativeBackend()) {
  setNumThreads(2);
  rows.push(['nabla, native (oneDNN)', '2', gf(time())]);
} else rows.push(['nabla, native (oneDNN)', '—', `unavailable: ${backendInfo().reason}`]);

// jax-js 0.1.25: its Node build runs on its WebAssembly backend.
await init('wasm');
const ja = np.array(Float32Array.from(a.data)).reshape([N, N]);
const jb = np.array(Float32Array.from(b.data)).reshape([N, N]);
const jaxRun = async () => {
  const c = np.matmul(ja.ref, jb.ref);
  await c.data();
};
for (let i = 0; i < 2; i++) await jaxRun();
let jaxBest = Number.POSITIVE_INFINITY;
for (let r = 0; r < rounds; r++) {
  const t0 = performance.now();
  for (let i = 0; i < 3; i++) await jaxRun();
  jaxBest = Math.min(jaxBest, (performance.now() - t0) / 3000);
}
rows.push(['jax-js 0.1.25, wasm backend', 'its own', gf(jaxBest)]);

try {
  const script = fileURLToPath(new URL('./torch_bench.py', import.meta.url));
  const torch = JSON.parse(execFileSync('/usr/bin/python3', [script, '2'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
  rows.push([`PyTorch ${torch.version}`, String(torch.threads), gf(torch.matmul512)]);
} catch (e) {
  rows.push(['PyTorch', '—', `unavailable (${(e as Error).message.split('\n')[0]})`]);
}
printTable(rows);
console.log(`\nNode ${process.version}; load average ${(await import('node:os')).loadavg()[0].toFixed(2)} at the end.`);
