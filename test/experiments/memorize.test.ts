// nabla memorize, in process: option parsing and presets, the models, the data split and labels,
// the loss/accuracy bookkeeping, and the non-finite-loss stop that keeps the last good checkpoint.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../cli/command.js';
import { loadCheckpoint, runIdentity, saveCheckpoint } from '../../experiments/memorize/checkpoint.js';
import { prepareData, type RunData, resolveTrainSize } from '../../experiments/memorize/data.js';
import {
  countCorrect,
  EpochAccumulator,
  type EpochMetrics,
  metricsCsv,
  parseMetricsJsonl,
  slowdown,
} from '../../experiments/memorize/metrics.js';
import { alexnet, buildModel, forwardMacs, mlp, smallCnn } from '../../experiments/memorize/models.js';
import { type MemorizeConfig, PRESET_VALUES, parseMemorizeArgs } from '../../experiments/memorize/options.js';
import { loadPool } from '../../experiments/memorize/pool.js';
import { createProgress, formatDuration } from '../../experiments/memorize/progress.js';
import { initModel, train } from '../../experiments/memorize/train.js';
import type { MnistLike } from '../../src/data/mnist.js';
import { crossEntropy } from '../../src/nn/functional.js';
import { rand } from '../../src/ops/random.js';
import { manualSeed } from '../../src/random/generator.js';
import type { Tensor } from '../../src/tensor/tensor.js';

