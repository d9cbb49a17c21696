/**
 * What browser users get: nabla's wasm backend in headless Chromium (Debian's `chromium`, driven
 * by playwright-core; Chromium has relaxed SIMD without a flag) on a cross-origin-isolated page
 * (COOP/COEP headers: a shared memory and Web Workers). Times a 512×512 float32 matmul on 1 and 2
 * threads with jax-js 0.1.25's WebAssembly backend on the same page, and with --alexnet
 * exercise 6's AlexNet training step (batch 64) on 2 threads, next to the native backend in Node
 * run right after in this process.
 *
 * Run: npx tsx bench/wasm-browser.ts [--rounds 5] [--alexnet] [--steps 3]
 *   (NABLA_CHROMIUM picks another Chromium binary; default /usr/bin/chromium)
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import type { alexnetStep, matmul } from './wasm-browser-entry.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    alexnet: { type: 'boolean', default: false },
    steps: { type: 'string', default: '3' },
  },
});
const rounds = Number(values.rounds);
const steps = Number(values.steps);

const out = await build({
  entryPoints: [fileURLToPath(new URL('./wasm-browser-entry.ts', import.meta.url))],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  write: false,
  logLevel: 'error',
});
const bundle = out.outputFiles[0].text;
const browser = await chromium.launch({
  executablePath: process.env.NABLA_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless=new', '--no-sandbox', '--disable-background-networking'],
});
console.log(`Chromium ${browser.version()}`);

/** Evaluates `call` (an expression over the bundle's exports `m`) on a fresh isolated page. */
async function onPage<T>(call: string): Promise<T> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const headers = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };
  // https: cross-origin isolation needs a secure context; the route answers without TLS.
  await page.route('https://nabla.test/**', (route) =>
    route.request().url().endsWith('/entry.js')
      ? route.fulfill({ status: 200, headers: { ...headers, 'content-type': 'text/javascript' }, body: bundle })
      : route.fulfill({ status: 200, headers: { ...headers, 'content-type': 'text/html' }, body: '<!doctype html><title>bench</title>' }),
  );
  await page.goto('https://nabla.test/');
  const result = (await page.evaluate(`import('/entry.js').then((m) => ${call})`)) as T;
  await page.close();
  if (errors.length > 0) throw new Error(`bench/wasm-browser.ts: the page failed: ${errors.join('; ')}`);
  return result;
}

const gf = (x: number) => `${x.toFixed(1)} GFLOP/s`;
console.log('\n| matmul 512×512 float32, headless Chromium | threads | nabla wasm | jax-js 0.1.25 wasm (same page) | nabla ÷ jax-js |');
console.log('|---|---|---|---|---|');
for (const t of [1, 2]) {
  type R = Awaited<ReturnType<typeof matmul>>;
  const r = await onPage<R>(`m.matmul(${t}, ${rounds}, true)`);
  const kind = r.info.features.relaxedSimd ? 'SIMD128 + relaxed FMA' : 'SIMD128';
  const jax = r.jax ?? Number.NaN;
  console.log(`| nabla wasm (${kind}) | ${r.info.threads} | ${gf(r.nabla)} | ${gf(jax)} | ${(r.nabla / jax).toFixed(2)}× |`);
}

if (values.alexnet) {
  type R = Awaited<ReturnType<typeof alexnetStep>>;
  const r = await onPage<R>(`m.alexnetStep(2, ${steps})`);
  // The native backend in this Node process, same model, batch and step count.
  const { alexnet } = await import('../dist/src/analysis/models.js');
  const { manualSeed, nn, optim, rand, randint } = await import('../dist/src/index.js');
  const { setNumThreads, useNativeBackend } = await import('../dist/src/nodejs/index.js');
  let native: number | null = null;
  if (useNativeBackend()) {
    setNumThreads(2);
    manualSeed(0);
    const model = alexnet();
    const opt = new optim.SGD(model.parameters(), { lr: 0.01 });
    const lossFn = new nn.CrossEntropyLoss();
    const x = rand([64, 1, 28, 28]);
    const y = randint(0, 10, [64]);
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
    native = 64 / times[Math.floor(times.length / 2)];
  }
  console.log(`\n| AlexNet (ex. 6) training step, batch 64, 2 threads | samples/s (median of ${steps}) | ÷ native |`);
  console.log('|---|---|---|');
  console.log(
    `| nabla wasm in Chromium (${r.info.threads} threads) | ${r.samplesPerSecond.toFixed(1)} | ${native ? `${((100 * r.samplesPerSecond) / native).toFixed(0)}%` : '—'} |`,
  );
  console.log(`| nabla native in Node (oneDNN), right after | ${native ? native.toFixed(1) : 'unavailable'} | 100% |`);
}
await browser.close();
console.log(`\nload average ${(await import('node:os')).loadavg()[0].toFixed(2)} at the end.`);
