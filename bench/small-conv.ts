/**
 * A small convolution, forward + backward (input, weight and bias gradients): x [8, 16, 32, 32],
 * weight [32, 16, 3, 3], no padding, on the native (oneDNN) and the TypeScript kernels in the same
 * process, alternating twice. The shape where native once lost to TypeScript (104 ms vs 45 ms):
 * OpenMP threads spinning at barriers on a machine with more runnable threads than cores.
 *
 * Run (after `npm run build`): npx tsx bench/small-conv.ts [--threads 2] [--reps 10]
 *      OMP_WAIT_POLICY=active npx tsx bench/small-conv.ts   (libgomp's spinning default, for comparison)
 */
import { parseArgs } from 'node:util';
import { setNumThreads, useJsBackend, useNativeBackend } from '../dist/src/backend/native/index.js';
import { manualSeed, rand } from '../dist/src/index.js';
import { conv2d } from '../dist/src/ops/conv.js';
import { printTable } from './report.js';

const { values } = parseArgs({ options: { threads: { type: 'string', default: '2' }, reps: { type: 'string', default: '10' } } });
const reps = Number(values.reps);
if (!useNativeBackend()) throw new Error('bench/small-conv.ts: the native addon does not load');
setNumThreads(Number(values.threads));

manualSeed(0);
const x = rand([8, 16, 32, 32]).requiresGrad_(true);
const w = rand([32, 16, 3, 3]).mul(0.1).detach().requiresGrad_(true);
const b = rand([32]).requiresGrad_(true);
const g = rand([8, 32, 30, 30]);
const step = () => {
  x.grad = null;
  w.grad = null;
  b.grad = null;
  conv2d(x, w, b).backward(g);
};
const time = (n: number) => {
  step();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) step();
  return (performance.now() - t0) / n;
};
const native: number[] = [];
const js: number[] = [];
for (let round = 0; round < 2; round++) {
  useNativeBackend();
  native.push(time(reps));
  useJsBackend();
  js.push(time(Math.max(1, reps >> 1)));
}
const ms = (a: number[]) => a.map((v) => `${v.toFixed(1)} ms`).join(', ');
printTable([
  ['conv2d [8,16,32,32]×[32,16,3,3] fwd+bwd', 'native', 'TypeScript', 'TypeScript ÷ native'],
  ['per step (two rounds)', ms(native), ms(js), `${(Math.min(...js) / Math.min(...native)).toFixed(1)}×`],
]);
console.log(`${values.threads} thread(s), OMP_WAIT_POLICY=${process.env.OMP_WAIT_POLICY ?? '(unset: nabla waits passively)'}`);
