// Bundled by bench/wasm-browser.ts and run in headless Chromium: a 512×512 float32 matmul on
// nabla's wasm backend with the page's thread count, jax-js 0.1.25's WebAssembly backend on the
// same page, and exercise 6's AlexNet training step.
import { init, numpy as np } from '@jax-js/jax';
import { alexnet } from '../src/analysis/models.js';
import { initWasmBackend, manualSeed, nn, optim, rand, randint, wasmInfo } from '../src/index.js';

const N = 512;
const flops = 2 * N ** 3;
/** Calls before timing, for both libraries. */
const WARM_UP = 30;

/** Seconds: the best over `rounds` of the mean of `reps` calls. */
async function bestOf(fn: () => unknown, reps: number, rounds: number): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) await fn();
    best = Math.min(best, (performance.now() - t0) / 1000 / reps);
  }
  return best;
}

export async function matmul(threads: number, rounds: number, withJax: boolean) {
  await initWasmBackend({ threads });
  manualSeed(0);
  const a = rand([N, N]);
  const b = rand([N, N]);
  // Chromium tiers wasm up from its baseline compiler lazily: a few calls are not enough.
  for (let i = 0; i < WARM_UP; i++) a.matmul(b);
  const nabla = flops / (await bestOf(() => a.matmul(b), 3, rounds)) / 1e9;
  let jax: number | null = null;
  if (withJax) {
    await init('wasm');
    const ja = np.array(Float32Array.from(a.data)).reshape([N, N]);
    const jb = np.array(Float32Array.from(b.data)).reshape([N, N]);
    const jaxRun = async () => {
      const c = np.matmul(ja.ref, jb.ref);
      await c.data();
    };
    for (let i = 0; i < WARM_UP; i++) await jaxRun();
    jax = flops / (await bestOf(jaxRun, 3, rounds)) / 1e9;
  }
  return { info: wasmInfo(), nabla, jax };
}

export async function alexnetStep(threads: number, steps: number) {
  await initWasmBackend({ threads });
  const batch = 64;
  manualSeed(0);
  const model = alexnet();
  const opt = new optim.SGD(model.parameters(), { lr: 0.01 });
  const lossFn = new nn.CrossEntropyLoss();
  const x = rand([batch, 1, 28, 28]);
  const y = randint(0, 10, [batch]);
  const step = () => {
    opt.zeroGrad();
    lossFn.call(model.call(x), y).backward();
    opt.step();
  };
  step();
  const times: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    step();
    times.push((performance.now() - t0) / 1000);
  }
  times.sort((p, q) => p - q);
  return { info: wasmInfo(), samplesPerSecond: batch / times[Math.floor(times.length / 2)] };
}
