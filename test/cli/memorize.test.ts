// `nabla memorize` and `nabla plot` as a user runs them: spawned CLI processes (TypeScript backend,
// tiny configurations). Covers the run folder, bit-identical resume after SIGKILL and after
// Ctrl-C, the non-finite-loss stop, one-line errors before training, and plot overlays.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWithMetadata } from '../../src/nodejs/checkpoint.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'nabla-cli-memorize-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Result {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `nabla <args>` from the sources on the TypeScript backend. `onOutput` sees stdout as it
 * grows and may signal the process.
 */
function nabla(
  args: string[],
  onOutput?: (stdout: string, child: ChildProcess) => void,
  env: Record<string, string> = {},
): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'cli/main.ts', ...args], {
      cwd: root,
      env: { ...process.env, NABLA_BACKEND: 'js', FORCE_COLOR: '0', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      onOutput?.(stdout, child);
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

const runs = join(tmp, 'runs');
// The default preset's mechanics (its small CNN, Adam, random labels), made tiny:
// 500 samples in batches of 32 (the last one holds 20), 4 epochs.
const TINY = ['--width', '0.25', '--dropout', '0.25', '--train-size', '500', '--held-out', '100', '--epochs', '4', '--batch-size', '32'];
const STEPS = Math.ceil(500 / 32);

const metrics = (dir: string) =>
  readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));
/** The fields a resumed run must reproduce exactly (not the timings). */
const exact = (rows: Record<string, unknown>[]) =>
  rows.map(({ epoch, steps, trainLoss, trainAcc, heldOutLoss, heldOutAcc, lr }) => ({
    epoch,
    steps,
    trainLoss,
    trainAcc,
    heldOutLoss,
    heldOutAcc,
    lr,
  }));
const json = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
const tensors = (path: string) => {
  const t = loadWithMetadata(path).tensors;
  return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, Buffer.from(v.data.buffer, v.data.byteOffset, v.data.byteLength)]));
};

