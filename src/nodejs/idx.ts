/**
 * IDX files (the MNIST / Fashion-MNIST format), raw or gzip-compressed. Node-only.
 *
 * ```
 * [0x00 0x00][type byte][ndim byte][ndim × uint32 big-endian sizes][data, big-endian]
 * ```
 * Every header field, and the data length it implies, is checked before the data is allocated;
 * a bad file fails with an error naming the file and the problem.
 */
import { closeSync, existsSync, constants as fsConstants, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, constants as zlibConstants } from 'node:zlib';
import { MNIST_LIKE_KEYS, MnistLike, type MnistLikeOptions } from '../data/mnist.js';
import { checkOptions, kinds, noMoreArgs } from '../tensor/args.js';
import type { Tensor } from '../tensor/tensor.js';

/** Element types of the IDX format. */
export type IdxType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

/** The contents of an IDX file. */
export interface IdxArray {
  type: IdxType;
  shape: number[];
  /** Row-major values in host byte order. */
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

/** Options of {@link readIdx}. */
export interface ReadIdxOptions {
  /** Refuse files whose header declares more data than this many bytes (default 2^31 − 1). */
  maxBytes?: number;
}

const TYPES: Record<number, { type: IdxType; size: number }> = {
  8: { type: 'uint8', size: 1 },
  9: { type: 'int8', size: 1 },
  11: { type: 'int16', size: 2 },
  12: { type: 'int32', size: 4 },
  13: { type: 'float32', size: 4 },
  14: { type: 'float64', size: 8 },
};

/** How many compressed bytes are inflated to read a .gz file's header (at most ~4 MB out). */
const GZ_PEEK = 4096;

interface Header {
  type: IdxType;
  size: number;
  shape: number[];
  headerBytes: number;
  dataBytes: number;
}

function fail(path: string, msg: string): never {
  throw new Error(`readIdx: ${path}: ${msg}`);
}

function hex(v: number): string {
  return `0x${v.toString(16).padStart(2, '0')}`;
}

/**
 * Parses an IDX header from the first bytes of the (decompressed) file. `known` is how many bytes
 * of the file `head` holds, `complete` whether that is the whole file.
 */
function parseHeader(path: string, head: Uint8Array, complete: boolean, maxBytes: number): Header {
  const short = (need: number, what: string) => {
    if (head.length < need) {
      fail(
        path,
        complete
          ? `truncated: ${head.length} bytes, too short for the ${what} (${need} bytes)`
          : `could not read the ${what} (${need} bytes)`,
      );
    }
  };
  short(4, 'IDX magic number');
  if (head[0] !== 0 || head[1] !== 0) {
    const magic = ((head[0] << 24) | (head[1] << 16) | (head[2] << 8) | head[3]) >>> 0;
    fail(path, `bad magic number 0x${magic.toString(16).padStart(8, '0')}: not an IDX file (the first two bytes must be 0)`);
  }
  const t = TYPES[head[2]];
  if (!t)
    fail(
      path,
      `unknown IDX data type byte ${hex(head[2])} (expected 0x08 uint8, 0x09 int8, 0x0b int16, 0x0c int32, 0x0d float32 or 0x0e float64)`,
    );
  const ndim = head[3];
  if (ndim === 0) fail(path, 'the header declares 0 dimensions');
  const headerBytes = 4 + 4 * ndim;
  short(headerBytes, `header of ${ndim} dimension sizes`);
  const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const shape: number[] = [];
  let numel = 1;
  for (let d = 0; d < ndim; d++) {
    const s = dv.getUint32(4 + 4 * d, false);
    if (s > 0x7fffffff) fail(path, `dimension ${d} has size ${s}, more than 2^31 − 1`);
    shape.push(s);
    numel *= s;
  }
  const dataBytes = numel * t.size;
  if (dataBytes > maxBytes) {
    fail(path, `the header declares shape [${shape.join(', ')}] of ${t.type} (${dataBytes} bytes), more than the ${maxBytes}-byte limit`);
  }
  return { type: t.type, size: t.size, shape, headerBytes, dataBytes };
}

function checkLength(path: string, h: Header, actual: number, what: string): void {
  const expected = h.headerBytes + h.dataBytes;
  if (actual < expected) {
    fail(
      path,
      `truncated: the header declares shape [${h.shape.join(', ')}] of ${h.type} (${expected} bytes with the header) but the ${what} has ${actual}`,
    );
  }
  if (actual > expected) {
    fail(
      path,
      `${actual - expected} unexpected bytes after the data: the header declares shape [${h.shape.join(', ')}] of ${h.type} (${expected} bytes with the header) but the ${what} has ${actual}`,
    );
  }
}

/**
 * Decodes big-endian data bytes (a buffer this module allocated) into a typed array. Bytes are
 * used in place, not copied: a copy would double the peak memory of a large file.
 */
function decode(h: Header, bytes: Uint8Array): IdxArray['data'] {
  const n = h.dataBytes / h.size;
  if (h.type === 'uint8') return bytes.subarray(0, n);
  if (h.type === 'int8') return new Int8Array(bytes.buffer, bytes.byteOffset, n);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, h.dataBytes);
  switch (h.type) {
    case 'int16': {
      const out = new Int16Array(n);
      for (let i = 0; i < n; i++) out[i] = dv.getInt16(2 * i, false);
      return out;
    }
    case 'int32': {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = dv.getInt32(4 * i, false);
      return out;
    }
    case 'float32': {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = dv.getFloat32(4 * i, false);
      return out;
    }
    default: {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = dv.getFloat64(8 * i, false);
      return out;
    }
  }
}

