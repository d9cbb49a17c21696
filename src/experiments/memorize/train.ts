/**
 * The training loop of one memorization run, with everything that makes long runs dependable:
 * a checkpoint at the end of every epoch (atomic), a mid-epoch checkpoint when asked to stop
 * (SIGINT), bit-identical continuation from either, and a stop at the first non-finite loss that
 * leaves the last good checkpoint in place.
 *
 * Randomness: the data split and labels come from `Generator(seed)` (see data.ts); then
 * `manualSeed(seed)` and, from the global generator, the model's initial weights, each epoch's
 * shuffle (DataLoader, PyTorch-exact) and the dropout masks. The checkpoint stores the global
 * generator's state now and at the start of the epoch: resuming mid-epoch replays the epoch's
 * shuffle from the latter, skips the batches already done, and continues from the former.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { noGrad } from '../../autograd/grad-mode.js';
import { backend } from '../../backend/registry.js';
import { DataLoader } from '../../data/dataloader.js';
import { CrossEntropyLoss } from '../../nn/loss.js';
import type { Module } from '../../nn/module.js';
import { writeFileAtomic } from '../../node/atomic.js';
import { save } from '../../node/checkpoint.js';
import { Adam } from '../../optim/adam.js';
import { HeavyBall } from '../../optim/heavy-ball.js';
import type { Optimizer } from '../../optim/optimizer.js';
import { SGD } from '../../optim/sgd.js';
import { defaultGenerator, type GeneratorState, manualSeed } from '../../random/generator.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type CheckpointState, loadCheckpoint, runIdentity, saveCheckpoint, type TrainPosition } from './checkpoint.js';
import { NUM_CLASSES, type RunData } from './data.js';
import { countCorrect, EpochAccumulator, type EpochMetrics } from './metrics.js';
import { buildModel } from './models.js';
import type { MemorizeConfig } from './options.js';
import { createProgress, formatDuration, type ProgressSink } from './progress.js';
import { FILES, readMetrics, readStatus, writeMetrics, writeStatus } from './run-dir.js';

/** Set `stop` (from a SIGINT handler) to end the run after the current step, with a checkpoint. */
export interface StopSignal {
  stop: boolean;
}

export interface TrainOptions {
  dir: string;
  config: MemorizeConfig;
  data: RunData;
  out: ProgressSink;
  /** Prefix of progress lines ("[random]" in a compare run). */
  label?: string;
  logEvery?: number | null;
  signal?: StopSignal;
  /** Called after each epoch's files are written (plots, report). */
  onEpoch?: (metrics: readonly EpochMetrics[]) => Promise<void>;
}

export interface TrainOutcome {
  status: 'finished' | 'stopped' | 'diverged';
  metrics: EpochMetrics[];
  /** Completed epochs, and steps into the next one. */
  epoch: number;
  step: number;
  message: string;
}

export function makeOptimizer(config: MemorizeConfig, params: Iterable<Tensor>): Optimizer {
  const { lr, momentum, weightDecay } = config;
  switch (config.optimizer) {
    case 'sgd':
      return new SGD(params, { lr, momentum, weightDecay }) as unknown as Optimizer;
    case 'heavyball':
      return new HeavyBall(params, { lr, momentum, weightDecay }) as unknown as Optimizer;
    case 'adam':
      return new Adam(params, { lr, weightDecay }) as unknown as Optimizer;
  }
}

