/**
 * The training checkpoint of a memorization run: one safetensors file with the model's tensors
 * (`model.<name>`), the optimizer's state tensors (`optimizer.<param index>.<key>`), and, as JSON
 * in the metadata, everything else needed to continue bit for bit: the position in the data
 * order, the global generator's state (and its state when the epoch began, from which the
 * epoch's shuffle is replayed), the optimizer's scalar state and options, the partial epoch's
 * sums and the metrics so far. Written atomically (temp file + fsync + rename).
 *
 * Two SHA-256 digests guard a resume: `identity`, of what defines the run (the config fields that
 * cannot change on resume, the labels and the data), so a checkpoint from another run (another
 * seed, other data) is refused; and `nabla.memorize.sha256`, of the file's tensors and run state,
 * so a damaged checkpoint (a flipped byte) is refused rather than trained on.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { Module } from '../../nn/module.js';
import { loadWithMetadata, save } from '../../node/checkpoint.js';
import type { Optimizer, OptimizerStateDict, ParamState } from '../../optim/optimizer.js';
import type { GeneratorState } from '../../random/generator.js';
import { Tensor } from '../../tensor/tensor.js';
import type { RunData } from './data.js';
import type { EpochMetrics } from './metrics.js';
import type { MemorizeConfig } from './options.js';

export const CHECKPOINT_FORMAT = 'nabla-memorize-checkpoint/2';
const DIGEST_KEY = 'nabla.memorize.sha256';

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
  /** {@link runIdentity} of the run that wrote it. */
  identity: string;
  optimizer: { paramGroups: OptimizerStateDict['paramGroups']; scalars: Record<string, Record<string, number | null>> };
}

/** What a checkpoint must match to be resumed: the run's identity and its data's size. */
export interface CheckpointExpect {
  identity: string;
  /** Optimizer steps per epoch. */
  steps: number;
  /** Training samples per epoch. */
  samples: number;
}

/**
 * SHA-256 (hex) of what defines a run: the config without what `--resume` may change (epochs,
 * threads, checkpoint copies) or where the data lives, the label record, and the bytes of the
 * training and held-out tensors.
 */
export function runIdentity(config: MemorizeConfig, data: RunData): string {
  const { epochs: _e, threads: _t, saveEvery: _s, data: _d, fraction: _f, compare: _c, preset: _p, ...defining } = config;
  const h = createHash('sha256');
  const keys = Object.keys(defining).sort() as (keyof typeof defining)[];
  h.update(JSON.stringify(keys.map((k) => [k, defining[k]])));
  const { source: _src, ...record } = data.record;
  h.update(JSON.stringify(record));
  for (const t of [...data.train.tensors, data.heldOutX, data.heldOutY]) {
    const c = t.contiguous();
    h.update(`${t.dtype}[${t.shape.join(',')}]`);
    h.update(new Uint8Array(c.data.buffer, c.data.byteOffset, c.data.byteLength));
  }
  return h.digest('hex');
}

/** SHA-256 of a checkpoint's tensors (by name, in name order) and its run-state JSON. */
function contentDigest(tensors: Record<string, Tensor>, meta: string): string {
  const h = createHash('sha256');
  for (const name of Object.keys(tensors).sort()) {
    const t = tensors[name].contiguous();
    h.update(`${name}:${t.dtype}[${t.shape.join(',')}]`);
    h.update(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  }
  h.update(meta);
  return h.digest('hex');
}

/** Saves the model, optimizer and run state to `path`, atomically. */
export function saveCheckpoint(path: string, model: Module, optimizer: Optimizer, state: CheckpointState, identity: string): void {
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
  const meta: Meta = { format: CHECKPOINT_FORMAT, identity, ...state, optimizer: { paramGroups: sd.paramGroups, scalars } };
  const json = JSON.stringify(meta);
  save(tensors, path, { 'nabla.memorize': json, [DIGEST_KEY]: contentDigest(tensors, json) });
}

/**
 * Reads a checkpoint into `model` and `optimizer` (which must have the run's architecture) and
 * returns the run state. Throws with the file name when it is missing, not a run checkpoint,
 * damaged (digest mismatch), from another run (identity mismatch) or holds an impossible position.
 */
export function loadCheckpoint(path: string, model: Module, optimizer: Optimizer, expect: CheckpointExpect): CheckpointState {
  if (!existsSync(path)) throw new Error(`${path}: no checkpoint (the run stopped before finishing its first epoch?)`);
  const { tensors, metadata } = loadWithMetadata(path);
  const json = metadata?.['nabla.memorize'];
  let meta: Meta;
  try {
    meta = JSON.parse(json ?? 'null') as Meta;
  } catch {
    throw new Error(`${path}: the checkpoint's run state is not valid JSON`);
  }
  if (typeof meta !== 'object' || meta === null || meta.format !== CHECKPOINT_FORMAT)
    throw new Error(`${path}: not a nabla memorize checkpoint (${CHECKPOINT_FORMAT})`);
  if (metadata?.[DIGEST_KEY] !== contentDigest(tensors, json as string))
    throw new Error(`${path}: the checkpoint is damaged (its contents do not match their SHA-256 digest)`);
  if (meta.identity !== expect.identity) {
    throw new Error(
      `${path}: the checkpoint belongs to another run (its config, seed, labels or data differ from this run folder's); it was not used`,
    );
  }
  checkPosition(path, meta, expect);
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
    throw new Error(`${path}: ${(e as Error).message}`);
  }
  return { position: meta.position, rng: meta.rng, epochRng: meta.epochRng, metrics: meta.metrics };
}

/** Checks that the checkpoint's position is one training can be at. */
function checkPosition(path: string, meta: Meta, expect: CheckpointExpect): void {
  const bad = (what: string) => new Error(`${path}: the checkpoint's run state has an impossible ${what}; it was not used`);
  const p = meta.position as Partial<TrainPosition> | undefined;
  const count = (v: unknown, max = Number.MAX_SAFE_INTEGER) => Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= max;
  const amount = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
  if (typeof p !== 'object' || p === null) throw bad('position');
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
  if (!Array.isArray(meta.metrics) || meta.metrics.length !== p.epoch || meta.metrics.some((m, i) => m?.epoch !== i + 1))
    throw bad('metrics (one row per completed epoch)');
  if (
    typeof meta.rng !== 'object' ||
    meta.rng === null ||
    ((p.step as number) > 0 && (typeof meta.epochRng !== 'object' || meta.epochRng === null))
  )
    throw bad('generator state');
  if (
    typeof meta.optimizer !== 'object' ||
    meta.optimizer === null ||
    !Array.isArray(meta.optimizer.paramGroups) ||
    typeof meta.optimizer.scalars !== 'object' ||
    meta.optimizer.scalars === null
  )
    throw bad('optimizer state');
}
