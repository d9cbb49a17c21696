/**
 * The training loop of one memorization run, with everything that makes long runs dependable:
 * a checkpoint at the end of every epoch, a mid-epoch checkpoint when asked to stop (SIGINT, the
 * playground's Stop button), bit-identical continuation from either, and a stop at the first
 * non-finite loss that leaves the last good checkpoint in place.
 *
 * Browser-safe: where checkpoints, metrics and status go is a {@link RunStore} (train.ts: a run
 * folder; the playground: IndexedDB).
 *
 * Randomness: the data split and labels come from `Generator(seed)` (see data.ts); then
 * `manualSeed(seed)` and, from the global generator, the model's initial weights, each epoch's
 * shuffle (DataLoader, PyTorch-exact) and the dropout masks. The checkpoint stores the global
 * generator's state now and at the start of the epoch: resuming mid-epoch replays the epoch's
 * shuffle from the latter, skips the batches already done, and continues from the former.
 *
 * Devices: with `config.device` 'webgpu' the model trains there (`await initWebGpu()` first) and
 * each batch is moved there; the shuffles and dropout masks still come from the CPU generator, so
 * a run draws the same randomness on either device. Values are read with the async readers (loss
 * and logits once per step), and checkpoints and the final model are written from a CPU copy of
 * the model and optimizer, so they load on any device.
 */
import { autocast } from '../../src/autocast/autocast.js';
import { noGrad } from '../../src/autograd/grad-mode.js';
import { backend } from '../../src/backend/registry.js';
import { DataLoader } from '../../src/data/dataloader.js';
import { CrossEntropyLoss } from '../../src/nn/loss.js';
import type { Module } from '../../src/nn/module.js';
import { tensor } from '../../src/ops/creation.js';
import { Adam } from '../../src/optim/adam.js';
import { HeavyBall } from '../../src/optim/heavy-ball.js';
import type { Optimizer, ParamState } from '../../src/optim/optimizer.js';
import { SGD } from '../../src/optim/sgd.js';
import { defaultGenerator, type GeneratorState, manualSeed } from '../../src/random/generator.js';
import { Tensor } from '../../src/tensor/tensor.js';
import type { CheckpointState, TrainPosition } from './checkpoint-codec.js';
import type { MemorizeConfig } from './config.js';
import { NUM_CLASSES, type RunData } from './data.js';
import { countCorrect, EpochAccumulator, type EpochMetrics } from './metrics.js';
import { buildModel } from './models.js';
import { createProgress, formatDuration, type ProgressSink, type StepInfo } from './progress.js';

/** Set `stop` (from a SIGINT handler) to end the run after the current step, with a checkpoint. */
export interface StopSignal {
  stop: boolean;
}

/** How a run ended, or that it is running (status.json in a run folder). */
export interface RunStatusUpdate {
  status: TrainOutcome['status'] | 'running';
  epoch: number;
  step: number;
  message: string;
}

/**
 * Where a run keeps its state. Methods may return promises (IndexedDB); the loop awaits each
 * before going on, so a checkpoint is stored before training continues.
 */
export interface RunStore {
  /** Where the checkpoint is, for messages ("runs/a/checkpoint.safetensors"). */
  readonly where: string;
  /** Loads the latest checkpoint into `model` and `optimizer`; null when there is none yet. */
  loadCheckpoint(model: Module, optimizer: Optimizer): CheckpointState | null | Promise<CheckpointState | null>;
  /** Replaces the latest checkpoint; with `keepEpoch`, also keeps a copy for that epoch (`--save-every`). */
  saveCheckpoint(model: Module, optimizer: Optimizer, state: CheckpointState, keepEpoch?: number): void | Promise<void>;
  writeMetrics(rows: readonly EpochMetrics[]): void | Promise<void>;
  writeStatus(status: RunStatusUpdate): void | Promise<void>;
  /** Whether the trained model is stored (absent: assumed not, so a finished run stores it again). */
  hasModel?(): boolean | Promise<boolean>;
  /** The trained model at the end of the run. */
  saveModel(model: Module, metadata: Record<string, string>): void | Promise<void>;
}

