/**
 * nabla benchmarks, side by side with PyTorch in the same invocation when /usr/bin/python3 can
 * import torch. Prints a table with the ratio; absolute times on shared machines drift, ratios
 * measured together are what count.
 *
 * Run: npm run bench [-- --threads N]   (default 2; nabla's native or wasm kernels and PyTorch both use N).
 * NABLA_BACKEND=wasm (or js) npm run bench times that backend instead of native.
 * It times the built dist/, as users run it (code run through tsx's loader is ~35% slower).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { manualSeed, rand } from '../dist/src/index.js';
import { backendInfo, setNumThreads, useDefaultBackend } from '../dist/src/nodejs/index.js';
import { bestOf, printTable } from './report.js';
import { tinyMlpStep } from './tiny-mlp-model.js';

const threadsArg = process.argv.indexOf('--threads');
const threads = threadsArg >= 0 ? Number(process.argv[threadsArg + 1]) : 2;
useDefaultBackend(); // NABLA_BACKEND=native|wasm|js, else native when built, else wasm
setNumThreads(threads);

function timeTinyMlp(): number {
  const step = tinyMlpStep();
  for (let i = 0; i < 200; i++) step();
  return bestOf(step, 1000);
}

function matmul512(): number {
  manualSeed(0);
  const a = rand([512, 512]);
  const b = rand([512, 512]);
  for (let i = 0; i < 2; i++) a.matmul(b);
  return bestOf(() => a.matmul(b), 3);
}

interface TorchResult {
  version: string;
  threads: number;
  tinyMlpStep: number;
  matmul512: number;
}

function torchResults(): TorchResult | string {
  const script = fileURLToPath(new URL('./torch_bench.py', import.meta.url));
  try {
    return JSON.parse(execFileSync('/usr/bin/python3', [script, String(threads)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
  } catch (e) {
    return `PyTorch not available (${(e as Error).message.split('\n')[0]})`;
  }
}

const flops512 = 2 * 512 ** 3;
const ours = { tinyMlpStep: timeTinyMlp(), matmul512: matmul512() };
const torch = torchResults();

const rows: string[][] = [['workload', `nabla (${backendInfo().active})`, 'PyTorch', 'nabla speed ÷ PyTorch speed']];
const fmtUs = (s: number) => `${(s * 1e6).toFixed(1)} µs/step`;
const fmtGf = (s: number) => `${(flops512 / s / 1e9).toFixed(2)} GFLOP/s`;
if (typeof torch === 'string') {
  rows.push(['tiny MLP fwd+bwd step (ex. 1)', fmtUs(ours.tinyMlpStep), '—', '—']);
  rows.push(['matmul 512×512 float32', fmtGf(ours.matmul512), '—', '—']);
} else {
  rows.push([
    'tiny MLP fwd+bwd step (ex. 1)',
    fmtUs(ours.tinyMlpStep),
    fmtUs(torch.tinyMlpStep),
    `${(torch.tinyMlpStep / ours.tinyMlpStep).toFixed(2)}×`,
  ]);
  rows.push(['matmul 512×512 float32', fmtGf(ours.matmul512), fmtGf(torch.matmul512), `${(torch.matmul512 / ours.matmul512).toFixed(3)}×`]);
}
printTable(rows);
console.log(
  typeof torch === 'string'
    ? torch
    : `PyTorch ${torch.version}, ${torch.threads} thread(s); nabla on Node ${process.version}, ${backendInfo().active} backend, ${backendInfo().active === 'js' ? 'TypeScript kernels (1 thread)' : `${threads} thread(s)`}; the tiny MLP's 4×4 ops run in TypeScript on either backend. Ratios > 1 mean nabla is faster.`,
);