describe('nabla memorize', () => {
  let full: Result;
  let killed: Result;
  let interrupted: Result;

  beforeAll(async () => {
    // Three runs side by side: uninterrupted, SIGKILLed mid-epoch 2, and Ctrl-C'd mid-epoch 3.
    [full, killed, interrupted] = await Promise.all([
      nabla(['memorize', ...TINY, '--runs-dir', runs, '--name', 'full']),
      nabla(['memorize', ...TINY, '--runs-dir', runs, '--name', 'killed', '--log-every', '1'], (out, child) => {
        if (out.includes(`epoch 2/4 step 5/${STEPS} `) && child.exitCode === null && !child.killed) child.kill('SIGKILL');
      }),
      nabla(['memorize', ...TINY, '--runs-dir', runs, '--name', 'interrupted', '--log-every', '1'], (out, child) => {
        if (out.includes(`epoch 3/4 step 3/${STEPS} `) && !child.killed) child.kill('SIGINT');
      }),
    ]);
    // Three trainings on the TypeScript kernels of a loaded 2-core machine take minutes, not seconds.
  }, 600_000);

  it('trains to the end and writes the run folder', () => {
    expect(full.stderr).toBe('');
    expect(full.code).toBe(0);
    const dir = join(runs, 'full');
    for (const f of [
      'config.json',
      'labels.json',
      'metrics.jsonl',
      'metrics.csv',
      'checkpoint.safetensors',
      'model.safetensors',
      'loss.svg',
      'loss.png',
      'accuracy.svg',
      'accuracy.png',
      'report.html',
      'status.json',
    ]) {
      expect(existsSync(join(dir, f)), f).toBe(true);
    }
    // config.json: every resolved option, the seed, the backend.
    expect(json(join(dir, 'config.json'))).toMatchObject({
      preset: 'default',
      model: 'cnn',
      width: 0.25,
      dropout: 0.25,
      trainSize: 500,
      heldOut: 100,
      labels: 'random',
      corrupt: 1,
      epochs: 4,
      batchSize: 32,
      optimizer: 'adam',
      lr: 0.001,
      seed: 0,
      run: { name: 'full', backend: 'js' },
    });
    const labels = json(join(dir, 'labels.json'));
    expect(labels.labels).toHaveLength(500);
    expect(labels.replaced).toHaveLength(500);
    // One summary line per epoch, and the final line.
    const summaries = full.stdout.split('\n').filter((l) => /^epoch \d\/4 {2}train loss/.test(l));
    expect(summaries).toHaveLength(4);
    expect(summaries[0]).toMatch(/train loss \d\.\d{4} acc \d\.\d{4} \| held-out loss \d\.\d{4} acc \d\.\d{4} \| .* samples\/s, ETA/);
    expect(full.stdout).toMatch(/finished 4 epochs: train accuracy/);
    // Bookkeeping: accuracy is correct predictions over all 500 samples, steps count every batch.
    const rows = metrics(dir);
    expect(rows.map((r) => r.epoch)).toEqual([1, 2, 3, 4]);
    expect(rows.map((r) => r.steps)).toEqual([1, 2, 3, 4].map((e) => e * STEPS));
    for (const r of rows) {
      expect(Number.isInteger(Math.round(r.trainAcc * 500 * 1e6) / 1e6)).toBe(true);
      expect(Number.isInteger(Math.round(r.heldOutAcc * 100 * 1e6) / 1e6)).toBe(true);
      expect(r.trainLoss).toBeGreaterThan(1.5);
      expect(r.trainLoss).toBeLessThan(3);
    }
    expect(rows[0].trainAcc).toBeLessThan(0.2); // chance level first
    const csv = readFileSync(join(dir, 'metrics.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(5);
    expect(readFileSync(join(dir, 'loss.png')).subarray(1, 4).toString()).toBe('PNG');
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('<th>batchSize</th><td>32</td>');
    expect(html).not.toMatch(/<img|<script|https?:\/\/(?!www\.w3\.org)/); // self-contained
    expect(json(join(dir, 'status.json'))).toMatchObject({ status: 'finished', epoch: 4 });
  });

  it('resumes after SIGKILL mid-epoch and ends bit-identical to the uninterrupted run', async () => {
    expect(killed.signal).toBe('SIGKILL');
    const dir = join(runs, 'killed');
    expect(json(join(dir, 'status.json')).status).toBe('running');
    expect(metrics(dir).length).toBeLessThan(4);
    const resumed = await nabla(['memorize', '--resume', dir]);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(/resuming from the end of epoch \d/);
    expect(readFileSync(join(dir, 'model.safetensors')).equals(readFileSync(join(runs, 'full', 'model.safetensors')))).toBe(true);
    expect(tensors(join(dir, 'checkpoint.safetensors'))).toEqual(tensors(join(runs, 'full', 'checkpoint.safetensors')));
    expect(exact(metrics(dir))).toEqual(exact(metrics(join(runs, 'full'))));
    expect(json(join(dir, 'labels.json'))).toEqual(json(join(runs, 'full', 'labels.json')));
  });

  it('Ctrl-C saves a checkpoint mid-epoch and says how to resume; resuming ends bit-identical', async () => {
    const dir = join(runs, 'interrupted');
    expect(interrupted.code).toBe(130);
    expect(interrupted.stdout).toMatch(
      /stopped at epoch 3, step \d+\/16; checkpoint saved; resume with: nabla memorize --resume .*interrupted/,
    );
    const status = json(join(dir, 'status.json'));
    expect(status).toMatchObject({ status: 'stopped', epoch: 2 });
    expect(status.step).toBeGreaterThan(0);
    const resumed = await nabla(['memorize', '--resume', dir, '--log-every', '0']);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(/resuming from epoch 3, step \d+/);
    expect(readFileSync(join(dir, 'model.safetensors')).equals(readFileSync(join(runs, 'full', 'model.safetensors')))).toBe(true);
    expect(exact(metrics(dir))).toEqual(exact(metrics(join(runs, 'full'))));
    // Resuming a finished run trains no further.
    const again = await nabla(['memorize', '--resume', dir]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/already trained for 4 epochs/);
  });

  it('nabla plot redraws a run and overlays several', async () => {
    const dir = join(runs, 'full');
    unlinkSync(join(dir, 'accuracy.png'));
    const one = await nabla(['plot', dir]);
    expect(one.code).toBe(0);
    expect(existsSync(join(dir, 'accuracy.png'))).toBe(true);
    const out = join(tmp, 'overlay');
    const many = await nabla(['plot', dir, join(runs, 'killed'), '--out', out]);
    expect(many.code).toBe(0);
    for (const f of ['loss.svg', 'loss.png', 'accuracy.svg', 'accuracy.png', 'report.html']) expect(existsSync(join(out, f)), f).toBe(true);
    const svg = readFileSync(join(out, 'accuracy.svg'), 'utf8');
    expect(svg).toContain('full train');
    expect(svg).toContain('killed held-out');
    const bad = await nabla(['plot', tmp]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toMatch(/^nabla plot: .* is not a nabla memorize run folder/);
  });
});

describe('nabla memorize --compare', () => {
  // Two training runs in a spawned process: minutes on a loaded 2-core machine.
  it('trains the same setup with true labels and reports the slowdown', async () => {
    const r = await nabla([
      'memorize',
      ...['--model', 'mlp', '--width', '0.5', '--train-size', '200', '--held-out', '100'],
      ...['--optimizer', 'adam', '--lr', '0.003', '--batch-size', '20', '--epochs', '8', '--compare'],
      ...['--runs-dir', runs, '--name', 'compare'],
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const dir = join(runs, 'compare');
    const [half, most] = json(join(dir, 'compare.json')).thresholds;
    // True labels reach 50% and 95% within the 8 epochs; random labels need more steps.
    expect(half.true.epoch).not.toBeNull();
    expect(most.true.epoch).not.toBeNull();
    expect(half.random.epoch).toBeGreaterThan(half.true.epoch);
    expect(half.ratio).toBe(half.random.steps / half.true.steps);
    expect(half.ratio).toBeGreaterThan(1);
    expect(r.stdout).toMatch(
      /train accuracy 50%: random labels epoch \d \(\d+ steps\), true labels epoch \d \(\d+ steps\): \d\.\d× the steps/,
    );
    // Same samples, same seed; only the labels differ.
    const random = json(join(dir, 'random', 'labels.json'));
    const truth = json(join(dir, 'true', 'labels.json'));
    expect(truth.trainIndices).toEqual(random.trainIndices);
    expect(truth.labels).toEqual(random.trueLabels);
    expect(json(join(dir, 'true', 'config.json'))).toMatchObject({ labels: 'true', corrupt: 0, compare: false, seed: 0 });
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('Random vs true labels');
    expect(readFileSync(join(dir, 'accuracy.svg'), 'utf8')).toContain('true labels held-out');
    const redraw = await nabla(['plot', dir]);
    expect(redraw.code).toBe(0);
    expect(redraw.stdout).toContain(join(dir, 'true', 'loss.png'));
  }, 300_000);
});

describe('nabla memorize errors', () => {
  it('bad options, a missing data folder or a corrupt IDX file: one line, exit 2, before any training', async () => {
    const bad = join(tmp, 'bad-idx');
    mkdirSync(bad, { recursive: true });
    writeFileSync(join(bad, 'train-images-idx3-ubyte'), Buffer.from([0x1f, 0x00, 8, 3, 0, 0, 0, 1]));
    writeFileSync(join(bad, 'train-labels-idx1-ubyte'), Buffer.from([0, 0, 8, 1, 0, 0, 0, 1, 3]));
    const errRuns = join(tmp, 'err-runs');
    const cases: [string[], RegExp][] = [
      [['--bogus'], /Unknown option '--bogus'/],
      [['--epochs', '-3'], /--epochs: the value -3 starts with '-'/],
      [['--lr', 'abc'], /--lr: expected a number, got 'abc'/],
      [['--data', join(tmp, 'no-such-folder')], /--data: .*no-such-folder: no such folder/],
      [['--data', bad], /--data: readIdx: .*train-images-idx3-ubyte: bad magic number/],
      // libgomp segfaults (100000) or aborts (50000) when asked for that many threads.
      [['--threads', '100000'], /--threads: must be from 1 to 1024, got 100000/],
      [['--threads', '50000'], /--threads: must be from 1 to 1024, got 50000/],
    ];
    const results = await Promise.all(cases.map(([args]) => nabla(['memorize', ...args, '--runs-dir', errRuns])));
    results.forEach((r, i) => {
      expect(r.code, cases[i][0].join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^nabla memorize: /);
      expect(lines[0]).toMatch(cases[i][1]);
    });
    expect(existsSync(errRuns)).toBe(false);
  });

  it('an unknown NABLA_BACKEND is an error naming the valid backends, not a silent fallback', async () => {
    const r = await nabla(['doctor'], undefined, { NABLA_BACKEND: 'webasm' });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toBe(
      'nabla: NABLA_BACKEND=webasm: unknown backend; valid values are native, wasm, js (or unset for native when available, else wasm)',
    );
  });

  it('a non-finite loss stops the run with the epoch and step (exit 1), keeping the last good checkpoint', async () => {
    const r = await nabla([
      'memorize',
      '--model',
      'mlp',
      '--width',
      '0.125',
      '--train-size',
      '128',
      '--held-out',
      '0',
      '--optimizer',
      'sgd',
      '--momentum',
      '0.9',
      '--lr',
      '1e6',
      '--runs-dir',
      runs,
      '--name',
      'diverged',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    // lr 1e6 survives the first epoch's two steps and blows up in the second epoch.
    expect(r.stderr).toMatch(
      /^nabla memorize: the loss became NaN at epoch 2, step 1; stopped \(the checkpoint of epoch 1 is kept in .*diverged\/checkpoint.safetensors\)/,
    );
    const dir = join(runs, 'diverged');
    expect(json(join(dir, 'status.json'))).toMatchObject({ status: 'diverged', epoch: 1, step: 0 });
    expect(metrics(dir)).toHaveLength(1);
    expect(loadWithMetadata(join(dir, 'checkpoint.safetensors')).metadata?.['nabla.memorize']).toMatch(/"epoch":1,"step":0/);
  });
});