const tmp = mkdtempSync(join(tmpdir(), 'nabla-memorize-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const usage = (args: string[]) => {
  try {
    parseMemorizeArgs(args);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    const msg = (e as Error).message;
    expect(msg).not.toContain('\n');
    return msg;
  }
  throw new Error(`no UsageError for ${args.join(' ')}`);
};

describe('options', () => {
  it('defaults to the default preset; --preset seed is exercise 6 exactly', () => {
    const d = parseMemorizeArgs([]).config;
    expect(d).toMatchObject({ preset: 'default', data: null, compare: false, ...PRESET_VALUES.default });
    const s = parseMemorizeArgs(['--preset', 'seed']).config;
    expect(s).toMatchObject({
      preset: 'seed',
      trainSize: 6000,
      labels: 'random',
      corrupt: 1,
      model: 'alexnet',
      width: 1,
      dropout: 0.5,
      optimizer: 'sgd',
      lr: 0.1,
      momentum: 0,
      batchSize: 64,
      epochs: 150,
    });
  });

  it('options override the preset; --corrupt and --labels set the label noise', () => {
    const c = parseMemorizeArgs([
      '--preset=seed',
      '--epochs',
      '3',
      '--lr',
      '0.05',
      '--width',
      '0.5',
      '--corrupt',
      '0.4',
      '--batch-size',
      '32',
      '--optimizer',
      'heavyball',
      '--momentum',
      '0.9',
      '--seed',
      '7',
      '--threads',
      '1',
      '--compare',
    ]).config;
    expect(c).toMatchObject({
      model: 'alexnet',
      epochs: 3,
      lr: 0.05,
      width: 0.5,
      labels: 'corrupt',
      corrupt: 0.4,
      batchSize: 32,
      optimizer: 'heavyball',
      momentum: 0.9,
      seed: 7,
      threads: 1,
      compare: true,
    });
    expect(parseMemorizeArgs(['--labels', 'true']).config).toMatchObject({ labels: 'true', corrupt: 0 });
    expect(parseMemorizeArgs(['--fraction', '0.25']).config.fraction).toBe(0.25);
    // Adam gets its own learning-rate default; a hand-picked model its own dropout default.
    expect(parseMemorizeArgs(['--optimizer', 'adam']).config.lr).toBe(0.001);
    expect(parseMemorizeArgs(['--model', 'alexnet']).config.dropout).toBe(0.5);
    expect(parseMemorizeArgs(['--resume', tmp, '--epochs', '9'])).toMatchObject({ resume: tmp, overrides: { epochs: 9 } });
  });

  it('rejects bad options with one line', () => {
    expect(usage(['--bogus'])).toMatch(/Unknown option '--bogus'/);
    expect(usage(['--epochs', '-3'])).toMatch(/--epochs: the value -3 starts with '-'/);
    expect(usage(['--epochs=-3'])).toMatch(/--epochs: must be at least 1, got -3/);
    expect(usage(['--epochs', '2.5'])).toMatch(/--epochs: expected an integer/);
    expect(usage(['--lr', 'fast'])).toMatch(/--lr: expected a number, got 'fast'/);
    expect(usage(['--lr=0'])).toMatch(/--lr: must be positive/);
    expect(usage(['--batch-size', '0'])).toMatch(/--batch-size: must be at least 1/);
    expect(usage(['--fraction', '1.5'])).toMatch(/--fraction: must be in \(0, 1\]/);
    expect(usage(['--corrupt', 'NaN'])).toMatch(/--corrupt: expected a number/);
    expect(usage(['--momentum', '1'])).toMatch(/--momentum: must be in \[0, 1\)/);
    expect(usage(['--model', 'resnet'])).toMatch(/--model: expected one of alexnet, cnn, mlp/);
    expect(usage(['--preset', 'fast'])).toMatch(/--preset: expected one of default, seed/);
    expect(usage(['--data', join(tmp, 'missing')])).toMatch(/--data: .*missing: no such folder/);
    expect(usage(['--train-size', '10', '--fraction', '0.1'])).toMatch(/give one of them/);
    expect(usage(['--labels', 'true', '--compare'])).toMatch(/--compare .* needs --labels random/);
    expect(usage(['--resume', tmp, '--lr', '0.1'])).toMatch(/only --epochs and --threads may change/);
    expect(usage(['--resume', join(tmp, 'nope')])).toMatch(/no such run folder/);
    expect(usage(['--name', 'a/b'])).toMatch(/not a valid folder name/);
    expect(usage(['extra'])).toMatch(/Unexpected argument 'extra'/);
  });
});

describe('models', () => {
  it("exercise 6's AlexNet has 8,925,738 parameters and maps 1×28×28 to 10 logits", () => {
    manualSeed(0);
    const net = alexnet(1, 0.5);
    expect(net.numParameters()).toBe(8_925_738);
    expect(forwardMacs(net)).toBeGreaterThan(0.7e9);
    expect(forwardMacs(net)).toBeLessThan(0.8e9);
    const small = alexnet(0.125, 0.5);
    expect((small.call(rand([2, 1, 28, 28])) as Tensor).shape).toEqual([2, 10]);
  });

  it('the small CNN and the MLP scale with --width', () => {
    manualSeed(0);
    expect(smallCnn(1).numParameters()).toBe(431_242);
    expect(mlp(1).numParameters()).toBe(669_706);
    for (const model of ['cnn', 'mlp'] as const) {
      const net = buildModel({ model, width: 0.25, dropout: 0.1 });
      expect((net.call(rand([3, 1, 28, 28])) as Tensor).shape).toEqual([3, 10]);
      expect(net.numParameters()).toBeLessThan(buildModel({ model, width: 1, dropout: 0 }).numParameters());
    }
  });
});

describe('data', () => {
  let pool: MnistLike;
  beforeAll(() => {
    pool = loadPool(null);
  });
  const cfg = (over: Partial<MemorizeConfig>): MemorizeConfig => ({
    ...parseMemorizeArgs([]).config,
    ...over,
  });

  it('draws disjoint train / held-out samples and replaces round(P·N) labels, the same for the same seed', () => {
    const d = prepareData(cfg({ trainSize: 300, heldOut: 100, corrupt: 0.5, labels: 'corrupt' }), pool);
    const r = d.record;
    expect(d.train.length).toBe(300);
    expect(d.heldOutX.shape).toEqual([100, 1, 28, 28]);
    expect(new Set([...r.trainIndices, ...r.heldOutIndices]).size).toBe(400);
    expect(r.replaced.length).toBe(150);
    const replaced = new Set(r.replaced);
    r.labels.forEach((y, i) => {
      if (!replaced.has(i)) expect(y).toBe(r.trueLabels[i]);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(y).toBeLessThan(10);
    });
    // True labels of the samples are the pool's.
    r.trainIndices.forEach((p, i) => {
      expect(r.trueLabels[i]).toBe(pool.labels[p]);
    });
    // Random labels agree with the true ones about 1 time in 10.
    const agree = r.replaced.filter((i) => r.labels[i] === r.trueLabels[i]).length / r.replaced.length;
    expect(agree).toBeLessThan(0.25);
    expect(prepareData(cfg({ trainSize: 300, heldOut: 100, corrupt: 0.5, labels: 'corrupt' }), pool).record).toEqual(r);
    // True labels: same samples (the split does not depend on the labels), nothing replaced.
    const t = prepareData(cfg({ trainSize: 300, heldOut: 100, corrupt: 0, labels: 'true' }), pool).record;
    expect(t.trainIndices).toEqual(r.trainIndices);
    expect(t.labels).toEqual(t.trueLabels);
  });

  const fashion = '/usr/share/datasets/fashion-mnist';
  // Needs Debian's dataset-fashion-mnist (.ci/run installs it); a missing folder fails the test.
  it('reads IDX folders (Fashion-MNIST, gzipped); --fraction is a share of their training set', () => {
    const c = cfg({ data: fashion, fraction: 0.01, heldOut: 200 });
    const fm = loadPool(fashion);
    expect(fm.length).toBe(60000);
    c.trainSize = resolveTrainSize(c, fm.length);
    expect(c.trainSize).toBe(600);
    const d = prepareData(c, fm);
    expect(d.train.length).toBe(600);
    expect(d.record.source).toBe(fashion);
    expect(d.record.replaced).toHaveLength(600);
  });

  it('refuses more samples than the data has, and corrupt IDX files, before training', () => {
    expect(() => prepareData(cfg({ trainSize: 9500, heldOut: 1000 }), pool)).toThrow(
      /9500 training \+ 1000 held-out samples are more than the 10000 digits of the embedded MNIST sample/,
    );
    const dir = join(tmp, 'bad-idx');
    mkdirSync(dir);
    writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), gzipSync(Buffer.from([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2])));
    writeFileSync(join(dir, 'train-labels-idx1-ubyte'), Buffer.from([0, 0, 8, 1, 0, 0, 0, 2, 3, 4]));
    expect(() => loadPool(dir)).toThrow(UsageError);
    expect(() => loadPool(dir)).toThrow(/--data: readIdx: .*train-images-idx3-ubyte.gz: truncated/);
  });
});