function readRaw(path: string, fd: number, fileSize: number, maxBytes: number): IdxArray {
  const head = new Uint8Array(Math.min(fileSize, 4 + 4 * 255));
  let got = 0;
  while (got < head.length) {
    const r = readSync(fd, head, got, head.length - got, got);
    if (r === 0) break;
    got += r;
  }
  const h = parseHeader(path, head.subarray(0, got), got === fileSize, maxBytes);
  checkLength(path, h, fileSize, 'file');
  const data = new Uint8Array(h.dataBytes);
  let at = 0;
  while (at < data.length) {
    const r = readSync(fd, data, at, data.length - at, h.headerBytes + at);
    if (r === 0) fail(path, `the file shrank while being read (${at} of ${data.length} data bytes)`);
    at += r;
  }
  return { type: h.type, shape: h.shape, data: decode(h, data) };
}

function readGzip(path: string, fd: number, fileSize: number, maxBytes: number): IdxArray {
  const gz = new Uint8Array(fileSize);
  let got = 0;
  while (got < fileSize) {
    const r = readSync(fd, gz, got, fileSize - got, got);
    if (r === 0) break;
    got += r;
  }
  let head: Uint8Array;
  const whole = fileSize <= GZ_PEEK;
  try {
    // A truncated prefix inflates to what it holds (at most ~1032× its size).
    head = gunzipSync(gz.subarray(0, GZ_PEEK), { finishFlush: zlibConstants.Z_SYNC_FLUSH });
  } catch (e) {
    fail(path, `not a valid gzip stream (${(e as Error).message})`);
  }
  const h = parseHeader(path, head, whole, maxBytes);
  const expected = h.headerBytes + h.dataBytes;
  let out: Uint8Array;
  try {
    out = gunzipSync(gz, { maxOutputLength: Math.max(expected, 1) });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ERR_BUFFER_TOO_LARGE') {
      fail(
        path,
        `the gzip stream holds more than the ${expected} bytes (with the header) that the header declares (shape [${h.shape.join(', ')}] of ${h.type})`,
      );
    }
    if (err.code === 'Z_BUF_ERROR') {
      fail(path, `truncated gzip stream (${err.message}); the header declares shape [${h.shape.join(', ')}] of ${h.type}`);
    }
    fail(path, `corrupt gzip stream (${err.message})`);
  }
  checkLength(path, h, out.length, 'decompressed stream');
  return { type: h.type, shape: h.shape, data: decode(h, out.subarray(h.headerBytes)) };
}

/**
 * Reads an IDX file, raw or gzip-compressed (detected from its first bytes, whatever its name).
 * @example readIdx('/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz') // {type: 'uint8', shape: [10000], data}
 */
