// WebGPU in a page: headless Chromium (Debian's, never a downloaded one) with
// --enable-unsafe-webgpu gets SwiftShader's adapter through navigator.gpu; the MLP trained there
// on the WebGPU kernels follows the reference run in the same page, and exercise 1's MLP and a few
// LeNet-5 steps trained through the tensor API on 'webgpu' follow 'cpu' (gradients included).
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CHROMIUM = process.env.NABLA_CHROMIUM ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  if (process.env.NABLA_REQUIRE_WEBGPU === '1') throw new Error(`NABLA_REQUIRE_WEBGPU=1 but no Chromium at ${CHROMIUM}`);
  console.warn(`webgpu Chromium test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set NABLA_CHROMIUM)`);
}

describe.skipIf(!haveChromium)('webgpu in headless Chromium', () => {
  let server: Server;
  let browser: Browser;
  let base = '';

  beforeAll(async () => {
    const bundle = await build({
      entryPoints: [new URL('./browser-entry.ts', import.meta.url).pathname],
      bundle: true,
      platform: 'browser',
      format: 'iife',
      globalName: 'nablaGpu',
      write: false,
      logLevel: 'silent',
    });
    const js = bundle.outputFiles[0].text;
    // navigator.gpu exists only in secure contexts: serve the page from 127.0.0.1.
    server = createServer((req, res) => {
      if (req.url === '/bundle.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
      else res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><script src="/bundle.js"></script>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless=new',
        '--no-sandbox',
        '--enable-unsafe-webgpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    });
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  it('trains an MLP on navigator.gpu like the reference run in the same page', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(base);
    const r = await page.evaluate(() => (globalThis as unknown as { nablaGpu: { run(steps: number): Promise<unknown> } }).nablaGpu.run(10));
    const result = r as {
      adapter: { isFallbackAdapter: boolean };
      gpu: { losses: number[]; params: number[][] };
      cpu: { losses: number[]; params: number[][] };
    };
    expect(errors).toEqual([]);
    expect(typeof result.adapter.isFallbackAdapter).toBe('boolean');
    expect(result.cpu.losses[9]).toBeLessThan(result.cpu.losses[0]);
    const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1e-2, Math.abs(b));
    for (let i = 0; i < result.cpu.losses.length; i++) expect(rel(result.gpu.losses[i], result.cpu.losses[i])).toBeLessThan(1e-4);
    for (let j = 0; j < result.cpu.params.length; j++) {
      for (let i = 0; i < result.cpu.params[j].length; i++)
        expect(rel(result.gpu.params[j][i], result.cpu.params[j][i])).toBeLessThan(1e-4);
    }
  });

  // Through the tensor API, as a page would train: exercise 1's MLP and a few LeNet-5 steps, each
  // run on 'webgpu' and 'cpu' in the same page; losses, last gradients and parameters within 1e-4.
  it.each([
    ['exercise1', 5],
    ['lenet5', 3],
  ] as const)("trains %s on the 'webgpu' device (initWebGpu from the core entry) like 'cpu', with no fallbacks", async (program, steps) => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(base);
    type Run = { losses: number[]; grads: number[][]; params: number[][] };
    type Entry = {
      runDevice(p: string, s: number): Promise<{ gpu: Run; cpu: Run; gpuFallbacks: number; devices: string[] }>;
      runMismatch(got: Run, want: Run, tol: number): string | null;
    };
    const result = await page.evaluate(
      async ([p, s]) => {
        const entry = (globalThis as unknown as { nablaGpu: Entry }).nablaGpu;
        const r = await entry.runDevice(p, s);
        return { ...r, mismatch: entry.runMismatch(r.gpu, r.cpu, 1e-4) };
      },
      [program, steps] as const,
    );
    expect(errors).toEqual([]);
    expect(result.devices).toContain('webgpu');
    expect(result.gpuFallbacks).toBe(0);
    expect(result.cpu.losses[steps - 1]).toBeLessThan(result.cpu.losses[0]);
    expect(result.gpu.grads.length).toBeGreaterThan(0);
    expect(result.mismatch).toBeNull();
  });
});
