// The `nabla/node` file functions refuse arguments they do not understand, naming themselves,
// before touching any file: a misplaced argument must never write a file nabla cannot read back.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { io, tensor } from '../../src/index.js';
import {
  backendInfo,
  load,
  loadIdxDataset,
  loadMnist,
  loadWithMetadata,
  readIdx,
  save,
  setNumThreads,
  useDefaultBackend,
  useJsBackend,
  useNativeBackend,
  useWasmBackend,
  writeFileAtomic,
} from '../../src/nodejs/index.js';

const dir = mkdtempSync(join(tmpdir(), 'nabla-node-entry-'));
const FASHION = '/usr/share/datasets/fashion-mnist';
const call =
  (f: unknown, ...args: unknown[]) =>
  () =>
    (f as (...a: unknown[]) => unknown)(...args);

describe('nabla/node refuses what it does not understand', () => {
  it('save refuses non-object metadata and surplus arguments, writing nothing', () => {
    const path = join(dir, 'a.safetensors');
    expect(call(save, { a: tensor([1]) }, path, 99)).toThrow('metadata must be an object');
    expect(call(save, { a: tensor([1]) }, path, { epoch: '1' }, 7)).toThrow('save');
    expect(existsSync(path)).toBe(false);
    expect(call(io.serialize, { a: tensor([1]) }, 'x')).toThrow('metadata must be an object');
    save({ a: tensor([1]) }, path, null);
    expect(load(path).a.toArray()).toEqual([1]);
    expect(call(load, path, { mapLocation: 'cpu' })).toThrow('load');
    expect(call(loadWithMetadata, path, 1)).toThrow('loadWithMetadata');
  });

  it('writeFileAtomic, loadMnist, readIdx and loadIdxDataset check their arguments', () => {
    expect(call(writeFileAtomic, join(dir, 'b'), 'x', 'y')).toThrow('writeFileAtomic');
    expect(call(writeFileAtomic, join(dir, 'c'), 5)).toThrow('string or a Uint8Array');
    expect(existsSync(join(dir, 'c'))).toBe(false);
    expect(call(loadMnist, { tranform: (x: unknown) => x })).toThrow("unknown option 'tranform'");
    expect(call(readIdx, join(dir, 'missing'), { maxbytes: 1 })).toThrow("unknown option 'maxbytes'");
    expect(call(loadIdxDataset, FASHION, { trian: false })).toThrow("unknown option 'trian'");
    expect(call(loadIdxDataset, FASHION, {}, 1)).toThrow('loadIdxDataset');
  });

  it('the backend switches refuse surplus arguments before switching', () => {
    const before = backendInfo().active;
    expect(call(useJsBackend, 1)).toThrow('useJsBackend');
    expect(call(useNativeBackend, 1)).toThrow('useNativeBackend');
    expect(call(useDefaultBackend, 'wasm')).toThrow('useDefaultBackend');
    expect(call(useWasmBackend, {}, 1)).toThrow('useWasmBackend');
    expect(call(setNumThreads, 2, 2)).toThrow('setNumThreads');
    expect(call(backendInfo, true)).toThrow('backendInfo');
    expect(backendInfo().active).toBe(before);
  });
});