/** The run's model and optimizer, freshly initialized from the seed. */
export function initModel(config: MemorizeConfig, data: Pick<RunData, 'height' | 'width'>): { model: Module; optimizer: Optimizer } {
  manualSeed(config.seed);
  const model = buildModel({
    model: config.model,
    width: config.width,
    dropout: config.dropout,
    height: data.height,
    imageWidth: data.width,
  });
  return { model, optimizer: makeOptimizer(config, model.parameters()) };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Held-out loss (sample-weighted mean) and accuracy in eval mode. */
function evaluate(model: Module, x: Tensor, y: Tensor, batch: number): { loss: number | null; acc: number | null } {
  const n = x.shape[0];
  if (n === 0) return { loss: null, acc: null };
  const lossFn = new CrossEntropyLoss();
  const acc = new EpochAccumulator();
  model.eval();
  noGrad(() => {
    for (let i = 0; i < n; i += batch) {
      const b = Math.min(batch, n - i);
      const xb = x.narrow(0, i, b);
      const yb = y.narrow(0, i, b).contiguous();
      const out = model.call(xb) as Tensor;
      acc.add(lossFn.call(out, yb).item(), countCorrect(out.contiguous().data, yb.data, NUM_CLASSES), b);
    }
  });
  model.train();
  return { loss: acc.loss, acc: acc.accuracy };
}

const zeroPartial = () => ({ lossSum: 0, correct: 0, seen: 0, seconds: 0 });

/** A run's model and optimizer, restored from its checkpoint when it has one. */
export interface OpenedRun {
  model: Module;
  optimizer: Optimizer;
  /** The checkpoint's run state, or null for a fresh start. */
  state: CheckpointState | null;
  identity: string;
  steps: number;
}

/**
 * Builds the run's model and optimizer and restores the folder's checkpoint into them, checking
 * it (digest, identity, position). A run that has recorded epochs (metrics.jsonl, status.json)
 * but lost its checkpoint is an error, never a silent restart. Writes nothing.
 */
export function openRun(dir: string, config: MemorizeConfig, data: RunData): OpenedRun {
  const ckptPath = join(dir, FILES.checkpoint);
  const { model, optimizer } = initModel(config, data);
  const identity = runIdentity(config, data);
  const steps = Math.ceil(data.train.length / config.batchSize);
  if (!existsSync(ckptPath)) {
    const recorded = Math.max(readMetrics(dir).length, readStatus(dir)?.epoch ?? 0);
    const midEpoch = (readStatus(dir)?.step ?? 0) > 0;
    if (recorded > 0 || midEpoch || existsSync(join(dir, FILES.model))) {
      throw new Error(
        `${ckptPath} is missing, but this run has already trained (${recorded} epoch${recorded === 1 ? '' : 's'} recorded); restore the checkpoint (or a copy from ${FILES.checkpoints}/) to continue, or start a new run. Nothing was changed.`,
      );
    }
    return { model, optimizer, state: null, identity, steps };
  }
  const state = loadCheckpoint(ckptPath, model, optimizer, { identity, steps, samples: data.train.length });
  return { model, optimizer, state, identity, steps };
}

/**
 * Trains (or continues) the run in `dir` to `config.epochs`. Continues from the folder's
 * checkpoint when there is one. Resolves with how it ended; writes checkpoint, metrics and
 * status as it goes. Every way out that can still write leaves a final status: 'failed' with
 * the error when one escapes, 'interrupted' when the process exits mid-run.
 */
export async function train(opts: TrainOptions): Promise<TrainOutcome> {
  const opened = openRun(opts.dir, opts.config, opts.data);
  let final = false;
  let lastStatus = { epoch: opened.state?.position.epoch ?? 0, step: opened.state?.position.step ?? 0 };
  const onExit = () => {
    if (!final)
      bestEffort(() => writeStatus(opts.dir, { ...lastStatus, status: 'interrupted', message: 'interrupted: the process exited mid-run' }));
  };
  process.on('exit', onExit);
  try {
    const outcome = await trainOpened(opts, opened, (epoch, step) => {
      lastStatus = { epoch, step };
    });
    final = true;
    return outcome;
  } catch (e) {
    final = true;
    bestEffort(() => writeStatus(opts.dir, { ...lastStatus, status: 'failed', message: `failed: ${(e as Error).message}` }));
    throw e;
  } finally {
    process.off('exit', onExit);
  }
}

function bestEffort(write: () => void): void {
  try {
    write();
  } catch {
    // the disk may be full or gone; the error that ended the run is what gets reported
  }
}

async function trainOpened(
  opts: TrainOptions,
  opened: OpenedRun,
  onPosition: (epoch: number, step: number) => void,
): Promise<TrainOutcome> {
  const { dir, config, data, out } = opts;
  const signal = opts.signal ?? { stop: false };
  const progress = createProgress(out, { prefix: opts.label, logEvery: opts.logEvery });
  const ckptPath = join(dir, FILES.checkpoint);
  const { model, optimizer, identity } = opened;
  let position: TrainPosition = { epoch: 0, step: 0, globalStep: 0, partial: zeroPartial(), elapsed: 0 };
  let rng: GeneratorState = defaultGenerator.getState();
  let epochRng: GeneratorState | null = null;
  let metrics: EpochMetrics[] = [];
  if (opened.state !== null) {
    ({ position, rng, epochRng, metrics } = opened.state);
    const where = position.step > 0 ? `epoch ${position.epoch + 1}, step ${position.step}` : `the end of epoch ${position.epoch}`;
    progress.line(`resuming from ${where} (${ckptPath})`);
  }
  // Metrics on disk follow the checkpoint (a kill between the two writes leaves them ahead).
  writeMetrics(dir, metrics);
  // A kill between the checkpoint and its --save-every copy lost the copy; the checkpoint is it.
  const copy = epochCopy(dir, position.epoch);
  if (
    opts.config.saveEvery > 0 &&
    position.step === 0 &&
    position.epoch > 0 &&
    position.epoch % opts.config.saveEvery === 0 &&
    !existsSync(copy)
  ) {
    mkdirSync(join(dir, FILES.checkpoints), { recursive: true });
    writeFileAtomic(copy, readFileSync(ckptPath));
  }

  const loader = new DataLoader(data.train, { batchSize: config.batchSize, shuffle: true });
  const steps = loader.length;
  const n = data.train.length;
  const lossFn = new CrossEntropyLoss();
  const evalBatch = Math.max(config.batchSize, 250);
  const epochs = config.epochs;
  let globalStep = position.globalStep;
  let elapsed = position.elapsed;

  const checkpoint = (path: string, at: TrainPosition, now: GeneratorState, start: GeneratorState | null) => {
    const state: CheckpointState = { position: at, rng: now, epochRng: start, metrics };
    saveCheckpoint(path, model, optimizer, state, identity);
  };
  const status = (s: TrainOutcome['status'] | 'running', epoch: number, step: number, message: string) => {
    onPosition(epoch, step);
    writeStatus(dir, { status: s, epoch, step, message });
  };
  const modelPath = join(dir, FILES.model);
  const saveModel = (trained: number) => save(model.stateDict(), modelPath, { epochs: String(trained), backend: backend().name });

  if (position.epoch >= epochs) {
    const message = `already trained for ${position.epoch} epochs (pass --epochs N with --resume to train longer)`;
    // A kill while the final model was written leaves the last checkpoint, which holds the same weights.
    if (!existsSync(modelPath)) saveModel(position.epoch);
    status('finished', position.epoch, 0, finishedMessage(metrics, position.epoch));
    return { status: 'finished', metrics, epoch: position.epoch, step: 0, message };
  }
  status('running', position.epoch, position.step, 'running');
  model.train();

  for (let epoch = position.epoch + 1; epoch <= epochs; epoch++) {
    const resumingMidEpoch = epoch === position.epoch + 1 && position.step > 0;
    const startStep = resumingMidEpoch ? position.step : 0;
    const acc = new EpochAccumulator(resumingMidEpoch ? position.partial : undefined);
    let seconds = resumingMidEpoch ? position.partial.seconds : 0;
    if (epoch === position.epoch + 1) defaultGenerator.setState(resumingMidEpoch && epochRng ? epochRng : rng);
    if (signal.stop) {
      const message = `stopped before epoch ${epoch}`;
      status('stopped', epoch - 1, 0, message);
      return { status: 'stopped', metrics, epoch: epoch - 1, step: 0, message };
    }
    const startRng = defaultGenerator.getState();
    const batches = loader[Symbol.iterator]();
    if (resumingMidEpoch) {
      for (let s = 0; s < startStep; s++) batches.next();
      defaultGenerator.setState(rng);
    }
    for (let s = startStep; s < steps; s++) {
      const t0 = performance.now();
      const [x, y] = batches.next().value as [Tensor, Tensor];
      optimizer.zeroGrad();
      const logits = model.call(x) as Tensor;
      const loss = lossFn.call(logits, y);
      const lossValue = loss.item();
      if (!Number.isFinite(lossValue)) {
        const last = metrics.length > 0 ? `the checkpoint of epoch ${metrics.length} is kept in ${ckptPath}` : 'no checkpoint was written';
        const message = `the loss became ${lossValue} at epoch ${epoch}, step ${s + 1}; stopped (${last}). Try a smaller --lr.`;
        progress.clear();
        status('diverged', epoch - 1, s, message);
        return { status: 'diverged', metrics, epoch: epoch - 1, step: s, message };
      }
      loss.backward();
      optimizer.step();
      acc.add(lossValue, countCorrect(logits.data, y.data, NUM_CLASSES), y.shape[0]);
      globalStep++;
      const dt = (performance.now() - t0) / 1000;
      seconds += dt;
      elapsed += dt;
      const done = s + 1;
      const rate = acc.seen / Math.max(seconds, 1e-9);
      progress.step({
        epoch,
        epochs,
        step: done,
        steps,
        loss: acc.loss,
        acc: acc.accuracy,
        samplesPerSec: rate,
        eta: ((steps - done) * seconds) / Math.max(done - startStep, 1),
      });
      await tick();
      if (signal.stop && done < steps) {
        const at: TrainPosition = {
          epoch: epoch - 1,
          step: done,
          globalStep,
          partial: { lossSum: acc.lossSum, correct: acc.correct, seen: acc.seen, seconds },
          elapsed,
        };
        checkpoint(ckptPath, at, defaultGenerator.getState(), startRng);
        const message = `stopped at epoch ${epoch}, step ${done}/${steps}; checkpoint saved`;
        progress.clear();
        status('stopped', epoch - 1, done, message);
        return { status: 'stopped', metrics, epoch: epoch - 1, step: done, message };
      }
    }
    const t1 = performance.now();
    const held = evaluate(model, data.heldOutX, data.heldOutY, evalBatch);
    elapsed += (performance.now() - t1) / 1000;
    const row: EpochMetrics = {
      epoch,
      steps: globalStep,
      trainLoss: acc.loss,
      trainAcc: acc.accuracy,
      heldOutLoss: held.loss,
      heldOutAcc: held.acc,
      lr: optimizer.paramGroups[0].lr,
      seconds,
      samplesPerSec: n / Math.max(seconds, 1e-9),
      elapsed,
    };
    metrics.push(row);
    const at: TrainPosition = { epoch, step: 0, globalStep, partial: zeroPartial(), elapsed };
    const now = defaultGenerator.getState();
    checkpoint(ckptPath, at, now, null);
    if (config.saveEvery > 0 && epoch % config.saveEvery === 0) {
      mkdirSync(join(dir, FILES.checkpoints), { recursive: true });
      checkpoint(epochCopy(dir, epoch), at, now, null);
    }
    writeMetrics(dir, metrics);
    const eta = ((epochs - epoch) * elapsed) / epoch;
    const heldText = held.acc === null ? '' : ` | held-out loss ${held.loss?.toFixed(4)} acc ${held.acc.toFixed(4)}`;
    progress.line(
      `epoch ${epoch}/${epochs}  train loss ${row.trainLoss.toFixed(4)} acc ${row.trainAcc.toFixed(4)}${heldText} | ${seconds.toFixed(1)} s, ${Math.round(
        row.samplesPerSec,
      )} samples/s${epoch < epochs ? `, ETA ${formatDuration(eta)}` : ''}`,
    );
    status('running', epoch, 0, 'running');
    await opts.onEpoch?.(metrics);
  }
  saveModel(epochs);
  const message = finishedMessage(metrics, epochs);
  status('finished', epochs, 0, message);
  return { status: 'finished', metrics, epoch: epochs, step: 0, message };
}

/** checkpoints/epoch-NNN.safetensors, the --save-every copy of epoch `epoch`. */
function epochCopy(dir: string, epoch: number): string {
  return join(dir, FILES.checkpoints, `epoch-${String(epoch).padStart(3, '0')}.safetensors`);
}

/** "finished 60 epochs: train accuracy 100.0%, held-out 9.1%". */
function finishedMessage(metrics: readonly EpochMetrics[], epochs: number): string {
  const last = metrics.at(-1);
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  const held = last?.heldOutAcc === null || last?.heldOutAcc === undefined ? '' : `, held-out ${pct(last.heldOutAcc)}`;
  return `finished ${epochs} epoch${epochs === 1 ? '' : 's'}: train accuracy ${last ? pct(last.trainAcc) : '–'}${held}`;
}
