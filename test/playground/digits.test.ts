import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { writeDigitsAsset } from '../../playground/build/digits.js';
import { DIGIT_FILES, parseIdxU8 } from '../../playground/src/digits.js';
import { loadMnist } from '../../src/nodejs/mnist.js';

describe("the playground's compact digits", () => {
  it('are the embedded 10,000 digits and labels exactly, as gzipped IDX files of under 2 MB', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nabla-digits-'));
    writeDigitsAsset(dir);
    const raw = (f: string) => readFileSync(join(dir, f));
    expect(raw(DIGIT_FILES.images).length + raw(DIGIT_FILES.labels).length).toBeLessThan(2_000_000);
    const images = parseIdxU8(gunzipSync(raw(DIGIT_FILES.images)), 'images');
    const labels = parseIdxU8(gunzipSync(raw(DIGIT_FILES.labels)), 'labels');
    const ds = loadMnist();
    expect(images.dims).toEqual([10_000, 28, 28]);
    expect(labels.dims).toEqual([10_000]);
    expect(Buffer.from(images.data).equals(Buffer.from(ds.images))).toBe(true);
    expect(Array.from(labels.data)).toEqual(Array.from(ds.labels));
  });

  it('reject IDX data whose header and size disagree', () => {
    const bytes = new Uint8Array([0, 0, 8, 1, 0, 0, 0, 3, 1, 2]);
    expect(() => parseIdxU8(bytes, 'x.idx')).toThrow(/x.idx: dims 3 need 11 bytes, the file has 10/);
    expect(() => parseIdxU8(new Uint8Array([0, 0, 13, 1]), 'y.idx')).toThrow(/y.idx: not an unsigned-byte IDX file/);
    expect(Array.from(parseIdxU8(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 2, 7, 9]), 'z').data)).toEqual([7, 9]);
  });
});
