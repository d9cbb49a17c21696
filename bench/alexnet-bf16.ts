/**
 * Exercise 6's AlexNet training step (batch 64, forward, cross-entropy, backward, SGD) in float32
 * and under bfloat16 autocast, nabla against PyTorch 1.13 in the same invocation with the same
 * thread count: nabla fp32, nabla bf16, then PyTorch fp32 and bf16 (bench/torch_alexnet_bf16.py),
 * repeated for several rounds so a loaded machine shows as ranges. Prints samples/s and ratios.
 *
 * Run (after `npm run build`): npx tsx bench/alexnet-bf16.ts [--threads 2] [--steps 10] [--rounds 3]
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { autocast } from '../dist/src/index.js';
import { backendInfo, setNumThreads, useNativeBackend } from '../dist/src/nodejs/index.js';
import { alexnetSetup } from './alexnet-setup.js';

const { values } = parseArgs({
  options: {
    threads: { type: 'string', default: '2' },
    steps: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '3' },
  },
});
const threads = Number(values.threads);
const steps = Number(values.steps);
const rounds = Number(values.rounds);
useNativeBackend();
setNumThreads(threads);

const { batch, model, opt, lossFn, x, y } = alexnetSetup();

const step = (enabled: boolean) => {
  opt.zeroGrad();
  const loss = autocast({ deviceType: 'cpu', dtype: 'bfloat16', enabled }, () => lossFn.call(model.call(x), y));
  loss.backward();
  opt.step();
};
function timed(enabled: boolean): number {
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) step(enabled);
  return (performance.now() - t0) / 1000 / steps;
}

interface TorchResult {
  version: string;
  threads: number;
  fp32: number;
  bf16: number;
}
function torch(): TorchResult {
  const script = fileURLToPath(new URL('./torch_alexnet_bf16.py', import.meta.url));
  return JSON.parse(execFileSync('/usr/bin/python3', [script, String(threads), String(steps)], { encoding: 'utf8' }));
}

model.train();
for (const enabled of [false, true]) for (let i = 0; i < 2; i++) step(enabled); // warm-up: primitive creation
const runs: { nf: number; nb: number; tf: number; tb: number }[] = [];
let version = '';
for (let r = 0; r < rounds; r++) {
  const nf = batch / timed(false);
  const nb = batch / timed(true);
  const t = torch();
  version = t.version;
  runs.push({ nf, nb, tf: batch / t.fp32, tb: batch / t.bf16 });
  console.error(
    `round ${r + 1}: nabla fp32 ${nf.toFixed(1)}, nabla bf16 ${nb.toFixed(1)}, PyTorch fp32 ${(batch / t.fp32).toFixed(1)}, PyTorch bf16 ${(batch / t.bf16).toFixed(1)} samples/s`,
  );
}
const range = (f: (r: (typeof runs)[number]) => number, digits = 1) => {
  const v = runs.map(f);
  const lo = Math.min(...v).toFixed(digits);
  const hi = Math.max(...v).toFixed(digits);
  return lo === hi ? lo : `${lo}–${hi}`;
};
const info = backendInfo();
console.log(`| AlexNet (ex. 6) training step, batch 64, ${threads} threads, ${rounds} rounds × ${steps} steps | samples/s |`);
console.log('|---|---|');
console.log(`| nabla fp32 | ${range((r) => r.nf)} |`);
console.log(`| nabla bf16 autocast | ${range((r) => r.nb)} |`);
console.log(`| PyTorch ${version} fp32 | ${range((r) => r.tf)} |`);
console.log(`| PyTorch ${version} bf16 autocast | ${range((r) => r.tb)} |`);
console.log(`| nabla bf16 ÷ PyTorch bf16 (same round) | ${range((r) => r.nb / r.tb, 2)}× |`);
console.log(`| nabla fp32 ÷ PyTorch fp32 (same round) | ${range((r) => r.nf / r.tf, 2)}× |`);
console.log(`| nabla bf16 ÷ nabla fp32 | ${range((r) => r.nb / r.nf, 2)}× |`);
console.log(`| PyTorch bf16 ÷ PyTorch fp32 | ${range((r) => r.tb / r.tf, 2)}× |`);
console.log(
  `nabla ${info.active} (oneDNN ${info.onednn ?? '—'}, ISA ${info.isa ?? '—'}, bf16 kernels: ${info.bf16Isa || 'none (rounding around float32 kernels)'}), ${threads} thread(s).`,
);
