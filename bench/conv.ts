/**
 * conv2d forward + backward on the exercise-6 AlexNet's six convolution shapes, nabla next to
 * PyTorch (same invocation, same thread count) when /usr/bin/python3 can import torch.
 *
 * Run (after `npm run build`): npx tsx bench/conv.ts [--batch 8] [--rounds 2] [--threads 1] [--native | --wasm]
 *      (--native runs nabla on the oneDNN addon's backend, --wasm on the WebAssembly SIMD one, with the same thread count)
 *
 * FLOPs count 2 per multiply-add: forward, weight gradient and (except for the first layer, whose
 * input is the image) input gradient each cost one forward's worth.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { backend, manualSeed, rand, type Tensor } from '../dist/src/index.js';
import { setNumThreads, useNativeBackend, useWasmBackend } from '../dist/src/nodejs/index.js';
import { conv2d } from '../dist/src/ops/conv.js';
import { bestOf, printTable } from './report.js';

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const batch = arg('batch', 8);
const rounds = arg('rounds', 2);
const threads = arg('threads', 1);
if (process.argv.includes('--native')) {
  if (!useNativeBackend()) throw new Error('bench/conv.ts: --native given but the native addon does not load');
  setNumThreads(threads);
} else if (process.argv.includes('--wasm')) {
  useWasmBackend();
  setNumThreads(threads);
}

// [in channels, out channels, kernel, padding, input size, input needs grad]
const LAYERS: [number, number, number, number, number, boolean][] = [
  [1, 96, 4, 0, 28, false],
  [96, 96, 3, 0, 25, true],
  [96, 256, 5, 2, 23, true],
  [256, 384, 3, 1, 11, true],
  [384, 384, 3, 1, 11, true],
  [384, 256, 3, 1, 11, true],
];

function flops(l: (typeof LAYERS)[number]): number {
  const [cin, cout, k, pad, size, inputGrad] = l;
  const out = size + 2 * pad - k + 1;
  const macs = batch * cout * out * out * cin * k * k;
  return 2 * macs * (inputGrad ? 3 : 2);
}

function nablaLayer([cin, cout, k, pad, size, inputGrad]: (typeof LAYERS)[number]): number {
  manualSeed(0);
  const x = rand([batch, cin, size, size]).requiresGrad_(inputGrad);
  const w = rand([cout, cin, k, k]).mul(0.1).requiresGrad_(true);
  const b = rand([cout]).requiresGrad_(true);
  const out = size + 2 * pad - k + 1;
  const g = rand([batch, cout, out, out]);
  const step = () => {
    for (const t of [x, w, b] as Tensor[]) t.grad = null;
    conv2d(x, w, b, { padding: pad }).backward(g);
  };
  step();
  return bestOf(step, 1, rounds);
}

interface TorchResult {
  version: string;
  threads: number;
  layers: number[];
}

function torchResults(): TorchResult | string {
  const script = fileURLToPath(new URL('./torch_conv_bench.py', import.meta.url));
  try {
    const out = execFileSync('/usr/bin/python3', [script, String(threads), String(batch), String(Math.max(rounds, 3))], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, OMP_NUM_THREADS: String(threads) },
    });
    return JSON.parse(out);
  } catch (e) {
    return `PyTorch not available (${(e as Error).message.split('\n')[0]})`;
  }
}

const ours = LAYERS.map(nablaLayer);
const torch = torchResults();
const gf = (f: number, s: number) => `${(f / s / 1e9).toFixed(2)} GFLOP/s`;
const rows: string[][] = [[`conv (batch ${batch})`, 'GFLOP', `nabla (${backend().name})`, 'PyTorch', 'nabla ÷ PyTorch speed']];
let fTot = 0;
let oTot = 0;
let tTot = 0;
LAYERS.forEach((l, i) => {
  const [cin, cout, k, pad, size] = l;
  const f = flops(l);
  fTot += f;
  oTot += ours[i];
  const name = `${cin}→${cout} k${k}${pad ? ` p${pad}` : ''} @${size}²`;
  if (typeof torch === 'string') rows.push([name, (f / 1e9).toFixed(2), gf(f, ours[i]), '—', '—']);
  else {
    tTot += torch.layers[i];
    rows.push([name, (f / 1e9).toFixed(2), gf(f, ours[i]), gf(f, torch.layers[i]), `${(torch.layers[i] / ours[i]).toFixed(3)}×`]);
  }
});
rows.push([
  'all six',
  (fTot / 1e9).toFixed(2),
  gf(fTot, oTot),
  typeof torch === 'string' ? '—' : gf(fTot, tTot),
  typeof torch === 'string' ? '—' : `${(tTot / oTot).toFixed(3)}×`,
]);
printTable(rows);
console.log(
  typeof torch === 'string'
    ? torch
    : `PyTorch ${torch.version} (oneDNN), ${torch.threads} thread(s); nabla ${process.version}, ${backend().name} backend (1 thread). forward + backward per step.`,
);
