// The playground in a real browser: Debian's Chromium (never a downloaded one), driven by
// playwright-core, against `nabla playground` serving the built site. Screenshots of every page
// go to test-output/playground/.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MemorizeConfig, PRESET_VALUES } from '../../experiments/memorize/config.js';
import { prepareData } from '../../experiments/memorize/data.js';
import { type RunStore, trainLoop } from '../../experiments/memorize/loop.js';
import { DETERMINISTIC_FIELDS, type EpochMetrics } from '../../experiments/memorize/metrics.js';
import { loadMnist } from '../../src/nodejs/mnist.js';

const CHROMIUM = process.env.NABLA_CHROMIUM ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium)
  console.warn(`playground browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set NABLA_CHROMIUM)`);

const SHOTS = join('test-output', 'playground');
const PAGES = ['index', '01-backprop', '02-vanishing-gradients', '03-momentum-forms', '04-receptive-field', '05-inception', '06-memorize'];

/** The tiny run the memorize test starts: a small MLP on 256 digits (stopped long before its 200 epochs). */
const TINY: MemorizeConfig = {
  version: 1,
  preset: 'default',
  data: null,
  fraction: null,
  threads: null,
  compare: false,
  saveEvery: 0,
  pixels: 'none',
  pixelSeed: PRESET_VALUES.default.seed,
  ...PRESET_VALUES.default,
  trainSize: 256,
  heldOut: 64,
  model: 'mlp',
  width: 0.125,
  epochs: 200,
  batchSize: 32,
};