export function readIdx(path: string, opts: ReadIdxOptions = {}, ...rest: never[]): IdxArray {
  noMoreArgs('readIdx', rest, 'readIdx(path, { maxBytes }?)');
  checkOptions('readIdx', opts, [['maxBytes', kinds.int]], 'readIdx(path, { maxBytes }?)');
  const maxBytes = opts.maxBytes ?? 0x7fffffff;
  let fd: number;
  try {
    // Non-blocking: opening a FIFO for reading would otherwise wait forever for a writer.
    fd = openSync(path, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
  } catch (e) {
    fail(path, (e as Error).message);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) fail(path, 'not a regular file');
    const sig = new Uint8Array(2);
    const n = st.size >= 2 ? readSync(fd, sig, 0, 2, 0) : 0;
    if (n === 2 && sig[0] === 0x1f && sig[1] === 0x8b) return readGzip(path, fd, st.size, maxBytes);
    return readRaw(path, fd, st.size, maxBytes);
  } finally {
    closeSync(fd);
  }
}

/** Options of {@link loadIdxDataset}. */
export interface LoadIdxOptions<X> extends Omit<MnistLikeOptions<X>, 'height' | 'width'> {
  /** The training files (`train-…`, default) or the test files (`t10k-…`). */
  train?: boolean;
  /** Refuse an images file whose header declares more than this many bytes (default 2^31 − 1). */
  maxBytes?: number;
}

function findFile(folder: string, prefix: string, kind: 'images' | 'labels', dims: number): string {
  const stems = [`${prefix}-${kind}-idx${dims}-ubyte`, `${prefix}-${kind}.idx${dims}-ubyte`];
  for (const stem of stems) {
    for (const name of [stem, `${stem}.gz`]) {
      const p = join(folder, name);
      if (existsSync(p)) return p;
    }
  }
  throw new Error(`loadIdxDataset: ${folder}: no ${stems[0]} or ${stems[0]}.gz found`);
}

/**
 * An MNIST-format dataset from a folder of IDX files (MNIST, Fashion-MNIST, KMNIST…):
 * `train-images-idx3-ubyte[.gz]` + `train-labels-idx1-ubyte[.gz]`, or the `t10k-` pair with
 * `train: false`. Images must be uint8 [N, H, W] and labels uint8 [N].
 * @example loadIdxDataset('/usr/share/datasets/fashion-mnist', { train: false })
 */
export function loadIdxDataset<X = Tensor>(folder: string, opts: LoadIdxOptions<X> = {}, ...rest: never[]): MnistLike<X> {
  const usage = 'loadIdxDataset(folder, { train, maxBytes, transform, targetTransform, classes }?)';
  noMoreArgs('loadIdxDataset', rest, usage);
  checkOptions('loadIdxDataset', opts, [['train', kinds.bool], ['maxBytes', kinds.int], ...MNIST_LIKE_KEYS], usage);
  const { train = true, maxBytes, ...datasetOpts } = opts;
  const prefix = train ? 'train' : 't10k';
  const imagesPath = findFile(folder, prefix, 'images', 3);
  const labelsPath = findFile(folder, prefix, 'labels', 1);
  const images = readIdx(imagesPath, { maxBytes });
  if (images.type !== 'uint8' || images.shape.length !== 3) {
    throw new Error(
      `loadIdxDataset: ${imagesPath}: expected uint8 images of shape [N, H, W], got ${images.type} [${images.shape.join(', ')}]`,
    );
  }
  const labels = readIdx(labelsPath, { maxBytes });
  if (labels.type !== 'uint8' || labels.shape.length !== 1) {
    throw new Error(`loadIdxDataset: ${labelsPath}: expected uint8 labels of shape [N], got ${labels.type} [${labels.shape.join(', ')}]`);
  }
  if (labels.shape[0] !== images.shape[0]) {
    throw new Error(`loadIdxDataset: ${folder}: ${images.shape[0]} images in ${imagesPath} but ${labels.shape[0]} labels in ${labelsPath}`);
  }
  const [, height, width] = images.shape;
  return new MnistLike<X>(images.data as Uint8Array, labels.data, { ...datasetOpts, height, width });
}