describe('metrics', () => {
  it('weights each batch by its size: a short last batch counts for what it holds', () => {
    const acc = new EpochAccumulator();
    acc.add(2, 30, 32);
    acc.add(2, 30, 32);
    acc.add(0.5, 4, 4); // short last batch
    expect(acc.seen).toBe(68);
    expect(acc.loss).toBeCloseTo((2 * 64 + 0.5 * 4) / 68, 12);
    expect(acc.accuracy).toBe(64 / 68);
    expect(countCorrect([0.1, 0.9, 0.3, 5, 5, 1, 0, 0, 0], [1, 0, 2], 3)).toBe(2); // ties: the first maximum
  });

  it('slowdown: steps to reach 50% and 95% with random vs true labels', () => {
    const row = (epoch: number, trainAcc: number): EpochMetrics => ({
      epoch,
      steps: epoch * 10,
      trainLoss: 1,
      trainAcc,
      heldOutLoss: null,
      heldOutAcc: null,
      lr: 0.1,
      seconds: 1,
      samplesPerSec: 1,
      elapsed: epoch,
    });
    const random = [0.1, 0.2, 0.6, 0.9, 0.96].map((a, i) => row(i + 1, a));
    const truth = [0.7, 0.96].map((a, i) => row(i + 1, a));
    const [half, most] = slowdown(random, truth);
    expect(half).toMatchObject({ threshold: 0.5, random: { epoch: 3, steps: 30 }, true: { epoch: 1, steps: 10 }, ratio: 3 });
    expect(most).toMatchObject({ threshold: 0.95, random: { epoch: 5, steps: 50 }, true: { epoch: 2, steps: 20 }, ratio: 2.5 });
    expect(slowdown(random.slice(0, 2), truth)[0]).toMatchObject({ random: { epoch: null }, ratio: null });
    const csv = metricsCsv(random.slice(0, 1)).split('\n');
    expect(csv[0]).toBe('epoch,steps,trainLoss,trainAcc,heldOutLoss,heldOutAcc,lr,seconds,samplesPerSec,elapsed');
    expect(csv[1]).toBe('1,10,1,0.1,,,0.1,1,1,1');
    expect(parseMetricsJsonl(`${JSON.stringify(random[0])}\n`, 'x')).toEqual([random[0]]);
    expect(() => parseMetricsJsonl('{"epoch":1}\n', 'm.jsonl')).toThrow(/m.jsonl:1: not a metrics row/);
  });

  it('prints a bar on a terminal, plain lines otherwise', () => {
    const out: string[] = [];
    const info = { epoch: 1, epochs: 2, steps: 4, loss: 2.3, acc: 0.1, samplesPerSec: 100, eta: 65 };
    const plain = createProgress({ write: (s) => out.push(s), isTTY: false }, { logEvery: 2 });
    for (let step = 1; step <= 4; step++) plain.step({ ...info, step });
    expect(out).toEqual(['epoch 1/2 step 2/4 loss 2.3000 acc 0.1000 100 samples/s ETA 1:05\n']);
    const tty: string[] = [];
    const bar = createProgress({ write: (s) => tty.push(s), isTTY: true, columns: 120 });
    bar.step({ ...info, step: 4 });
    expect(tty[0].startsWith('\r\u001b[K')).toBe(true);
    expect(tty[0]).toMatch(/epoch 1\/2 \[=+\] 4\/4 loss 2.3000 acc 0.1000 100 samples\/s ETA 1:05$/);
    expect(formatDuration(3725)).toBe('1:02:05');
  });
});

