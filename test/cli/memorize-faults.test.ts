// `nabla memorize` under faults: a SIGKILL during each file write of a run (NABLA_TEST_KILL_AT
// stops the process halfway through the named write, no timing involved) followed by a resume
// that ends bit-identical to an uninterrupted run with no temporary files left; two runs racing
// for one name; a lost checkpoint; folders and paths that used to hang or mislead.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readStatus } from '../../experiments/memorize/run-dir.js';
import { loadWithMetadata } from '../../src/nodejs/checkpoint.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'nabla-cli-faults-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Result {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function nabla(args: string[], env: Record<string, string> = {}, onSpawn?: (c: ChildProcess) => void): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'cli/main.ts', ...args], {
      cwd: root,
      env: { ...process.env, NABLA_BACKEND: 'js', FORCE_COLOR: '0', NABLA_TEST_KILL_AT: '', ...env },
    });
    onSpawn?.(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Runs `jobs` with at most `n` at a time (the machine has two cores). */
async function pool<T>(jobs: (() => Promise<T>)[], n: number): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: n }, worker));
  return out;
}

const runs = join(tmp, 'runs');
// Two epochs of two steps: every kind of write happens, more than once where a run repeats it.
const SMALL = [
  ...['--model', 'mlp', '--width', '0.125', '--train-size', '64', '--held-out', '16', '--epochs', '2', '--batch-size', '32'],
  ...['--save-every', '1'],
];
const start = (name: string) => ['memorize', ...SMALL, '--runs-dir', runs, '--name', name, '--log-every', '0'];
const json = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
const exact = (dir: string) =>
  readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => {
      const { seconds: _s, samplesPerSec: _r, elapsed: _e, ...rest } = JSON.parse(l);
      return rest;
    });
/** A safetensors file's tensors as bytes (its metadata holds timings, which differ run to run). */
const tensors = (path: string) =>
  Object.fromEntries(
    Object.entries(loadWithMetadata(path).tensors).map(([k, v]) => [k, Buffer.from(v.data.buffer, v.data.byteOffset, v.data.byteLength)]),
  );
/** Every file under `dir`, relative. */
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)).map((f) => `${e.name}/${f}`) : [e.name],
  );

// Each write of a two-epoch run, in order: "<file>:<n>" is the n-th write of that file.
const WRITES = [
  'config.json:1',
  'labels.json:1',
  'metrics.jsonl:1',
  'metrics.csv:1',
  'status.json:1',
  'checkpoint.safetensors:1',
  'epoch-001.safetensors:1',
  'metrics.jsonl:2',
  'metrics.csv:2',
  'status.json:2',
  'checkpoint.safetensors:2',
  'epoch-002.safetensors:1',
  'metrics.jsonl:3',
  'status.json:3',
  'model.safetensors:1',
  'status.json:4',
  'loss.svg:1',
  'loss.png:1',
  'accuracy.svg:1',
  'accuracy.png:1',
  'report.html:1',
];

