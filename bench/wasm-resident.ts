/**
 * Tensors living in the wasm backend's memory: exercise 6's AlexNet training step (float32,
 * forward + cross-entropy + backward + SGD) on the wasm backend, the model made after switching
 * to it (so its parameters are resident), in a synchronous loop (every step in one job: no
 * finalizer can run, dead tensors' blocks stay taken) or with `--async` (awaiting a macrotask
 * between steps, as `nabla memorize` does: finalizers run and blocks come back). Prints, per
 * step, the memory's size, the resident bytes and the step's samples/s.
 *
 * Run (after `npm run build`): npx tsx bench/wasm-resident.ts [--steps 8] [--batch 16] [--async]
 *   [--limit <MiB>] [--threads 2]   (--limit 0: no tensor resident, every call copies)
 * With --compare, two models train in one process, steps interleaved so that load hits both
 * alike: one made and stepped with the budget (default or --limit), one with residentLimit 0
 * (every tensor an ordinary array); prints the median samples/s of each.
 */
import { parseArgs } from 'node:util';
import { alexnet } from '../dist/src/analysis/models.js';
import { manualSeed, nn, optim, rand, randint, wasmInfo } from '../dist/src/index.js';
import { setNumThreads, useWasmBackend } from '../dist/src/nodejs/index.js';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '8' },
    batch: { type: 'string', default: '16' },
    async: { type: 'boolean', default: false },
    limit: { type: 'string' },
    threads: { type: 'string', default: '2' },
    compare: { type: 'boolean', default: false },
  },
});
const steps = Number(values.steps);
const batch = Number(values.batch);
setNumThreads(Number(values.threads));
useWasmBackend(values.limit === undefined ? {} : { residentLimit: Number(values.limit) * 2 ** 20 });

manualSeed(0);
const model = alexnet();
const opt = new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
const lossFn = new nn.CrossEntropyLoss();
const x = rand([batch, 1, 28, 28]);
const y = randint(0, 10, [batch]);
const MiB = (b: number) => (b / 2 ** 20).toFixed(0);
const stepOf = (m: typeof model, o: typeof opt) => () => {
  o.zeroGrad();
  lossFn.call(m.call(x), y).backward();
  o.step();
};
const step = stepOf(model, opt);
if (values.compare) {
  const limit = wasmInfo().resident?.limit ?? 0;
  useWasmBackend({ residentLimit: 0 });
  manualSeed(0);
  const copied = alexnet();
  const copiedStep = stepOf(copied, new optim.SGD(copied.parameters(), { lr: 0.01, momentum: 0.9 }));
  const runs: [string, number, () => void, number[]][] = [
    [`resident (limit ${MiB(limit)} MiB)`, limit, step, []],
    ['copied (limit 0)', 0, copiedStep, []],
  ];
  for (let i = 1; i <= steps; i++) {
    for (const [, l, f, t] of runs) {
      useWasmBackend({ residentLimit: l });
      const t0 = performance.now();
      f();
      if (i > 1) t.push((performance.now() - t0) / 1000);
      if (values.async) await new Promise((r) => setTimeout(r, 0));
    }
  }
  const med = (a: number[]) => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)];
  for (const [name, , , t] of runs) console.log(`${name}: median ${(batch / med(t)).toFixed(1)} samples/s (steps 2…${steps})`);
  console.log(`${values.async ? 'async' : 'sync'} loop, batch ${batch}; final memory ${MiB(wasmInfo().memoryBytes ?? 0)} MiB`);
  process.exit(0);
}
const report = (i: number, s: number) => {
  const info = wasmInfo();
  const r = info.resident;
  console.log(
    `step ${i}: ${(batch / s).toFixed(1)} samples/s; memory ${MiB(info.memoryBytes ?? 0)} MiB; resident ${MiB(r?.bytes ?? 0)} MiB ` +
      `(peak ${MiB(r?.peak ?? 0)}, limit ${MiB(r?.limit ?? 0)}; ${r?.tensors} tensors made there, ${r?.overBudget} over budget)`,
  );
};
const times: number[] = [];
for (let i = 1; i <= steps; i++) {
  const t0 = performance.now();
  step();
  const s = (performance.now() - t0) / 1000;
  if (i > 1) times.push(s);
  report(i, s);
  if (values.async) await new Promise((r) => setTimeout(r, 0));
}
const median = [...times].sort((p, q) => p - q)[Math.floor(times.length / 2)];
console.log(
  `${values.async ? 'async' : 'sync'} loop, batch ${batch}, ${steps} steps: median ${(batch / median).toFixed(1)} samples/s (steps 2…); final memory ${MiB(wasmInfo().memoryBytes ?? 0)} MiB`,
);