describe.skipIf(!haveChromium)('playground in Chromium', () => {
  let server: ChildProcess;
  let base = '';
  let browser: Browser;
  const errors: string[] = [];
  const external: string[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    server = spawn(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'playground', '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NABLA_BACKEND: 'js' },
    });
    let log = '';
    base = await new Promise<string>((resolve, reject) => {
      const seen = (chunk: Buffer) => {
        log += chunk.toString();
        const m = /at (http:\/\/\S+\/) /.exec(log);
        if (m) resolve(m[1]);
      };
      server.stdout?.on('data', seen);
      server.stderr?.on('data', seen);
      server.once('exit', (code) => reject(new Error(`nabla playground exited with ${code}:\n${log}`)));
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless=new',
        '--no-sandbox',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    if (server && server.exitCode === null) server.kill('SIGTERM');
  });

  /** A fresh context (its own IndexedDB) and page that records console errors and off-site requests. */
  async function open(name: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`${name}: console: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`${name}: ${e.message}`));
    context.on('request', (r) => {
      if (!r.url().startsWith(base) && !r.url().startsWith('blob:') && !r.url().startsWith('data:')) external.push(`${name}: ${r.url()}`);
    });
    await page.goto(`${base}${name}.html`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 120_000 });
    return { context, page };
  }

  it('every page loads without console errors or requests outside the site, and is screenshotted', async () => {
    for (const name of PAGES) {
      const { context, page } = await open(name);
      expect(
        await page
          .locator('#error')
          .textContent()
          .catch(() => ''),
      ).toBe('');
      await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
      await context.close();
    }
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
  }, 300_000);

  it('serves with the COOP/COEP headers threaded WebAssembly needs', async () => {
    const res = await fetch(`${base}index.html`);
    expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(res.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    expect((await fetch(`${base}../package.json`)).status).toBe(404);
  });

  it('page 1 prints exactly what examples/01-backprop.ts prints', async () => {
    const expected = execFileSync(process.execPath, ['--import', 'tsx', 'examples/01-backprop.ts'], { encoding: 'utf8' });
    expect(expected).toContain('dloss/dA1 by autograd:');
    const { context, page } = await open('01-backprop');
    expect(await page.locator('#backprop-text').textContent()).toBe(expected);
    expect(await page.locator('#backprop-diff').textContent()).toContain('max |difference|');
    // Another seed gives another tensor.
    await page.fill('#seed', '3');
    await page.click('button[type=submit]');
    await expect.poll(() => page.locator('#backprop-text').textContent()).not.toBe(expected);
    await context.close();
  }, 120_000);

  it("page 4: clicking a y3 cell lights exactly the exercise formula's range of X, at a border and inside", async () => {
    const { context, page } = await open('04-receptive-field');
    const formula = (i: number) => [Math.max(1, 4 * i - 9), Math.min(224, 4 * i + 6)];
    for (const [i, j] of [
      [1, 56],
      [28, 13],
    ]) {
      const cell = Number(await page.locator('#grid-y3').getAttribute('data-cell'));
      await page.locator('#grid-y3').click({ position: { x: (j - 0.5) * cell, y: (i - 0.5) * cell } });
      await expect.poll(() => page.locator('#rf-result').textContent()).toContain(`y3[1, ${i}, ${j}]`);
      // Which X cells are lit, read from the canvas pixels (cell centres).
      const lit = await page.evaluate(() => {
        const canvas = document.getElementById('grid-x') as HTMLCanvasElement;
        const n = Number(canvas.dataset.size);
        const cs = Number(canvas.dataset.cell);
        const px = (canvas.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, canvas.width, canvas.height).data;
        const rows: number[] = [];
        const cols: number[] = [];
        let count = 0;
        for (let r = 0; r < n; r++) {
          for (let c = 0; c < n; c++) {
            const o = 4 * ((r * cs + Math.floor(cs / 2)) * canvas.width + c * cs + Math.floor(cs / 2));
            // The range colour, #3b6fd8.
            if (px[o] === 0x3b && px[o + 1] === 0x6f && px[o + 2] === 0xd8) {
              count++;
              rows.push(r + 1);
              cols.push(c + 1);
            }
          }
        }
        return { count, m: [Math.min(...rows), Math.max(...rows)], n: [Math.min(...cols), Math.max(...cols)] };
      });
      const [m, n] = [formula(i), formula(j)];
      expect(lit.m).toEqual(m);
      expect(lit.n).toEqual(n);
      expect(lit.count).toBe((m[1] - m[0] + 1) * (n[1] - n[0] + 1));
      expect(await page.locator('#rf-formula').textContent()).toContain('✓ agrees');
    }
    // The autograd cross-check: the gradient reaches only cells inside the range.
    await page.check('#autograd');
    await expect.poll(() => page.locator('#rf-autograd').textContent(), { timeout: 60_000 }).toContain('all inside the computed range ✓');
    await context.close();
  }, 180_000);

  it("page 5 shows the exercise's numbers for both modules", async () => {
    const { context, page } = await open('05-inception');
    const text = (id: string) => page.locator(`#${id}`).textContent();
    expect(await text('naive-params')).toBe('1,089,952');
    expect(await text('naive-mul')).toBe('1,115,684,864');
    expect(await text('naive-act')).toBe('425,984');
    expect(await text('bottleneck-params')).toBe('346,720');
    expect(await text('bottleneck-mul')).toBe('354,418,688');
    expect(await text('bottleneck-act')).toBe('622,592');
    await context.close();
  }, 180_000);

  /** Sets the memorize form to the tiny run. */
  async function fillTiny(page: Page): Promise<void> {
    for (const k of ['trainSize', 'heldOut', 'width', 'epochs', 'batchSize', 'lr', 'seed'] as const)
      await page.fill(`#${k}`, String(TINY[k]));
    await page.selectOption('#model', TINY.model);
    await page.fill('#dropout', '0');
  }

  const stored = (page: Page) =>
    page.evaluate(
      () =>
        new Promise<EpochMetrics[]>((resolve, reject) => {
          const r = indexedDB.open('nabla-playground', 1);
          r.onsuccess = () => {
            const g = r.result.transaction('memorize').objectStore('memorize').get('metrics');
            g.onsuccess = () => resolve(g.result ?? []);
            g.onerror = () => reject(g.error);
          };
          r.onerror = () => reject(r.error);
        }),
    );

  it("page 6 trains on 'webgpu' where navigator.gpu gives an adapter (Chromium with --enable-unsafe-webgpu): one epoch like Node's cpu run", async () => {
    // A second browser with WebGPU (SwiftShader's software adapter here: correct, slow).
    const gpuBrowser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless=new', '--no-sandbox', '--enable-unsafe-webgpu', '--disable-background-networking', '--no-first-run'],
    });
    try {
      const context = await gpuBrowser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      const pageErrors: string[] = [];
      page.on('pageerror', (e) => pageErrors.push(e.message));
      await page.goto(`${base}06-memorize.html`);
      await page.waitForSelector('body[data-ready="true"]', { timeout: 120_000 });
      await expect.poll(() => page.locator('#device').getAttribute('data-webgpu'), { timeout: 60_000 }).toBe('available');
      expect(await page.locator('#device option[value="webgpu"]').isDisabled()).toBe(false);
      await fillTiny(page);
      await page.fill('#epochs', '1');
      await page.selectOption('#device', 'webgpu');
      await page.click('#start');
      // The line updates when the worker has started the run on its device.
      await expect.poll(() => page.locator('#running-on').getAttribute('data-device'), { timeout: 60_000 }).toBe('webgpu');
      await expect.poll(() => page.locator('#status').getAttribute('data-status'), { timeout: 300_000 }).toBe('finished');
      expect(await page.locator('#error').textContent()).toBe('');
      expect(await page.locator('#log').textContent()).toMatch(/^\[webgpu\] /m);
      const [gpu] = await stored(page);
      // The same epoch in Node on the CPU: float32 kernels rounding in another order, so close, not equal.
      const rows: EpochMetrics[] = [];
      const memory: RunStore = {
        where: 'memory',
        loadCheckpoint: () => null,
        saveCheckpoint: () => {},
        writeMetrics: (r) => {
          rows.splice(0, rows.length, ...r);
        },
        writeStatus: () => {},
        saveModel: () => {},
      };
      const one = { ...TINY, epochs: 1 };
      await trainLoop({
        store: memory,
        config: one,
        data: prepareData(one, loadMnist()),
        out: { isTTY: false, write: () => {} },
        logEvery: 0,
      });
      expect(gpu.steps).toBe(rows[0].steps);
      expect(Math.abs(gpu.trainLoss - rows[0].trainLoss)).toBeLessThan(1e-4 * Math.max(1, rows[0].trainLoss));
      expect(Math.abs((gpu.heldOutLoss as number) - (rows[0].heldOutLoss as number))).toBeLessThan(
        1e-4 * Math.max(1, rows[0].heldOutLoss as number),
      );
      expect(pageErrors).toEqual([]);
      await context.close();
    } finally {
      await gpuBrowser.close();
    }
  }, 600_000);

  it('page 6 trains in a worker, the charts gain points, and stop then resume continues from the checkpoint', async () => {
    const { context, page } = await open('06-memorize');
    // The worker reports its backend once it has started: wait for it rather than read at once.
    await expect.poll(() => page.locator('#running-on').getAttribute('data-backend'), { timeout: 60_000 }).toBe('js');
    // This browser runs without --enable-unsafe-webgpu: the webgpu choice is disabled, saying why.
    expect(await page.locator('#device').getAttribute('data-webgpu')).toBe('unavailable');
    expect(await page.locator('#device option[value="webgpu"]').isDisabled()).toBe(true);
    expect(await page.locator('#device-note').textContent()).toMatch(
      /^webgpu unavailable: webgpu: (this environment has no WebGPU|no adapter)/,
    );
    expect(await page.locator('#device').inputValue()).toBe('cpu');
    await fillTiny(page);
    await page.click('#start');
    const points = () => page.locator('#loss-chart').getAttribute('data-points').then(Number);
    await expect.poll(points, { timeout: 120_000 }).toBeGreaterThan(0);
    const first = await points();
    await expect.poll(points, { timeout: 120_000 }).toBeGreaterThan(first);
    // Stop from epoch 3 on, with a checkpoint in IndexedDB.
    await page.waitForFunction(
      () => Number(/epoch (\d+)\//.exec(document.getElementById('step')?.textContent ?? '')?.[1] ?? 0) >= 3,
      null,
      {
        timeout: 120_000,
      },
    );
    await page.click('#stop');
    await expect.poll(() => page.locator('#status').getAttribute('data-status'), { timeout: 60_000 }).toBe('stopped');
    const before = await stored(page);
    expect(before.length).toBeGreaterThanOrEqual(2);
    expect(before.length).toBeLessThan(TINY.epochs);
    expect(await page.locator('#download-checkpoint').isEnabled()).toBe(true);
    // A reload still has the run; resume continues it, two epochs further (as --resume --epochs N).
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.locator('#resume').isEnabled()).toBe(true);
    const target = before.length + 2;
    await page.fill('#epochs', String(target));
    await page.click('#resume');
    await expect.poll(() => page.locator('#status').getAttribute('data-status'), { timeout: 180_000 }).toBe('finished');
    expect(await page.locator('#log').textContent()).toMatch(/resuming from (epoch \d+, step \d+|the end of epoch \d+)/);
    const after = await stored(page);
    expect(after.map((m) => m.epoch)).toEqual(Array.from({ length: target }, (_, i) => i + 1));
    for (const f of DETERMINISTIC_FIELDS) expect(after.slice(0, before.length).map((m) => m[f])).toEqual(before.map((m) => m[f]));
    expect(await page.locator('#loss-chart').getAttribute('data-points').then(Number)).toBeGreaterThan(first);

    // The same run uninterrupted, in Node, with the same training loop: the same numbers.
    const rows: EpochMetrics[] = [];
    const memory: RunStore = {
      where: 'memory',
      loadCheckpoint: () => null,
      saveCheckpoint: () => {},
      writeMetrics: (r) => {
        rows.splice(0, rows.length, ...r);
      },
      writeStatus: () => {},
      saveModel: () => {},
    };
    const sink = { isTTY: false, write: () => {} };
    const straight = { ...TINY, epochs: target };
    await trainLoop({ store: memory, config: straight, data: prepareData(straight, loadMnist()), out: sink, logEvery: 0 });
    for (const f of DETERMINISTIC_FIELDS)
      expect(
        after.map((m) => m[f]),
        f,
      ).toEqual(rows.map((m) => m[f]));

    // Downloads: the metrics CSV and the trained model.
    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#download-csv')]);
    expect(csv.suggestedFilename()).toBe('metrics.csv');
    const [model] = await Promise.all([page.waitForEvent('download'), page.click('#download-model')]);
    expect(model.suggestedFilename()).toBe('model.safetensors');
    await page.screenshot({ path: join(SHOTS, '06-memorize-trained.png'), fullPage: true });
    await context.close();
    expect(errors).toEqual([]);
  }, 600_000);
});
