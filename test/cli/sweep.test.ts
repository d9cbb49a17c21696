// nabla sweep on local workers, as a user runs it: a grid file (a union of two grids), points
// that are exactly the memorize runs they stand for, a sweep killed mid-way and resumed, skipped
// finished points, a point that fails three times and is reported, --compare, and bad options.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readStatus } from '../../experiments/memorize/run-dir.js';
import { expectSameRun, json, metrics, nabla, type Result, TINY_POINTS, writeGrid } from './sweep-helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'nabla-cli-sweep-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const sweeps = join(tmp, 'sweeps');
const runs = join(tmp, 'runs');
const TINY = ['--model', 'mlp', '--width', '0.25', '--train-size', '300', '--held-out', '100', '--epochs', '3', '--batch-size', '30'];
const KILLED_ARGS = [...TINY, '--corrupt', '0,1', '--sweeps-dir', sweeps, '--name', 'killed'];

describe('nabla sweep (local workers)', () => {
  let grid: string;
  let full: Result;
  let killed: Result;

  beforeAll(async () => {
    grid = writeGrid(tmp);
    // The grid file's sweep to the end; beside it, two of its points given as flags, SIGKILLed in
    // the middle of the second point.
    [full, killed] = await Promise.all([
      nabla(['sweep', '--grid', grid, '--sweeps-dir', sweeps, '--name', 'full', '--workers', '2']),
      nabla(['sweep', ...KILLED_ARGS, '--workers', '1'], (out, child) => {
        if (out.includes('[corrupt-1] epoch 2/3 ') && !child.killed) child.kill('SIGKILL');
      }),
    ]);
  }, 300_000);

  it('runs every point and writes the summary, figures and report', () => {
    expect(full.stderr).toBe('');
    expect(full.code).toBe(0);
    const dir = join(sweeps, 'full');
    expect(json(join(dir, 'sweep.json')).points.map((p: { name: string }) => p.name)).toEqual(TINY_POINTS);
    const rows = json(join(dir, 'summary.json')).points;
    expect(rows.map((r: { point: string }) => r.point)).toEqual(TINY_POINTS);
    expect(rows.map((r: { randomization: string }) => r.randomization)).toEqual([
      'true labels',
      'random labels',
      'shuffled pixels',
      'gaussian pixels',
    ]);
    for (const r of rows) {
      expect(r).toMatchObject({ status: 'finished', epochs: 3, epochsRun: 3, attempts: 1 });
      const m = metrics(join(dir, 'points', r.point));
      expect(r.testError).toBeCloseTo(1 - m[2].heldOutAcc, 12);
      // "Time to fit": the first epoch at 100% training accuracy, or none.
      expect(r.fitEpoch).toBe(m.find((e: { trainAcc: number }) => e.trainAcc === 1)?.epoch ?? null);
    }
    // True labels generalize; random labels and Gaussian pixels cannot.
    expect(rows[0].testError).toBeLessThan(0.6);
    expect(rows[1].testError).toBeGreaterThan(0.7);
    expect(rows[3].testError).toBeGreaterThan(0.7);
    const csv = readFileSync(join(dir, 'summary.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toMatch(/^point,corrupt,pixels,status,randomization,epochs,/);
    expect(csv).toHaveLength(5);
    for (const f of ['loss-per-step.svg', 'loss-per-step.png', 'test-error.svg', 'test-error.png']) {
      expect(readFileSync(join(dir, f)).length, f).toBeGreaterThan(1000);
    }
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('(a) training loss per step');
    expect(html).toContain('(c) test error');
    expect(html).toContain('href="points/corrupt-0_pixels-shuffled/report.html"');
    expect(full.stdout).toMatch(/\[4\/4 points done\]/);
    expect(full.stdout).toMatch(/corrupt-1_pixels-none +random labels +finished/);
  });

  it('each point is the nabla memorize run of its options, bit for bit', { timeout: 300_000 }, async () => {
    const a = await nabla(['memorize', ...TINY, '--corrupt', '1', '--runs-dir', runs, '--name', 'random']);
    expect(a.code).toBe(0);
    expectSameRun(join(sweeps, 'full', 'points', 'corrupt-1_pixels-none'), join(runs, 'random'));
    expect(json(join(sweeps, 'full', 'points', 'corrupt-0_pixels-shuffled', 'config.json'))).toMatchObject({
      model: 'mlp',
      width: 0.25,
      trainSize: 300,
      labels: 'true',
      pixels: 'shuffled',
      pixelSeed: 0,
      threads: 1,
      run: { backend: 'js' },
    });
  });

  it('a killed sweep resumes: finished points are skipped, the interrupted one continues bit-identically', {
    timeout: 300_000,
  }, async () => {
    expect(killed.signal).toBe('SIGKILL');
    const dir = join(sweeps, 'killed');
    expect(json(join(dir, 'points', 'corrupt-0', 'status.json')).status).toBe('finished');
    // The point's process sees its parent die and records that it was interrupted (or, killed
    // first, leaves a 'running' status of a dead process, which reads back as interrupted).
    const point = join(dir, 'points', 'corrupt-1');
    await vi.waitFor(() => expect(readStatus(point)?.status).toBe('interrupted'), { timeout: 60_000, interval: 200 });
    const resumed = await nabla(['sweep', ...KILLED_ARGS]);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(/1 of 2 points already done; 1 to run/);
    expect(resumed.stdout).toMatch(/\[corrupt-1\] resuming from the end of epoch [12] /);
    const attempts = json(join(dir, 'attempts', 'corrupt-1.json'));
    expect(attempts.map((a: { from: string }) => a.from)).toEqual(['new', 'partial']);
    expect(attempts[0].outcome).toBeUndefined(); // the killed attempt never ended
    expect(attempts[1].outcome).toBe('finished');
    expect(json(join(dir, 'attempts', 'corrupt-0.json'))).toHaveLength(1);
    expectSameRun(join(dir, 'points', 'corrupt-0'), join(sweeps, 'full', 'points', 'corrupt-0_pixels-none'));
    expectSameRun(join(dir, 'points', 'corrupt-1'), join(sweeps, 'full', 'points', 'corrupt-1_pixels-none'));
    // Everything done: nothing runs again.
    const again = await nabla(['sweep', ...KILLED_ARGS]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/2 of 2 points already done; 0 to run/);
    expect(json(join(dir, 'attempts', 'corrupt-1.json'))).toHaveLength(2);
  });

  it('a point that fails three times is reported failed with its error; the others finish', { timeout: 300_000 }, async () => {
    const r = await nabla([
      'sweep',
      ...['--sweeps-dir', sweeps, '--name', 'failing', '--workers', '2'],
      ...['--model', 'mlp', '--width', '0.25', '--held-out', '0', '--epochs', '1', '--train-size', '100,20000'],
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /train-size-20000: FAILED after 3 attempts: .*20000 training \+ 0 held-out samples are more than the 10000 digits/,
    );
    const rows = json(join(sweeps, 'failing', 'summary.json')).points;
    expect(rows.map((x: { status: string }) => x.status)).toEqual(['finished', 'failed']);
    expect(rows[1].message).toMatch(/20000 training \+ 0 held-out samples are more than the 10000 digits/);
    expect(rows[1].attempts).toBe(3);
    expect(readFileSync(join(sweeps, 'failing', 'summary.csv'), 'utf8')).toMatch(/train-size-20000,20000,failed,/);
  });

  it('--compare overlays sweeps into one set of figures', async () => {
    const out = join(tmp, 'compare');
    const r = await nabla(['sweep', '--compare', join(sweeps, 'full'), join(sweeps, 'killed'), '--out', out]);
    expect(r.code).toBe(0);
    const svg = readFileSync(join(out, 'test-error.svg'), 'utf8');
    expect(svg).toContain('full');
    expect(svg).toContain('killed');
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('<h2>killed</h2>');
  });

  it('bad options and an unreachable Redis: one line on stderr, exit code 2', { timeout: 120_000 }, async () => {
    const free = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as { port: number }).port;
        s.close(() => resolve(port));
      });
    });
    const [bad, queue, worker] = await Promise.all([
      nabla(['sweep', '--sweeps-dir', join(tmp, 'bad'), '--corrupt', '0,2']),
      nabla(['sweep', '--sweeps-dir', join(tmp, 'bad'), '--corrupt', '0,1', '--queue', `redis://127.0.0.1:${free}`]),
      nabla(['worker', '--queue', `redis://127.0.0.1:${free}`]),
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('nabla sweep: point corrupt-2: --corrupt: must be in [0, 1], got 2\n');
    expect(queue.code).toBe(2);
    expect(queue.stderr).toMatch(
      new RegExp(`^nabla sweep: cannot reach Redis at 127\\.0\\.0\\.1:${free} \\(ECONNREFUSED\\)\\. Start a Redis server there .*\n$`),
    );
    expect(worker.code).toBe(2);
    expect(worker.stderr).toMatch(/^nabla worker: cannot reach Redis at 127\.0\.0\.1:\d+ \(ECONNREFUSED\)[^\n]*\n$/);
  });
});
