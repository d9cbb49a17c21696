// nabla memorize, in process: what a resume trusts. Checkpoints from another run or damaged ones
// are refused, impossible positions are refused, every failure leaves a final status, a run whose
// process died reads back as interrupted, one process holds a run folder at a time, and model
// sizes are known before anything is allocated.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint, runIdentity, saveCheckpoint } from '../../experiments/memorize/checkpoint.js';
import { prepareData } from '../../experiments/memorize/data.js';
import { buildModel, parameterCount } from '../../experiments/memorize/models.js';
import { type MemorizeConfig, MODELS, parseMemorizeArgs } from '../../experiments/memorize/options.js';
import { loadPool } from '../../experiments/memorize/pool.js';
import { readStatus } from '../../experiments/memorize/run-dir.js';
import { claimNewRunDir, isAbandonedStart, lockRunDir } from '../../experiments/memorize/run-lock.js';
import { initModel, train } from '../../experiments/memorize/train.js';
import type { MnistLike } from '../../src/data/mnist.js';

const tmp = mkdtempSync(join(tmpdir(), 'nabla-memorize-resume-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const sink = { write: () => {}, isTTY: false };
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid as number;

describe('resuming checks the checkpoint', () => {
  let pool: MnistLike;
  beforeAll(() => {
    pool = loadPool(null);
  });
  const config = (over: Partial<MemorizeConfig> = {}): MemorizeConfig => ({
    ...parseMemorizeArgs(['--model', 'mlp', '--width', '0.125', '--train-size', '64', '--held-out', '0', '--batch-size', '32']).config,
    epochs: 1,
    ...over,
  });
  const run = async (name: string, c: MemorizeConfig) => {
    const dir = join(tmp, name);
    mkdirSync(dir, { recursive: true });
    await train({ dir, config: c, data: prepareData(c, pool), out: sink, logEvery: 0 });
    return dir;
  };

  it('a checkpoint from another run (another seed) is refused, and nothing in the folder changes', async () => {
    const a = await run('seed0', config());
    const b = await run('seed1', config({ seed: 1 }));
    copyFileSync(join(b, 'checkpoint.safetensors'), join(a, 'checkpoint.safetensors'));
    const metrics = readFileSync(join(a, 'metrics.jsonl'));
    const c = config({ epochs: 2 });
    await expect(train({ dir: a, config: c, data: prepareData(c, pool), out: sink })).rejects.toThrow(
      /checkpoint.safetensors: the checkpoint belongs to another run \(its config, seed, labels or data differ/,
    );
    expect(readStatus(a)?.status).toBe('finished');
    expect(readFileSync(join(a, 'metrics.jsonl')).equals(metrics)).toBe(true);
  });

  it('a flipped byte anywhere in the tensors is refused as damage', async () => {
    const dir = await run('flipped', config());
    const path = join(dir, 'checkpoint.safetensors');
    const bytes = readFileSync(path);
    bytes[bytes.length - 3] ^= 0x10;
    writeFileSync(path, bytes);
    const c = config({ epochs: 2 });
    await expect(train({ dir, config: c, data: prepareData(c, pool), out: sink })).rejects.toThrow(
      /the checkpoint is damaged \(its contents do not match their SHA-256 digest\)/,
    );
  });

  it('impossible positions (negative epochs, steps past the epoch) are refused', async () => {
    const c = config();
    const data = prepareData(c, pool);
    const dir = await run('position', c);
    const path = join(dir, 'checkpoint.safetensors');
    const identity = runIdentity(c, data);
    const expectation = { identity, steps: 2, samples: 64 };
    const { model, optimizer } = initModel(c, data);
    const good = loadCheckpoint(path, model, optimizer, expectation);
    expect(good.position).toMatchObject({ epoch: 1, step: 0, globalStep: 2 });
    const bad: [object, RegExp][] = [
      [{ epoch: -5, globalStep: -10 }, /impossible epoch \(-5\)/],
      [{ step: 7 }, /impossible step \(7; an epoch has 2\)/],
      [{ globalStep: 99 }, /impossible step count \(99\)/],
      [{ elapsed: Number.NaN }, /impossible elapsed time/],
    ];
    for (const [change, message] of bad) {
      saveCheckpoint(path, model, optimizer, { ...good, position: { ...good.position, ...change } }, identity);
      expect(() => loadCheckpoint(path, initModel(c, data).model, initModel(c, data).optimizer, expectation)).toThrow(message);
    }
  });

  it('an error during training leaves status "failed" with the error, not "running"', async () => {
    const c = config({ epochs: 3 });
    const dir = join(tmp, 'boom');
    mkdirSync(dir);
    const onEpoch = async () => {
      throw new Error('disk on fire');
    };
    await expect(train({ dir, config: c, data: prepareData(c, pool), out: sink, onEpoch })).rejects.toThrow('disk on fire');
    expect(readStatus(dir)).toMatchObject({ status: 'failed', epoch: 1, message: 'failed: disk on fire', pid: process.pid });
  });
});

describe('run status and locks', () => {
  it('a "running" status whose process is gone reads back as interrupted', () => {
    const dir = join(tmp, 'dead');
    mkdirSync(dir);
    const pid = deadPid();
    const status = { status: 'running', epoch: 3, step: 1, message: 'running', pid, host: hostname(), updatedAt: '' };
    writeFileSync(join(dir, 'status.json'), JSON.stringify(status));
    expect(readStatus(dir)).toMatchObject({
      status: 'interrupted',
      epoch: 3,
      message: `interrupted: process ${pid} ended while running (killed?)`,
    });
    writeFileSync(join(dir, 'status.json'), JSON.stringify({ ...status, pid: process.pid }));
    expect(readStatus(dir)?.status).toBe('running');
  });

  it('one process holds a run folder; a stale lock is taken over; temporary files are cleared', () => {
    const dir = join(tmp, 'locked');
    mkdirSync(dir);
    writeFileSync(join(dir, '.metrics.jsonl.12345.0a1b2c.tmp'), 'torn');
    writeFileSync(join(dir, 'config.json'), '{}');
    const lock = lockRunDir(dir);
    expect(existsSync(join(dir, '.metrics.jsonl.12345.0a1b2c.tmp'))).toBe(false);
    expect(existsSync(join(dir, 'config.json'))).toBe(true);
    expect(() => lockRunDir(dir)).toThrow(new RegExp(`is in use by process ${process.pid} on `));
    lock.release();
    expect(existsSync(join(dir, 'lock'))).toBe(false);
    writeFileSync(join(dir, 'lock'), JSON.stringify({ pid: deadPid(), host: hostname(), startedAt: '' }));
    lockRunDir(dir).release();
    // Another host's lock is never presumed stale.
    writeFileSync(join(dir, 'lock'), JSON.stringify({ pid: 1, host: 'elsewhere', startedAt: '' }));
    expect(() => lockRunDir(dir)).toThrow(/in use by process 1 on elsewhere/);
    // …unless the caller knows that process is gone (a sweep queue's retry after a stall)…
    const taken = lockRunDir(dir, [], { takeOverForeign: true });
    expect(JSON.parse(readFileSync(join(dir, 'lock'), 'utf8')).pid).toBe(process.pid);
    taken.release();
    // …which still never takes a lock from a live process on this host.
    const mine = lockRunDir(dir);
    expect(() => lockRunDir(dir, [], { takeOverForeign: true })).toThrow(new RegExp(`is in use by process ${process.pid} on `));
    mine.release();
  });

  it('a new run claims its folder once; a start killed before config.json is taken over', () => {
    const runs = join(tmp, 'claims');
    const isRun = (d: string) => existsSync(join(d, 'config.json'));
    const first = claimNewRunDir(runs, 'a', isRun);
    expect(() => claimNewRunDir(runs, 'a', isRun)).toThrow(/in use by process/);
    first.release();
    expect(isAbandonedStart(join(runs, 'a'))).toBe(true);
    const again = claimNewRunDir(runs, 'a', isRun);
    writeFileSync(join(runs, 'a', 'config.json'), '{}');
    again.release();
    expect(() => claimNewRunDir(runs, 'a', isRun)).toThrow(/a already exists; continue it with --resume/);
    // A claim killed before its rename left a temporary folder: the next claim of the name clears it.
    const orphan = join(runs, `.b.${deadPid()}.0a1b2c.tmp`);
    mkdirSync(orphan);
    claimNewRunDir(runs, 'b', isRun).release();
    expect(existsSync(orphan)).toBe(false);
    mkdirSync(join(runs, 'mine'));
    writeFileSync(join(runs, 'mine', 'notes.txt'), 'not a run');
    expect(() => claimNewRunDir(runs, 'mine', isRun)).toThrow(/mine already exists/);
  });
});

describe('model sizes', () => {
  it.each(MODELS)('parameterCount matches what %s builds, at several widths and image sizes', (model) => {
    for (const [width, h, w] of [
      [1, 28, 28],
      [0.5, 28, 28],
      [0.3, 32, 20],
    ]) {
      const built = buildModel({ model, width, dropout: 0, height: h, imageWidth: w });
      const n = [...built.parameters()].reduce((s, p) => s + p.numel, 0);
      expect(parameterCount({ model, width, dropout: 0, height: h, imageWidth: w })).toBe(n);
    }
  });
});
