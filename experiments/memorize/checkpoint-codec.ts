/**
 * What a memorization checkpoint holds, as safetensors tensors and metadata (browser-safe): the
 * model's tensors (`model.<name>`), the optimizer's state tensors (`optimizer.<param index>.<key>`),
 * and, as JSON in the metadata, everything else needed to continue bit for bit: the position in
 * the data order, the global generator's state (and its state when the epoch began, from which
 * the epoch's shuffle is replayed), the optimizer's scalar state and options, the partial epoch's
 * sums and the metrics so far. checkpoint.ts writes and reads these as files; the playground keeps
 * the same bytes in IndexedDB.
 */
import type { Module } from '../../src/nn/module.js';
import type { Optimizer, OptimizerStateDict, ParamState } from '../../src/optim/optimizer.js';
import type { GeneratorState } from '../../src/random/generator.js';
import { Tensor } from '../../src/tensor/tensor.js';
import type { EpochMetrics } from './metrics.js';

export const CHECKPOINT_FORMAT = 'nabla-memorize-checkpoint/2';

/** Where training stands: epochs done, steps into the next epoch, running sums of that epoch. */
export interface TrainPosition {
  /** Completed epochs. */
  epoch: number;
  /** Steps done in epoch `epoch + 1` (0 at an epoch boundary). */
  step: number;
  /** Optimizer steps since the start. */
  globalStep: number;
  /** Sums over the partial epoch's batches (all zero at a boundary). */
  partial: { lossSum: number; correct: number; seen: number; seconds: number };
  /** Seconds spent training so far (wall clock, excluding start-up). */
  elapsed: number;
}

export interface CheckpointState {
  position: TrainPosition;
  /** The global generator now. */
  rng: GeneratorState;
  /** The global generator when epoch `epoch + 1` began (null at a boundary: equal to `rng`). */
  epochRng: GeneratorState | null;
  metrics: EpochMetrics[];
}

interface Meta extends CheckpointState {
  format: string;
  optimizer: { paramGroups: OptimizerStateDict['paramGroups']; scalars: Record<string, Record<string, number | null>> };
}

/** The metadata key that holds the run state. */
export const META_KEY = 'nabla.memorize';

/** What a checkpoint's position must fit: the run's optimizer steps and training samples per epoch. */
export interface PositionExpect {
  steps: number;
  samples: number;
}

/** The model, optimizer and run state as safetensors tensors and metadata. */
export function encodeCheckpoint(
  model: Module,
  optimizer: Optimizer,
  state: CheckpointState,
): { tensors: Record<string, Tensor>; metadata: Record<string, string> } {
  const tensors: Record<string, Tensor> = {};
  for (const [k, v] of Object.entries(model.stateDict())) tensors[`model.${k}`] = v;
  const sd = optimizer.stateDict();
  const scalars: Meta['optimizer']['scalars'] = {};
  for (const [idx, s] of Object.entries(sd.state)) {
    for (const [k, v] of Object.entries(s)) {
      if (v instanceof Tensor) tensors[`optimizer.${idx}.${k}`] = v;
      else {
        scalars[idx] ??= {};
        scalars[idx][k] = v;
      }
    }
  }
  const meta: Meta = { format: CHECKPOINT_FORMAT, ...state, optimizer: { paramGroups: sd.paramGroups, scalars } };
  return { tensors, metadata: { [META_KEY]: JSON.stringify(meta) } };
}

/** Parses and checks the run state in checkpoint metadata; errors start with `where` (the file). */
export function readCheckpointMeta(metadata: Record<string, string> | null | undefined, where: string): Meta {
  let meta: Meta;
  try {
    meta = JSON.parse(metadata?.[META_KEY] ?? 'null') as Meta;
  } catch {
    throw new Error(`${where}: the checkpoint's run state is not valid JSON`);
  }
  if (typeof meta !== 'object' || meta === null || meta.format !== CHECKPOINT_FORMAT)
    throw new Error(`${where}: not a nabla memorize checkpoint (${CHECKPOINT_FORMAT})`);
  return meta;
}

