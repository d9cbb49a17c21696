/**
 * Checkpoint files in the safetensors format. Node-only.
 *
 * `save` is atomic: the bytes go to a temporary file in the same folder, which is flushed to disk
 * (fsync) and then renamed over the target, and the folder entry is synced too. A crash leaves
 * either the old file or the new one, never a torn mix.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { type Deserialized, deserializeWithMetadata, MAX_HEADER_BYTES, serialize, type TensorMap } from '../io/safetensors.js';
import { noMoreArgs } from '../tensor/args.js';
import type { Tensor } from '../tensor/tensor.js';
import { writeFileAtomic } from './atomic.js';

/**
 * Writes tensors (a state dict) and optional string metadata to `path` as safetensors,
 * atomically (temp file + fsync + rename).
 * @example save(model.stateDict(), 'runs/ex6/epoch-010.safetensors', { epoch: '10' })
 */
export function save(stateDict: TensorMap, path: string, metadata?: Record<string, string> | null, ...rest: never[]): void {
  noMoreArgs('save', rest, 'save(stateDict, path, metadata?)');
  const bytes = serialize(stateDict, metadata);
  try {
    writeFileAtomic(path, bytes);
  } catch (e) {
    throw new Error(`save: ${path}: ${(e as Error).message}`, { cause: e });
  }
}

/** Reads a safetensors file's tensors and metadata, checking its header before reading the data. */
export function loadWithMetadata(path: string, ...rest: never[]): Deserialized {
  noMoreArgs('loadWithMetadata', rest, 'loadWithMetadata(path)');
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new Error(`load: ${path}: ${(e as Error).message}`, { cause: e });
  }
  try {
    const size = fstatSync(fd).size;
    if (size < 8) throw new Error(`safetensors: file too short: ${size} bytes, need at least 8 for the header length`);
    const head = new Uint8Array(8);
    readSync(fd, head, 0, 8, 0);
    const n = new DataView(head.buffer).getBigUint64(0, true);
    if (n > BigInt(MAX_HEADER_BYTES))
      throw new Error(`safetensors: header length ${n} exceeds the ${MAX_HEADER_BYTES}-byte limit (corrupt or not a safetensors file)`);
    if (8 + Number(n) > size) throw new Error(`safetensors: header length ${n} runs past the end of the ${size}-byte file (truncated?)`);
    const bytes = new Uint8Array(size);
    let at = 0;
    while (at < size) {
      const r = readSync(fd, bytes, at, size - at, at);
      if (r === 0) throw new Error(`safetensors: the file shrank while being read (${at} of ${size} bytes)`);
      at += r;
    }
    return deserializeWithMetadata(bytes);
  } catch (e) {
    throw new Error(`load: ${path}: ${(e as Error).message}`, { cause: e });
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads the tensors of a safetensors file (a state dict).
 * @example model.loadStateDict(load('runs/ex6/epoch-010.safetensors'))
 */
export function load(path: string, ...rest: never[]): Record<string, Tensor> {
  noMoreArgs('load', rest, 'load(path)');
  return loadWithMetadata(path).tensors;
}