describe('training', () => {
  let pool: MnistLike;
  beforeAll(() => {
    pool = loadPool(null);
  });
  const config = (over: Partial<MemorizeConfig>): MemorizeConfig => ({
    ...parseMemorizeArgs(['--model', 'mlp', '--width', '0.125', '--train-size', '100', '--held-out', '50', '--batch-size', '32']).config,
    ...over,
  });
  const sink = { write: () => {}, isTTY: false };

  it("an epoch's loss and accuracy are the sample-weighted mean and correct/all over its samples", async () => {
    // lr 0 keeps the weights fixed, so the epoch's running figures must equal one pass over the
    // 100 samples (batches 32, 32, 32 and a short 4).
    const c = config({ lr: 0, epochs: 1 });
    const data: RunData = prepareData(c, pool);
    const dir = join(tmp, 'bookkeeping');
    mkdirSync(dir);
    const outcome = await train({ dir, config: c, data, out: sink, logEvery: 0 });
    expect(outcome.status).toBe('finished');
    const [m] = outcome.metrics;
    const { model } = initModel(c, data);
    model.eval();
    const [x, y] = data.train.tensors as [Tensor, Tensor];
    const logits = model.call(x) as Tensor;
    const refLoss = crossEntropy(logits, y).item();
    const refCorrect = (logits.argmax({ dim: 1 }).eq(y).sum() as Tensor).item();
    expect(m.steps).toBe(4);
    expect(m.trainAcc).toBe(refCorrect / 100);
    expect(Math.abs(m.trainLoss - refLoss)).toBeLessThan(1e-6 * refLoss);
    const held = model.call(data.heldOutX) as Tensor;
    expect(m.heldOutAcc).toBe((held.argmax({ dim: 1 }).eq(data.heldOutY).sum() as Tensor).item() / 50);
    expect(Math.abs((m.heldOutLoss as number) - crossEntropy(held, data.heldOutY).item())).toBeLessThan(1e-5);
    expect(readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('continuing from an end-of-epoch checkpoint gives what an uninterrupted run gives (heavy ball, dropout)', async () => {
    const c = config({ optimizer: 'heavyball', lr: 0.05, momentum: 0.9, dropout: 0.3, epochs: 3 });
    const data = prepareData(c, pool);
    const a = join(tmp, 'straight');
    const b = join(tmp, 'in-steps');
    mkdirSync(a);
    mkdirSync(b);
    const straight = await train({ dir: a, config: c, data, out: sink, logEvery: 0 });
    expect((await train({ dir: b, config: { ...c, epochs: 1 }, data, out: sink, logEvery: 0 })).metrics).toHaveLength(1);
    expect((await train({ dir: b, config: { ...c, epochs: 2 }, data, out: sink, logEvery: 0 })).metrics).toHaveLength(2);
    const stepped = await train({ dir: b, config: c, data, out: sink, logEvery: 0 });
    const exact = (rows: EpochMetrics[]) => rows.map(({ seconds, samplesPerSec, elapsed, ...rest }) => rest);
    expect(exact(stepped.metrics)).toEqual(exact(straight.metrics));
    expect(readFileSync(join(b, 'model.safetensors')).equals(readFileSync(join(a, 'model.safetensors')))).toBe(true);
  });

  it('a non-finite loss stops the run with its epoch and step and keeps the last good checkpoint', async () => {
    const c = config({ epochs: 1, optimizer: 'adam', lr: 0.001, momentum: 0 });
    const data = prepareData(c, pool);
    const dir = join(tmp, 'diverge');
    mkdirSync(dir);
    expect((await train({ dir, config: c, data, out: sink, logEvery: 0 })).status).toBe('finished');
    // Poison the saved weights: the next step's loss is NaN.
    const ckpt = join(dir, 'checkpoint.safetensors');
    const { model, optimizer } = initModel(c, data);
    const identity = runIdentity(c, data);
    const state = loadCheckpoint(ckpt, model, optimizer, {
      identity,
      steps: Math.ceil(data.train.length / c.batchSize),
      samples: data.train.length,
    });
    (model.stateDict()['fc1.weight'].data as Float32Array)[0] = Number.NaN;
    saveCheckpoint(ckpt, model, optimizer, state, identity);
    const before = readFileSync(ckpt);
    const lines: string[] = [];
    const outcome = await train({
      dir,
      config: { ...c, epochs: 3 },
      data,
      out: { write: (s) => lines.push(s), isTTY: false },
      logEvery: 0,
    });
    expect(outcome.status).toBe('diverged');
    expect(outcome.message).toMatch(
      /^the loss became NaN at epoch 2, step 1; stopped \(the checkpoint of epoch 1 is kept in .*checkpoint.safetensors\)/,
    );
    expect(readFileSync(ckpt).equals(before)).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'status.json'), 'utf8'))).toMatchObject({ status: 'diverged', epoch: 1, step: 0 });
    expect(readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n')).toHaveLength(1);
  });
});
