/**
 * Exercise 1's tiny MLP training step (bench/run.ts's workload: 6 layers of width 4, sigmoid,
 * forward + backward) and single ops on its 4-element tensors, next to PyTorch eager in the same
 * invocation (bench/torch_tiny_mlp.py), timed two ways: wall clock and the process's CPU time
 * (`process.cpuUsage()`, Python's `time.process_time()`). On a loaded machine a step also waits for
 * a core, so wall-clock ratios swing with the load; CPU time counts the work done, and its ratio
 * is the steadier one. Each figure is the best of `--rounds` rounds.
 *
 * Run (after `npm run build`): npx tsx bench/tiny-mlp.ts [--rounds 7]
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { rand } from '../dist/src/index.js';
import { backendInfo, useDefaultBackend } from '../dist/src/nodejs/index.js';
import { printTable } from './report.js';
import { tinyMlpStep } from './tiny-mlp-model.js';

const roundsArg = process.argv.indexOf('--rounds');
const rounds = roundsArg >= 0 ? Number(process.argv[roundsArg + 1]) : 7;
useDefaultBackend();

/** Best over the rounds of the mean wall-clock and CPU seconds of `reps` calls of `fn`. */
function time(fn: () => unknown, reps: number): { wall: number; cpu: number } {
  for (let i = 0; i < reps; i++) fn();
  let wall = Number.POSITIVE_INFINITY;
  let cpu = Number.POSITIVE_INFINITY;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    for (let i = 0; i < reps; i++) fn();
    const c = process.cpuUsage(c0);
    wall = Math.min(wall, (performance.now() - t0) / 1000 / reps);
    cpu = Math.min(cpu, (c.user + c.system) / 1e6 / reps);
  }
  return { wall, cpu };
}

function workloads(): Record<string, () => unknown> {
  const step = tinyMlpStep();
  const a = rand([4, 1]);
  const b = rand([4, 1]);
  const g = rand([4, 1], { requiresGrad: true });
  const w = rand([4, 4]);
  return {
    'MLP step (fwd+bwd)': step,
    'add [4,1]+[4,1]': () => a.add(b),
    'add, recording (requires grad)': () => g.add(b),
    'sigmoid [4,1]': () => a.sigmoid(),
    'mul by a number': () => a.mul(0.5),
    'matmul [4,4]@[4,1]': () => w.matmul(a),
  };
}

type Times = Record<string, { wall: number; cpu: number }>;

const ours: Times = {};
for (const [name, fn] of Object.entries(workloads())) ours[name] = time(fn, name.startsWith('MLP') ? 1000 : 20000);

function torchTimes(): { version: string; times: Times } | string {
  const script = fileURLToPath(new URL('./torch_tiny_mlp.py', import.meta.url));
  try {
    return JSON.parse(execFileSync('/usr/bin/python3', [script, String(rounds)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
  } catch (e) {
    return `PyTorch not available (${(e as Error).message.split('\n')[0]})`;
  }
}
const torch = torchTimes();

const us = (s: number) => `${(s * 1e6).toFixed(2)} µs`;
const rows = [['workload', 'nabla wall', 'nabla CPU', 'PyTorch wall', 'PyTorch CPU', '÷ wall', '÷ CPU']];
for (const [name, t] of Object.entries(ours)) {
  const p = typeof torch === 'string' ? undefined : torch.times[name];
  rows.push([
    name,
    us(t.wall),
    us(t.cpu),
    p ? us(p.wall) : '—',
    p ? us(p.cpu) : '—',
    p ? `${(p.wall / t.wall).toFixed(2)}×` : '—',
    p ? `${(p.cpu / t.cpu).toFixed(2)}×` : '—',
  ]);
}
printTable(rows);
console.log(
  typeof torch === 'string'
    ? torch
    : `PyTorch ${torch.version} eager (1 thread); nabla on Node ${process.version}, ${backendInfo().active} backend (these 4-element ops run in TypeScript on every backend). Ratios > 1 mean nabla is faster.`,
);
