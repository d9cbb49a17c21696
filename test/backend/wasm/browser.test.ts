// The wasm backend in a real browser: Debian's Chromium (never a downloaded one) driven by
// playwright-core runs a matmul and a conv2d forward and backward on the WebAssembly kernels,
// on a plain page (no SharedArrayBuffer: a plain memory, one thread) and on cross-origin-isolated
// ones (COOP/COEP headers: a shared memory, one thread or two — the page's and a Web Worker).
// Results must match the TypeScript kernels run here, and every wasm kernel must pass its
// conformance cases on the page.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsBackend } from '../../../src/backend/js/index.js';
import { backend, setBackend } from '../../../src/backend/registry.js';
import type { conformance, run } from './browser-entry.js';

const CHROMIUM = process.env.NABLA_CHROMIUM ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`wasm browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set NABLA_CHROMIUM)`);

type Result = Awaited<ReturnType<typeof run>> & { conformance: ReturnType<typeof conformance> };

describe.skipIf(!haveChromium)('the wasm backend in headless Chromium', () => {
  let browser: Browser;
  let bundle: string;
  let reference: Result;

  beforeAll(async () => {
    const out = await build({
      entryPoints: [fileURLToPath(new URL('./browser-entry.ts', import.meta.url))],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      logLevel: 'error',
    });
    bundle = out.outputFiles[0].text;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless=new', '--no-sandbox', '--disable-background-networking'],
    });
    // The same program on the TypeScript kernels (run() installs wasm; put it back afterwards).
    const prev = backend();
    setBackend(jsBackend);
    const { manualSeed, nn, randn } = await import('../../../src/index.js');
    manualSeed(0);
    const a = randn([2, 64, 70]);
    const b = randn([2, 70, 66]);
    const x = randn([2, 3, 16, 16], { requiresGrad: true });
    const w = randn([8, 3, 3, 3], { requiresGrad: true });
    const y = nn.F.conv2d(x, w, null, { padding: 1 });
    y.square().sum().backward();
    const p = randn([128, 128]);
    const big = p.matmul(randn([128, 128])).add(p);
    reference = {
      backend: 'js',
      info: (await import('../../../src/index.js')).wasmInfo(),
      fallbacks: [],
      conformance: [],
      c: Array.from(a.matmul(b).data),
      y: Array.from(y.data),
      gx: Array.from(x.grad?.data ?? []),
      gw: Array.from(w.grad?.data ?? []),
      big: Array.from(big.data),
    };
    setBackend(prev);
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
  });

  async function runOnPage(isolated: boolean, threads?: number): Promise<Result> {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const headers: Record<string, string> = { 'content-type': 'text/html' };
    if (isolated) Object.assign(headers, { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' });
    await page.route('https://nabla.test/**', async (route) => {
      const url = route.request().url();
      if (url.endsWith('/entry.js'))
        await route.fulfill({ status: 200, headers: { ...headers, 'content-type': 'text/javascript' }, body: bundle });
      else await route.fulfill({ status: 200, headers, body: '<!doctype html><title>wasm</title>' });
    });
    await page.goto('https://nabla.test/');
    // (https: cross-origin isolation needs a secure context; the route answers without TLS.)
    // A string, so vitest's transform leaves the page's dynamic import alone.
    const result = (await page.evaluate(
      `import('/entry.js').then(async (m) => ({ ...(await m.run(${threads ?? ''})), conformance: m.conformance() }))`,
    )) as Result;
    await page.close();
    expect(errors).toEqual([]);
    return result;
  }

  const close = (got: number[], want: number[], tol: number) => {
    expect(got.length).toBe(want.length);
    let scale = 1;
    for (const v of want) scale = Math.max(scale, Math.abs(v));
    let worst = 0;
    for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
    expect(worst).toBeLessThanOrEqual(tol * scale);
  };

  it.each([
    ['a plain page: plain memory, one thread', false, undefined, 1],
    ['a cross-origin-isolated page, one thread requested: shared memory', true, 1, 1],
    ['a cross-origin-isolated page, two threads: shared memory, a Web Worker', true, 2, 2],
  ] as const)(
    'on %s, matmul and conv2d (forward, both gradients) match the TypeScript kernels, every wasm kernel conforms',
    async (_label, isolated, threads, want) => {
      const r = await runOnPage(isolated, threads);
      expect(r.backend).toBe('wasm');
      expect(r.info.features.simd).toBe(true);
      expect(r.info.features.sharedMemory).toBe(isolated);
      expect(r.info.threads).toBe(want);
      if (want === 1) expect(r.info.singleThreadReason).toMatch(isolated ? /one thread requested/ : /cross-origin isolated/);
      // With two threads the matmul and conv2d calls were split across the page and its worker.
      if (want > 1) expect(r.info.threadedCalls).toBeGreaterThan(0);
      // Every matmul and conv2d ran on the wasm kernels (none declined to TypeScript).
      expect(r.fallbacks).toEqual([]);
      close(r.c, reference.c, 1e-5);
      close(r.y, reference.y, 1e-5);
      close(r.gx, reference.gx, 1e-5);
      close(r.gw, reference.gw, 1e-5);
      close(r.big, reference.big, 1e-5);
      // Tensors live in the kernels' memory only where it is shared (growth would detach views of a plain one).
      if (isolated) {
        expect(r.info.resident?.reason).toBeUndefined();
        expect(r.info.resident?.tensors).toBeGreaterThan(0);
      } else expect([r.info.resident?.tensors, r.info.resident?.reason]).toEqual([0, expect.stringMatching(/plain \(non-shared\) memory/)]);
      expect(r.conformance.length).toBeGreaterThanOrEqual(16);
      for (const k of r.conformance) {
        expect(k.ran, `${k.kernel}: no conformance case accepted`).toBeGreaterThan(0);
        expect(k.bad, k.kernel).toBeNull();
      }
    },
  );
});
