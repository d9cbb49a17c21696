/**
 * Exercise 6's AlexNet training step (batch 64, float32, forward + cross-entropy + backward + SGD)
 * on the WebAssembly SIMD backend against the native oneDNN one and the TypeScript kernels, in
 * one process with the steps interleaved (native, wasm, native, wasm, …), so that a shared
 * machine's load hits both alike; prints the median samples/s of each and their ratio.
 *
 * Run (after `npm run build`): npx tsx bench/wasm-alexnet.ts [--threads 2] [--steps 5] [--js]
 *   (--js adds the TypeScript kernels, about 20 s a step)
 */
import { parseArgs } from 'node:util';
import { backend } from '../dist/src/index.js';
import { backendInfo, setNumThreads, useJsBackend, useNativeBackend, useWasmBackend } from '../dist/src/nodejs/index.js';
import { alexnetSetup } from './alexnet-setup.js';

const { values } = parseArgs({
  options: { threads: { type: 'string', default: '2' }, steps: { type: 'string', default: '5' }, js: { type: 'boolean', default: false } },
});
const threads = Number(values.threads);
const steps = Number(values.steps);
setNumThreads(threads);

const { batch, model, opt, lossFn, x, y } = alexnetSetup();
const step = () => {
  opt.zeroGrad();
  lossFn.call(model.call(x), y).backward();
  opt.step();
};

const backends: [string, () => boolean][] = [
  ['native', () => useNativeBackend()],
  [
    'wasm',
    () => {
      useWasmBackend();
      return true;
    },
  ],
];
if (values.js)
  backends.push([
    'js',
    () => {
      useJsBackend();
      return true;
    },
  ]);
const usable = backends.filter(([, use]) => use());
const times = new Map<string, number[]>(usable.map(([name]) => [name, []]));
for (const [, use] of usable) {
  use();
  step(); // warm-up: oneDNN primitives, wasm instantiation and memory growth
}
for (let i = 0; i < steps; i++) {
  for (const [name, use] of usable) {
    use();
    const t0 = performance.now();
    step();
    times.get(name)?.push((performance.now() - t0) / 1000);
  }
}
const median = (a: number[]) => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)];
const sps = new Map(usable.map(([name]) => [name, batch / median(times.get(name) ?? [])]));
console.log(`| AlexNet (ex. 6) training step, batch 64, ${threads} thread(s) | samples/s (median of ${steps}) | ÷ native |`);
console.log('|---|---|---|');
for (const [name] of usable) {
  const s = sps.get(name) ?? 0;
  const native = sps.get('native');
  console.log(`| ${name} | ${s.toFixed(1)} | ${native ? `${((100 * s) / native).toFixed(0)}%` : '—'} |`);
}
const info = backendInfo();
console.log(
  `\nNode ${process.version}; last backend ${backend().name}; wasm ${info.wasm.features.relaxedSimd ? 'SIMD128 + relaxed SIMD' : 'SIMD128'}, ${info.wasm.threads} thread(s).`,
);
