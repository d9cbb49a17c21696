/**
 * The WebAssembly backend's memory-bound kernels against the TypeScript reference kernels on the
 * same float32 arrays, at sizes around the thresholds where the wasm backend takes over (its
 * kernels copy ordinary arrays into the module's memory and back, so small calls stay in
 * TypeScript). Prints microseconds per call and the speed-up; one thread.
 *
 * Run: npx tsx bench/wasm-ops.ts [--rounds 5]
 */
import { parseArgs } from 'node:util';
import { jsBackend } from '../src/backend/js/index.js';
import type { KernelEntry, KernelName } from '../src/backend/kernels.js';
import { wasmBackend } from '../src/backend/wasm/backend.js';
import { createRuntime } from '../src/backend/wasm/runtime.js';
import { bestOf, printTable } from './report.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
const rounds = Number(values.rounds);
const wasm = wasmBackend(createRuntime()).kernels;
const rnd = (n: number) => Float32Array.from({ length: n }, () => Math.random() * 4 - 2);
const flat = (buf: Float32Array) => ({ buf, offset: 0, strides: [1] });

const cases: [string, KernelName, (n: number) => unknown[]][] = [
  ['relu', 'unary', (n) => ['relu', rnd(n), 0, new Float32Array(n), n]],
  ['add', 'binary', (n) => ['add', flat(rnd(n)), flat(rnd(n)), [n], new Float32Array(n)]],
  [
    'add bias [n/64, 64]',
    'binary',
    (n) => [
      'add',
      { buf: rnd(n), offset: 0, strides: [64, 1] },
      { buf: rnd(64), offset: 0, strides: [0, 1] },
      [n / 64, 64],
      new Float32Array(n),
    ],
  ],
  ['sum over rows [n/64, 64]', 'reduce', (n) => ['sum', rnd(n), 1, n / 64, 64, new Float32Array(64)]],
  [
    'maxPool2d 2×2',
    'maxPool2d',
    (n) => {
      const p = {
        planes: n / 256,
        inH: 16,
        inW: 16,
        outH: 8,
        outW: 8,
        kernelH: 2,
        kernelW: 2,
        strideH: 2,
        strideW: 2,
        padH: 0,
        padW: 0,
        dilationH: 1,
        dilationW: 1,
      };
      return [rnd(n), new Float32Array(n / 4), new Int32Array(n / 4), p];
    },
  ],
  [
    'batchNorm training [16, c, 64]',
    'batchNorm',
    (n) => {
      const c = n / 1024;
      return [
        rnd(n),
        new Float32Array(n),
        new Float64Array(c),
        new Float64Array(c),
        rnd(c),
        rnd(c),
        { batch: 16, channels: c, spatial: 64, eps: 1e-5, training: true },
      ];
    },
  ],
  [
    'adamStep (one tensor)',
    'adamStep',
    (n) => [
      [rnd(n)],
      [rnd(n)],
      [rnd(n)],
      [rnd(n).map(Math.abs)],
      null,
      [0.1],
      [0.5],
      { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false, maximize: false },
    ],
  ],
  [
    'sgdStep momentum (one tensor)',
    'sgdStep',
    (n) => [
      [rnd(n)],
      [rnd(n)],
      [rnd(n)],
      [false],
      { lr: 0.1, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false, maximize: false },
    ],
  ],
];

const rows = [['kernel', 'elements', 'TypeScript µs', 'wasm µs', 'speed-up']];
for (const [label, name, make] of cases) {
  for (const n of [1 << 12, 1 << 14, 1 << 16, 1 << 20]) {
    const args = make(n);
    const entry = wasm[name] as KernelEntry<typeof name>;
    const mine = entry.kernel as (...a: unknown[]) => void;
    const ref = jsBackend[name] as (...a: unknown[]) => void;
    const reps = Math.max(3, Math.round(2e6 / n));
    const tJs = bestOf(() => ref(...args), reps, rounds);
    const tWasm = bestOf(() => mine(...args), reps, rounds);
    rows.push([label, String(n), (tJs * 1e6).toFixed(1), (tWasm * 1e6).toFixed(1), `${(tJs / tWasm).toFixed(2)}×`]);
  }
}
printTable(rows);