describe('nabla memorize killed during each file write', () => {
  let ref: Result;
  let killed: { point: string; dir: string; kill: Result; statusAfterKill: string | null; again: Result }[];

  beforeAll(async () => {
    ref = await nabla(start('ref'));
    killed = await pool(
      WRITES.map((point, i) => async () => {
        const name = `kill-${i}`;
        const dir = join(runs, name);
        const kill = await nabla(start(name), { NABLA_TEST_KILL_AT: point });
        const statusAfterKill = existsSync(join(dir, 'status.json')) ? (readStatus(dir)?.status ?? null) : null;
        // Before config.json exists there is nothing to resume: the same command starts it again.
        const again = existsSync(join(dir, 'config.json'))
          ? await nabla(['memorize', '--resume', dir, '--log-every', '0'])
          : await nabla(start(name));
        return { point, dir, kill, statusAfterKill, again };
      }),
      3,
    );
  }, 900_000);

  it('the uninterrupted reference run finishes', () => {
    expect(ref.stderr).toBe('');
    expect(ref.code).toBe(0);
  });

  it.each(WRITES.map((w, i) => [w, i]))(
    'killed writing %s: resumes to the same model and metrics, leaving no temporary file',
    (point, i) => {
      const k = killed[i as number];
      const refDir = join(runs, 'ref');
      expect(k.kill.signal, `${point}: the kill point was reached`).toBe('SIGKILL');
      // A run whose process is gone never reads back as running.
      expect(k.statusAfterKill).not.toBe('running');
      expect(k.again.stderr).toBe('');
      expect(k.again.code).toBe(0);
      expect(readFileSync(join(k.dir, 'model.safetensors')).equals(readFileSync(join(refDir, 'model.safetensors')))).toBe(true);
      expect(exact(k.dir)).toEqual(exact(refDir));
      expect(json(join(k.dir, 'labels.json'))).toEqual(json(join(refDir, 'labels.json')));
      expect(json(join(k.dir, 'status.json'))).toMatchObject({ status: 'finished', epoch: 2 });
      const left = files(k.dir);
      expect(left.filter((f) => f.endsWith('.tmp') || f === 'lock')).toEqual([]);
      for (const f of ['loss.png', 'accuracy.svg', 'report.html', 'metrics.csv']) expect(left).toContain(f);
      // The --save-every copies are all there, as in the uninterrupted run.
      for (const e of ['001', '002']) {
        const f = `checkpoints/epoch-${e}.safetensors`;
        expect(tensors(join(k.dir, f)), f).toEqual(tensors(join(refDir, f)));
      }
    },
  );

  it('a lost checkpoint is an error on --resume, and a failed --resume --epochs changes nothing', async () => {
    const dir = join(tmp, 'lost');
    cpSync(join(runs, 'ref'), dir, { recursive: true });
    unlinkSync(join(dir, 'checkpoint.safetensors'));
    const config = readFileSync(join(dir, 'config.json'));
    const metrics = readFileSync(join(dir, 'metrics.jsonl'));
    const r = await nabla(['memorize', '--resume', dir, '--epochs', '3']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(/checkpoint.safetensors is missing, but this run has already trained \(2 epochs recorded\)/);
    expect(readFileSync(join(dir, 'config.json')).equals(config)).toBe(true);
    expect(readFileSync(join(dir, 'metrics.jsonl')).equals(metrics)).toBe(true);
    expect(existsSync(join(dir, 'lock'))).toBe(false);
  });
});

describe('nabla memorize run folders are claimed by one process', () => {
  it('two runs started with the same --name: one trains, the other is refused, nothing is mixed', async () => {
    const [a, b] = await Promise.all([
      nabla(['memorize', ...SMALL, '--seed', '1', '--runs-dir', runs, '--name', 'race', '--log-every', '0']),
      nabla(['memorize', ...SMALL, '--seed', '2', '--runs-dir', runs, '--name', 'race', '--log-every', '0']),
    ]);
    const codes = [a.code, b.code].sort();
    expect(codes).toEqual([0, 2]);
    const [won, lost] = a.code === 0 ? [a, b] : [b, a];
    expect(lost.stderr.trim()).toMatch(/^nabla memorize: .*race (already exists|is in use by process \d+)/);
    expect(won.stderr).toBe('');
    const dir = join(runs, 'race');
    expect(json(join(dir, 'config.json')).seed).toBe(won === a ? 1 : 2);
    // The checkpoint's identity (config, labels, data) matches the folder: nothing was mixed up.
    const again = await nabla(['memorize', '--resume', dir]);
    expect(again.stderr).toBe('');
    expect(again.stdout).toMatch(/already trained for 2 epochs/);
  }, 300_000);
});

describe('nabla memorize stopped by SIGTERM', () => {
  it('kill (SIGTERM) stops after the step with a checkpoint, like Ctrl-C', async () => {
    const dir = join(runs, 'term');
    let sent = false;
    const r = await new Promise<Result>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          'cli/main.ts',
          'memorize',
          ...SMALL,
          '--epochs',
          '50',
          '--runs-dir',
          runs,
          '--name',
          'term',
          '--log-every',
          '1',
        ],
        { cwd: root, env: { ...process.env, NABLA_BACKEND: 'js', FORCE_COLOR: '0' } },
      );
      let stdout = '';
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (!sent && /epoch 2\/50 step 1\/2 /.test(stdout)) {
          sent = true;
          child.kill('SIGTERM');
        }
      });
      child.on('error', reject);
      child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr: '' }));
    });
    expect(r.code).toBe(130);
    // Mid-epoch (a checkpoint of the partial epoch) or, when the signal lands in the epoch's last
    // step, at the next epoch's start (the epoch's own checkpoint): either way resumable.
    expect(r.stdout).toMatch(/(checkpoint saved|stopped before epoch \d+); resume with: nabla memorize --resume/);
    expect(json(join(dir, 'status.json')).status).toBe('stopped');
    expect(existsSync(join(dir, 'lock'))).toBe(false);
  }, 120_000);
});

