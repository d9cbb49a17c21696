import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Generator, io, randn, tensor } from '../../src/index.js';
import { load, loadWithMetadata, save } from '../../src/nodejs/index.js';

const dir = mkdtempSync(join(tmpdir(), 'nabla-ckpt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('checkpoint save / load', () => {
  const g = new Generator(0);
  const state = { 'fc.weight': randn([4, 3], { generator: g }), 'fc.bias': randn([4], { generator: g }), step: tensor([42]) };

  it('round-trips tensors and metadata through a safetensors file', () => {
    const p = join(dir, 'model.safetensors');
    save(state, p, { epoch: '3' });
    const { tensors, metadata } = loadWithMetadata(p);
    expect(metadata).toEqual({ epoch: '3' });
    for (const [k, v] of Object.entries(state)) expect(tensors[k].toArray()).toEqual(v.toArray());
    expect(Object.keys(load(p)).sort()).toEqual(Object.keys(state).sort());
    // The file is plain safetensors.
    expect(io.deserialize(new Uint8Array(readFileSync(p))).step.toArray()).toEqual([42]);
  });

  it('replaces an existing file and leaves no temporary files behind', () => {
    const p = join(dir, 'overwrite.safetensors');
    writeFileSync(p, 'old contents');
    save({ a: tensor([1, 2]) }, p);
    expect(load(p).a.toArray()).toEqual([1, 2]);
    save({ a: tensor([3]) }, p);
    expect(load(p).a.toArray()).toEqual([3]);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('a failed save leaves the old file intact and names the path', () => {
    const p = join(dir, 'keep.safetensors');
    save({ a: tensor([5]) }, p);
    expect(() => save({ a: tensor([6]) }, p, { bad: 1 as unknown as string })).toThrow(/metadata values must be strings/);
    expect(load(p).a.toArray()).toEqual([5]);
    const missing = join(dir, 'no-such-dir', 'x.safetensors');
    expect(() => save({ a: tensor([1]) }, missing)).toThrow(`save: ${missing}: ENOENT`);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('load errors name the file and the problem', () => {
    const good = join(dir, 'good.safetensors');
    save(state, good);
    const bytes = readFileSync(good);
    const cut = join(dir, 'cut.safetensors');
    writeFileSync(cut, bytes.subarray(0, bytes.length - 10));
    expect(() => load(cut)).toThrow(new RegExp(`^load: ${cut}: safetensors: tensor ".*": data_offsets .* run past the end`));
    const tiny = join(dir, 'tiny.safetensors');
    writeFileSync(tiny, bytes.subarray(0, 4));
    expect(() => load(tiny)).toThrow(`load: ${tiny}: safetensors: file too short: 4 bytes`);
    const badLen = join(dir, 'badlen.safetensors');
    const b = Buffer.from(bytes);
    b.writeBigUInt64LE(1n << 40n, 0);
    writeFileSync(badLen, b);
    expect(() => load(badLen)).toThrow(/badlen\.safetensors: safetensors: header length 1099511627776 exceeds the 100000000-byte limit/);
    const past = join(dir, 'past.safetensors');
    b.writeBigUInt64LE(BigInt(bytes.length), 0);
    writeFileSync(past, b);
    expect(() => load(past)).toThrow(/past\.safetensors: safetensors: header length \d+ runs past the end/);
    expect(() => load(join(dir, 'nope.safetensors'))).toThrow(/load: .*nope\.safetensors: ENOENT/);
  });
});