/**
 * Loads checkpoint tensors and metadata into `model` and `optimizer` (which must have the run's
 * architecture) and returns the run state; errors start with `where` (the file). With `expect`,
 * a position training cannot be at (negative epoch, a step past the epoch's end, sums that do
 * not add up) is refused before anything is loaded.
 */
export function decodeCheckpoint(
  tensors: Record<string, Tensor>,
  metadata: Record<string, string> | null | undefined,
  model: Module,
  optimizer: Optimizer,
  where: string,
  expect?: PositionExpect,
): CheckpointState {
  const meta = readCheckpointMeta(metadata, where);
  checkShape(where, meta);
  if (expect !== undefined) checkPosition(where, meta, expect);
  const modelState: Record<string, Tensor> = {};
  const optState: Record<string, ParamState> = {};
  for (const [k, v] of Object.entries(tensors)) {
    if (k.startsWith('model.')) modelState[k.slice(6)] = v;
    else if (k.startsWith('optimizer.')) {
      const rest = k.slice(10);
      const dot = rest.indexOf('.');
      const idx = rest.slice(0, dot);
      optState[idx] ??= {};
      optState[idx][rest.slice(dot + 1)] = v;
    }
  }
  for (const [idx, s] of Object.entries(meta.optimizer.scalars)) {
    optState[idx] ??= {};
    Object.assign(optState[idx], s);
  }
  try {
    model.loadStateDict(modelState);
    optimizer.loadStateDict({ state: optState, paramGroups: meta.optimizer.paramGroups });
  } catch (e) {
    throw new Error(`${where}: ${(e as Error).message}`);
  }
  return { position: meta.position, rng: meta.rng, epochRng: meta.epochRng, metrics: meta.metrics };
}

const impossible = (where: string, what: string) =>
  new Error(`${where}: the checkpoint's run state has an impossible ${what}; it was not used`);

/** Checks that the run state has the fields decoding reads, so a damaged one fails with the file's name. */
function checkShape(where: string, meta: Meta): void {
  if (typeof meta.position !== 'object' || meta.position === null) throw impossible(where, 'position');
  if (!Array.isArray(meta.metrics)) throw impossible(where, 'metrics (one row per completed epoch)');
  if (typeof meta.rng !== 'object' || meta.rng === null) throw impossible(where, 'generator state');
  const o = meta.optimizer;
  if (typeof o !== 'object' || o === null || !Array.isArray(o.paramGroups) || typeof o.scalars !== 'object' || o.scalars === null)
    throw impossible(where, 'optimizer state');
}

/** Checks that the checkpoint's position is one training can be at. */
function checkPosition(where: string, meta: Meta, expect: PositionExpect): void {
  const bad = (what: string) => impossible(where, what);
  const p = meta.position as Partial<TrainPosition>;
  const count = (v: unknown, max = Number.MAX_SAFE_INTEGER) => Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= max;
  const amount = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
  if (!count(p.epoch)) throw bad(`epoch (${p.epoch})`);
  if (!count(p.step, expect.steps - 1)) throw bad(`step (${p.step}; an epoch has ${expect.steps})`);
  if (p.globalStep !== (p.epoch as number) * expect.steps + (p.step as number)) throw bad(`step count (${p.globalStep})`);
  if (!amount(p.elapsed)) throw bad('elapsed time');
  const q = p.partial;
  if (
    typeof q !== 'object' ||
    q === null ||
    !amount(q.lossSum) ||
    !amount(q.seconds) ||
    !count(q.seen, expect.samples) ||
    !count(q.correct, q.seen)
  )
    throw bad('partial epoch');
  if ((p.step === 0) !== (q.seen === 0)) throw bad('partial epoch');
  if (meta.metrics.length !== p.epoch || meta.metrics.some((m, i) => m?.epoch !== i + 1))
    throw bad('metrics (one row per completed epoch)');
  if ((p.step as number) > 0 && (typeof meta.epochRng !== 'object' || meta.epochRng === null)) throw bad('generator state');
}