describe('nabla memorize refuses what used to hang, crash or mislead', () => {
  it('a FIFO in --data, a runs folder under /proc, a huge --width: one line, exit 2, nothing created', async () => {
    const fifoDir = join(tmp, 'fifo-data');
    mkdirSync(fifoDir);
    execFileSync('mkfifo', [join(fifoDir, 'train-images-idx3-ubyte')]);
    writeFileSync(join(fifoDir, 'train-labels-idx1-ubyte'), Buffer.from([0, 0, 8, 1, 0, 0, 0, 0]));
    // An honest 2 GB declaration in a tiny .gz: refused from its header, before inflating.
    const bigDir = join(tmp, 'big-data');
    mkdirSync(bigDir);
    const head = Buffer.alloc(16);
    head.set([0, 0, 8, 3]);
    head.writeUInt32BE(2_600_000, 4);
    head.writeUInt32BE(28, 8);
    head.writeUInt32BE(28, 12);
    writeFileSync(join(bigDir, 'train-images-idx3-ubyte.gz'), gzipSync(head));
    writeFileSync(join(bigDir, 'train-labels-idx1-ubyte'), Buffer.from([0, 0, 8, 1, 0, 0, 0, 0]));
    const errRuns = join(tmp, 'never');
    const cases: [string[], RegExp][] = [
      [['--data', fifoDir], /--data: .*train-images-idx3-ubyte: not a regular file/],
      [
        ['--data', bigDir],
        /--data: .*train-images-idx3-ubyte.gz: the header declares shape \[2600000, 28, 28\] .* more than the 1073741824-byte limit/,
      ],
      [['--runs-dir', '/proc/nabla-runs'], /--runs-dir: cannot create \/proc\/nabla-runs/],
      [['--width', '100000', '--runs-dir', errRuns], /--width 100000: the mlp would have [\d,]+ parameters, more than the 100,000,000/],
    ];
    const results = await Promise.all(cases.map(([args]) => nabla(['memorize', ...SMALL, ...args, '--name', 'x'])));
    results.forEach((r, i) => {
      expect(r.code, cases[i][0].join(' ')).toBe(2);
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(cases[i][1]);
    });
    expect(existsSync(errRuns)).toBe(false);
    expect(existsSync('/proc/nabla-runs')).toBe(false);
  }, 120_000);

  it('nabla doctor refuses unknown flags; nabla plot checks its runs before making --out', async () => {
    const out = join(tmp, 'plot-out');
    const [doc, plot] = await Promise.all([nabla(['doctor', '--bogus']), nabla(['plot', tmp, '--out', out])]);
    expect(doc.code).toBe(2);
    expect(doc.stderr.trim()).toMatch(/^nabla doctor: Unknown option '--bogus'/);
    expect(plot.code).toBe(2);
    expect(plot.stderr.trim()).toMatch(/is not a nabla memorize run folder/);
    expect(existsSync(out)).toBe(false);
  });

  it('a resumed config.json with an absurd width is refused before allocating', async () => {
    const dir = join(tmp, 'wide');
    cpSync(join(runs, 'ref'), dir, { recursive: true });
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...json(join(dir, 'config.json')), width: 1000 }));
    const r = await nabla(['memorize', '--resume', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/--width 1000: the mlp would have [\d,]+ parameters/);
  });

  it('a run folder killed before its config.json was written: --resume says how to recover', async () => {
    const dir = join(runs, 'kill-0'); // killed writing config.json, then started again: recovered
    expect(json(join(dir, 'config.json')).run.name).toBe('kill-0');
    const fresh = join(tmp, 'abandoned');
    mkdirSync(fresh);
    writeFileSync(join(fresh, '.config.json.99999.abcdef.tmp'), '{"ver');
    const r = await nabla(['memorize', '--resume', fresh]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/has no config.json: its run was interrupted while starting.*start it again with the same --name/);
  });
});

describe('nabla memorize on a read-only runs folder', () => {
  const ro = join(tmp, 'ro');
  let mounted = false;
  beforeAll(() => {
    mkdirSync(ro);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', ro], { stdio: 'ignore' });
      mounted = true;
    } catch {
      console.warn('read-only runs folder test skipped: mounting a read-only tmpfs needs root and mount rights here');
    }
  });
  afterAll(() => {
    if (mounted) execFileSync('umount', ['-l', ro]);
  });

  it('reports the read-only file system (EROFS), not ENOENT', async (ctx) => {
    if (!mounted) ctx.skip();
    const r = await nabla(['memorize', ...SMALL, '--runs-dir', join(ro, 'runs'), '--name', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/--runs-dir: cannot create .*ro\/runs: read-only file system \(EROFS\)/);
  });
});
