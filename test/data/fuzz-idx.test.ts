// Fuzz: seeded damage to IDX files, raw and gzipped. Every damaged file either reads back with
// data matching its shape or fails with a "readIdx: <file>: …" error; never a crash or a hang.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readIdx } from '../../src/nodejs/idx.js';
import { damage, ENGINE_ERROR, prng } from '../fuzz.js';

const tmp = mkdtempSync(join(tmpdir(), 'nabla-fuzz-idx-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const CASES = 300;

function idx(type: number, shape: number[], data: Uint8Array): Uint8Array {
  const head = Buffer.alloc(4 + 4 * shape.length);
  head.set([0, 0, type, shape.length]);
  shape.forEach((s, i) => {
    head.writeUInt32BE(s, 4 + 4 * i);
  });
  return new Uint8Array(Buffer.concat([head, data]));
}

describe('IDX fuzz', () => {
  const rand0 = prng(7);
  const images = idx(
    0x08,
    [6, 5, 4],
    Uint8Array.from({ length: 120 }, () => Math.floor(rand0() * 256)),
  );
  const labels = idx(0x08, [6], Uint8Array.from([3, 1, 4, 1, 5, 9]));
  const floats = idx(0x0d, [3, 2], new Uint8Array(new Float32Array([1, -2, 3.5, 0, 1e9, -1e-9]).buffer).reverse());
  const bases: [string, Uint8Array][] = [
    ['images', images],
    ['labels', labels],
    ['floats', floats],
    ['images.gz', new Uint8Array(gzipSync(images))],
    ['labels.gz', new Uint8Array(gzipSync(labels))],
  ];

  it.each(bases)(`%s: ${CASES} damaged files read consistently or are refused naming the file`, (name, base) => {
    const rand = prng(name.length * 1000 + base.length);
    const path = join(tmp, `${name}-damaged`);
    let refused = 0;
    for (let c = 0; c < CASES; c++) {
      const { bytes, how } = damage(base, rand);
      writeFileSync(path, bytes);
      try {
        const out = readIdx(path);
        expect(out.data.length, `case ${c} (${how})`).toBe(out.shape.reduce((a, b) => a * b, 1));
      } catch (e) {
        refused++;
        const msg = (e as Error).message;
        expect(msg, `case ${c} (${how})`).toMatch(new RegExp(`^readIdx: ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
        expect(msg, `case ${c} (${how})`).not.toMatch(ENGINE_ERROR);
      }
    }
    expect(refused).toBeGreaterThan(CASES / 4);
  });
});
