/**
 * The training checkpoint of a memorization run as a file: one safetensors file with what
 * checkpoint-codec.ts encodes (model, optimizer, run state). Written atomically (temp file +
 * fsync + rename).
 */
import { existsSync } from 'node:fs';
import type { Module } from '../../nn/module.js';
import { loadWithMetadata, save } from '../../node/checkpoint.js';
import type { Optimizer } from '../../optim/optimizer.js';
import { type CheckpointState, decodeCheckpoint, encodeCheckpoint } from './checkpoint-codec.js';

export { CHECKPOINT_FORMAT, type CheckpointState, type TrainPosition } from './checkpoint-codec.js';

/** Saves the model, optimizer and run state to `path`, atomically. */
export function saveCheckpoint(path: string, model: Module, optimizer: Optimizer, state: CheckpointState): void {
  const { tensors, metadata } = encodeCheckpoint(model, optimizer, state);
  save(tensors, path, metadata);
}

/**
 * Reads a checkpoint into `model` and `optimizer` (which must have the run's architecture) and
 * returns the run state. Throws with the file name when it is missing or not a run checkpoint.
 */
export function loadCheckpoint(path: string, model: Module, optimizer: Optimizer): CheckpointState {
  if (!existsSync(path)) throw new Error(`${path}: no checkpoint (the run stopped before finishing its first epoch?)`);
  const { tensors, metadata } = loadWithMetadata(path);
  return decodeCheckpoint(tensors, metadata, model, optimizer, path);
}
