/**
 * The training checkpoint of a memorization run as a file: one safetensors file with what
 * checkpoint-codec.ts encodes (model, optimizer, run state). Written atomically (temp file +
 * fsync + rename).
 *
 * Two SHA-256 digests guard a resume: `identity`, of what defines the run (the config fields that
 * cannot change on resume, the labels and the data), so a checkpoint from another run (another
 * seed, other data) is refused; and `nabla.memorize.sha256`, of the file's tensors and metadata,
 * so a damaged checkpoint (a flipped byte) is refused rather than trained on.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { Module } from '../../src/nn/module.js';
import { loadWithMetadata, save } from '../../src/nodejs/checkpoint.js';
import type { Optimizer } from '../../src/optim/optimizer.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { type CheckpointState, decodeCheckpoint, encodeCheckpoint, type PositionExpect, readCheckpointMeta } from './checkpoint-codec.js';
import type { MemorizeConfig } from './config.js';
import type { RunData } from './data.js';

export { CHECKPOINT_FORMAT, type CheckpointState, type TrainPosition } from './checkpoint-codec.js';

const IDENTITY_KEY = 'nabla.memorize.identity';
const DIGEST_KEY = 'nabla.memorize.sha256';

/** What a checkpoint must match to be resumed: the run's identity and its data's size. */
export interface CheckpointExpect extends PositionExpect {
  identity: string;
}

/**
 * SHA-256 (hex) of what defines a run: the config without what `--resume` may change (epochs,
 * threads, checkpoint copies) or where the data lives, the label record, and the bytes of the
 * training and held-out tensors. The device is not part of it (run.ts refuses to resume on another one).
 */
export function runIdentity(config: MemorizeConfig, data: RunData): string {
  // The device is left out too: runs recorded before it existed keep their identity.
  const { epochs: _e, threads: _t, saveEvery: _s, data: _d, fraction: _f, compare: _c, preset: _p, device: _v, ...defining } = config;
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

/** SHA-256 of a checkpoint's tensors (by name, in name order) and its metadata (but the digest itself). */
function contentDigest(tensors: Record<string, Tensor>, metadata: Record<string, string>): string {
  const h = createHash('sha256');
  for (const name of Object.keys(tensors).sort()) {
    const t = tensors[name].contiguous();
    h.update(`${name}:${t.dtype}[${t.shape.join(',')}]`);
    h.update(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  }
  const meta = Object.keys(metadata)
    .filter((k) => k !== DIGEST_KEY)
    .sort();
  h.update(JSON.stringify(meta.map((k) => [k, metadata[k]])));
  return h.digest('hex');
}

/** Saves the model, optimizer and run state of the run `identity` to `path`, atomically. */
export function saveCheckpoint(path: string, model: Module, optimizer: Optimizer, state: CheckpointState, identity: string): void {
  const { tensors, metadata } = encodeCheckpoint(model, optimizer, state);
  metadata[IDENTITY_KEY] = identity;
  save(tensors, path, { ...metadata, [DIGEST_KEY]: contentDigest(tensors, metadata) });
}

/**
 * Reads a checkpoint into `model` and `optimizer` (which must have the run's architecture) and
 * returns the run state. Throws with the file name when it is missing, not a run checkpoint,
 * damaged (digest mismatch), from another run (identity mismatch) or holds an impossible position.
 */
export function loadCheckpoint(path: string, model: Module, optimizer: Optimizer, expect: CheckpointExpect): CheckpointState {
  if (!existsSync(path)) throw new Error(`${path}: no checkpoint (the run stopped before finishing its first epoch?)`);
  const { tensors, metadata } = loadWithMetadata(path);
  readCheckpointMeta(metadata, path);
  if (metadata?.[DIGEST_KEY] !== contentDigest(tensors, metadata ?? {}))
    throw new Error(`${path}: the checkpoint is damaged (its contents do not match their SHA-256 digest)`);
  if (metadata[IDENTITY_KEY] !== expect.identity) {
    throw new Error(
      `${path}: the checkpoint belongs to another run (its config, seed, labels or data differ from this run folder's); it was not used`,
    );
  }
  return decodeCheckpoint(tensors, metadata, model, optimizer, path, expect);
}