export interface TrainLoopOptions {
  store: RunStore;
  config: MemorizeConfig;
  data: RunData;
  out: ProgressSink;
  /** Prefix of progress lines ("[random]" in a compare run). */
  label?: string;
  logEvery?: number | null;
  signal?: StopSignal;
  /** Called after each epoch's files are written (plots, report). */
  onEpoch?: (metrics: readonly EpochMetrics[]) => Promise<void>;
  /** Called after each training step. */
  onStep?: (info: StepInfo) => void;
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

// Yields to the event loop between steps, so that a stop request (SIGINT, a worker message) is seen.
const tick = () => new Promise<void>((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));

/**
 * Held-out loss (sample-weighted mean) and accuracy in eval mode. `x` and `y` are on the model's
 * device, `yHost` is `y` on the CPU (for counting); values are read once per batch, asynchronously.
 */
async function evaluate(
  model: Module,
  x: Tensor,
  y: Tensor,
  yHost: Tensor,
  batch: number,
  amp: <T>(fn: () => T) => T,
): Promise<{ loss: number | null; acc: number | null }> {
  const n = x.shape[0];
  if (n === 0) return { loss: null, acc: null };
  const lossFn = new CrossEntropyLoss();
  const acc = new EpochAccumulator();
  model.eval();
  try {
    for (let i = 0; i < n; i += batch) {
      const b = Math.min(batch, n - i);
      const [out, loss] = noGrad(() =>
        amp(() => {
          const out = model.call(x.narrow(0, i, b)) as Tensor;
          return [out, lossFn.call(out, y.narrow(0, i, b).contiguous())] as const;
        }),
      );
      const [lossValue, logits] = await Promise.all([loss.itemAsync(), out.dataAsync()]);
      acc.add(lossValue, countCorrect(logits, yHost.narrow(0, i, b).contiguous().data, NUM_CLASSES), b);
    }
  } finally {
    model.train();
  }
  return { loss: acc.loss, acc: acc.accuracy };
}

/** `t` on the CPU, read asynchronously when its device has no synchronous reads. */
async function toHost(t: Tensor): Promise<Tensor> {
  if (t.storage.device.memory.readSync !== undefined) return t;
  return tensor(await t.dataAsync(), { dtype: t.dtype }).reshape(t.shape);
}

/**
 * What the store writes from: `model` and `optimizer` themselves on a device with synchronous
 * reads, else `host` (their CPU twins) loaded with their values, read asynchronously.
 */
async function hostCopy(model: Module, optimizer: Optimizer, host: { model: Module; optimizer: Optimizer } | null) {
  if (host === null) return { model, optimizer };
  const weights: Record<string, Tensor> = {};
  for (const [k, v] of Object.entries(model.stateDict())) weights[k] = await toHost(v);
  host.model.loadStateDict(weights);
  const sd = optimizer.stateDict();
  const state: Record<string, ParamState> = {};
  for (const [idx, s] of Object.entries(sd.state)) {
    state[idx] = {};
    for (const [k, v] of Object.entries(s)) state[idx][k] = v instanceof Tensor ? await toHost(v) : v;
  }
  host.optimizer.loadStateDict({ state, paramGroups: sd.paramGroups });
  return host;
}

const zeroPartial = () => ({ lossSum: 0, correct: 0, seen: 0, seconds: 0 });

/**
 * Trains (or continues) a run to `config.epochs`, continuing from the store's checkpoint when
 * there is one. Resolves with how it ended; stores checkpoint, metrics and status as it goes.
 */
export async function trainLoop(opts: TrainLoopOptions): Promise<TrainOutcome> {
  const { store, config, data, out } = opts;
  const signal = opts.signal ?? { stop: false };
  const prefix = [opts.label, config.device !== undefined && config.device !== 'cpu' ? `[${config.device}]` : '']
    .filter((s) => s)
    .join(' ');
  const progress = createProgress(out, { prefix, logEvery: opts.logEvery });

  const device = config.device ?? 'cpu';
  const { model, optimizer } = initModel(config, data);
  // The CPU twins that checkpoints are written from; initModel reseeds, so the generator ends
  // in the same state either way.
  const host = device === 'cpu' ? null : initModel(config, data);
  // Moved before the checkpoint is loaded, so the optimizer's loaded state lands on the device.
  if (device !== 'cpu') model.to(device);
  const onDevice = (t: Tensor) => (device === 'cpu' ? t : t.to(device));
  const backendName = device === 'cpu' ? backend().name : device;
  let position: TrainPosition = { epoch: 0, step: 0, globalStep: 0, partial: zeroPartial(), elapsed: 0 };
  let rng: GeneratorState = defaultGenerator.getState();
  let epochRng: GeneratorState | null = null;
  let metrics: EpochMetrics[] = [];
  const state = await store.loadCheckpoint(model, optimizer);
  if (state !== null) {
    position = state.position;
    rng = state.rng;
    epochRng = state.epochRng;
    metrics = state.metrics;
    const where = position.step > 0 ? `epoch ${position.epoch + 1}, step ${position.step}` : `the end of epoch ${position.epoch}`;
    progress.line(`resuming from ${where} (${store.where})`);
  }
  // Stored metrics follow the checkpoint (a kill between the two writes leaves them ahead).
  await store.writeMetrics(metrics);

  const loader = new DataLoader(data.train, { batchSize: config.batchSize, shuffle: true });
  const steps = loader.length;
  const n = data.train.length;
  const lossFn = new CrossEntropyLoss();
  const evalBatch = Math.max(config.batchSize, 250);
  // --precision bf16: forward passes (and so their backward) in bf16 autocast, as PyTorch's AMP recipe.
  const amp = <T>(fn: () => T): T => (config.precision === 'bf16' ? autocast({ deviceType: 'cpu', dtype: 'bfloat16' }, fn) : fn());
  const epochs = config.epochs;
  let globalStep = position.globalStep;
  let elapsed = position.elapsed;

  const checkpoint = (at: TrainPosition, now: GeneratorState, start: GeneratorState | null, keepEpoch?: number) => {
    const state: CheckpointState = { position: at, rng: now, epochRng: start, metrics };
    return hostCopy(model, optimizer, host).then((h) => store.saveCheckpoint(h.model, h.optimizer, state, keepEpoch));
  };
  const saveModel = async (epochs: number) => {
    const h = await hostCopy(model, optimizer, host);
    await store.saveModel(h.model, { epochs: String(epochs), backend: backendName });
  };
  const heldOutX = onDevice(data.heldOutX);
  const heldOutY = onDevice(data.heldOutY);
  const status = (s: RunStatusUpdate['status'], epoch: number, step: number, message: string) =>
    store.writeStatus({ status: s, epoch, step, message });

  if (position.epoch >= epochs) {
    const message = `already trained for ${position.epoch} epochs (pass --epochs N with --resume to train longer)`;
    // A kill while the final model was stored leaves the last checkpoint, which holds the same weights.
    if (!(await store.hasModel?.())) await saveModel(position.epoch);
    await status('finished', position.epoch, 0, finishedMessage(metrics, position.epoch));
    return { status: 'finished', metrics, epoch: position.epoch, step: 0, message };
  }
  await status('running', position.epoch, position.step, 'running');
  model.train();

  for (let epoch = position.epoch + 1; epoch <= epochs; epoch++) {
    const resumingMidEpoch = epoch === position.epoch + 1 && position.step > 0;
    const startStep = resumingMidEpoch ? position.step : 0;
    const acc = new EpochAccumulator(resumingMidEpoch ? position.partial : undefined);
    let seconds = resumingMidEpoch ? position.partial.seconds : 0;
    if (epoch === position.epoch + 1) defaultGenerator.setState(resumingMidEpoch && epochRng ? epochRng : rng);
    if (signal.stop) {
      const message = `stopped before epoch ${epoch}`;
      await status('stopped', epoch - 1, 0, message);
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
      const [xHost, yHost] = batches.next().value as [Tensor, Tensor];
      optimizer.zeroGrad();
      const [logits, loss] = amp(() => {
        const logits = model.call(onDevice(xHost)) as Tensor;
        return [logits, lossFn.call(logits, onDevice(yHost))] as const;
      });
      // One read per step: the loss and the logits (for the accuracy) together.
      const [lossValue, logitsData] = await Promise.all([loss.itemAsync(), logits.dataAsync()]);
      if (!Number.isFinite(lossValue)) {
        const last =
          metrics.length > 0 ? `the checkpoint of epoch ${metrics.length} is kept in ${store.where}` : 'no checkpoint was written';
        const message = `the loss became ${lossValue} at epoch ${epoch}, step ${s + 1}; stopped (${last}). Try a smaller --lr.`;
        progress.clear();
        await status('diverged', epoch - 1, s, message);
        return { status: 'diverged', metrics, epoch: epoch - 1, step: s, message };
      }
      loss.backward();
      optimizer.step();
      acc.add(lossValue, countCorrect(logitsData, yHost.data, NUM_CLASSES), yHost.shape[0]);
      globalStep++;
      const dt = (performance.now() - t0) / 1000;
      seconds += dt;
      elapsed += dt;
      const done = s + 1;
      const rate = acc.seen / Math.max(seconds, 1e-9);
      const info: StepInfo = {
        epoch,
        epochs,
        step: done,
        steps,
        loss: acc.loss,
        acc: acc.accuracy,
        samplesPerSec: rate,
        eta: ((steps - done) * seconds) / Math.max(done - startStep, 1),
      };
      progress.step(info);
      opts.onStep?.(info);
      await tick();
      if (signal.stop && done < steps) {
        const at: TrainPosition = {
          epoch: epoch - 1,
          step: done,
          globalStep,
          partial: { lossSum: acc.lossSum, correct: acc.correct, seen: acc.seen, seconds },
          elapsed,
        };
        await checkpoint(at, defaultGenerator.getState(), startRng);
        const message = `stopped at epoch ${epoch}, step ${done}/${steps}; checkpoint saved`;
        progress.clear();
        await status('stopped', epoch - 1, done, message);
        return { status: 'stopped', metrics, epoch: epoch - 1, step: done, message };
      }
    }
    const t1 = performance.now();
    const held = await evaluate(model, heldOutX, heldOutY, data.heldOutY, evalBatch, amp);
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
    await checkpoint(at, now, null, config.saveEvery > 0 && epoch % config.saveEvery === 0 ? epoch : undefined);
    await store.writeMetrics(metrics);
    const eta = ((epochs - epoch) * elapsed) / epoch;
    const heldText = held.acc === null ? '' : ` | held-out loss ${held.loss?.toFixed(4)} acc ${held.acc.toFixed(4)}`;
    progress.line(
      `epoch ${epoch}/${epochs}  train loss ${row.trainLoss.toFixed(4)} acc ${row.trainAcc.toFixed(4)}${heldText} | ${seconds.toFixed(1)} s, ${Math.round(
        row.samplesPerSec,
      )} samples/s${epoch < epochs ? `, ETA ${formatDuration(eta)}` : ''}`,
    );
    await status('running', epoch, 0, 'running');
    await opts.onEpoch?.(metrics);
  }
  await saveModel(epochs);
  const message = finishedMessage(metrics, epochs);
  await status('finished', epochs, 0, message);
  return { status: 'finished', metrics, epoch: epochs, step: 0, message };
}

/** "finished 60 epochs: train accuracy 100.0%, held-out 9.1%". */
function finishedMessage(metrics: readonly EpochMetrics[], epochs: number): string {
  const last = metrics.at(-1);
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  const held = last?.heldOutAcc === null || last?.heldOutAcc === undefined ? '' : `, held-out ${pct(last.heldOutAcc)}`;
  return `finished ${epochs} epoch${epochs === 1 ? '' : 's'}: train accuracy ${last ? pct(last.trainAcc) : '–'}${held}`;
}
