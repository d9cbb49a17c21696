/**
 * Exercise 6's AlexNet (docs/exercises.md) at batch 64, float32: a training step (forward, cross-entropy,
 * backward, SGD step) and the forward pass alone, in samples/s, nabla against PyTorch in the same
 * invocation with the same thread count. Also peak RSS over the run and whether memory grows after
 * warm-up.
 *
 * Run (after `npm run build`; benchmarks use the built dist/, as users do): npx tsx bench/alexnet.ts [--threads 2] [--steps 20] [--js | --wasm] [--no-torch]
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { noGrad } from '../dist/src/index.js';
import { backendInfo, setNumThreads, useNativeBackend, useWasmBackend } from '../dist/src/nodejs/index.js';
import { alexnetSetup } from './alexnet-setup.js';

const { values } = parseArgs({
  options: {
    threads: { type: 'string', default: '2' },
    steps: { type: 'string', default: '20' },
    js: { type: 'boolean', default: false },
    wasm: { type: 'boolean', default: false },
    'no-torch': { type: 'boolean', default: false },
  },
});
const threads = Number(values.threads);
const steps = Number(values.steps);
if (values.wasm) useWasmBackend();
else if (!values.js) useNativeBackend();
setNumThreads(threads);

const { batch, model, opt, lossFn, x, y } = alexnetSetup();

const rss = () => process.memoryUsage().rss / 2 ** 20;
function timeSteps(n: number, step: () => void): number {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) step();
  return (performance.now() - t0) / 1000 / n;
}
let rssPeak = 0;
const trainStep = () => {
  opt.zeroGrad();
  lossFn.call(model.call(x), y).backward();
  opt.step();
  rssPeak = Math.max(rssPeak, rss());
};
const forward = () => noGrad(() => model.call(x));

model.train();
timeSteps(2, trainStep); // warm-up: primitive creation, scratch buffers
const rssWarm = rss();
rssPeak = 0;
const trainS = timeSteps(steps, trainStep);
const rssAfter = rss();
model.eval();
timeSteps(2, forward);
const fwdS = timeSteps(steps, forward);

interface TorchResult {
  version: string;
  threads: number;
  train: number;
  forward: number;
  rssWarm: number;
  rssAfter: number;
  rssPeak: number;
}
function torch(): TorchResult | string {
  if (values['no-torch']) return 'PyTorch skipped (--no-torch)';
  try {
    const script = fileURLToPath(new URL('./torch_alexnet.py', import.meta.url));
    return JSON.parse(execFileSync('/usr/bin/python3', [script, String(threads), String(steps)], { encoding: 'utf8' }));
  } catch (e) {
    return `PyTorch not available (${(e as Error).message.split('\n')[0]})`;
  }
}
const t = torch();
const sps = (s: number) => `${(batch / s).toFixed(1)} samples/s`;
const ratio = (ours: number, theirs: number) => `${(theirs / ours).toFixed(2)}×`;
const info = backendInfo();
console.log(`| AlexNet (ex. 6), batch 64, float32 | nabla (${info.active}) | PyTorch | nabla ÷ PyTorch |`);
console.log('|---|---|---|---|');
if (typeof t === 'string') {
  console.log(`| training step | ${sps(trainS)} | — | — |`);
  console.log(`| forward | ${sps(fwdS)} | — | — |`);
  console.log(t);
} else {
  console.log(`| training step | ${sps(trainS)} | ${sps(t.train)} | ${ratio(trainS, t.train)} |`);
  console.log(`| forward | ${sps(fwdS)} | ${sps(t.forward)} | ${ratio(fwdS, t.forward)} |`);
  console.log(
    `| RSS after warm-up → after ${steps} steps (peak) | ${rssWarm.toFixed(0)} → ${rssAfter.toFixed(0)} (${rssPeak.toFixed(0)}) MiB | ${t.rssWarm.toFixed(0)} → ${t.rssAfter.toFixed(0)} (${t.rssPeak.toFixed(0)}) MiB | |`,
  );
  console.log(
    `PyTorch ${t.version}, ${t.threads} thread(s); nabla ${info.active} (oneDNN ${info.onednn ?? '—'}, ${info.isa ?? '—'}), ${threads} thread(s).`,
  );
}
