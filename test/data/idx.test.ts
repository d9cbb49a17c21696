import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { loadIdxDataset, readIdx } from '../../src/nodejs/index.js';

const dir = mkdtempSync(join(tmpdir(), 'nabla-idx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An IDX file: magic, type byte, dims, then `body` (already big-endian). */
function idx(type: number, dims: number[], body: Uint8Array | number[]): Uint8Array {
  const head = new Uint8Array(4 + 4 * dims.length);
  const dv = new DataView(head.buffer);
  head[2] = type;
  head[3] = dims.length;
  dims.forEach((d, i) => {
    dv.setUint32(4 + 4 * i, d, false);
  });
  const b = body instanceof Uint8Array ? body : Uint8Array.from(body);
  const out = new Uint8Array(head.length + b.length);
  out.set(head);
  out.set(b, head.length);
  return out;
}

function file(name: string, bytes: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

describe('readIdx', () => {
  it('reads every IDX element type, big-endian, raw and gzipped', () => {
    const u8 = idx(0x08, [2, 3], [0, 1, 2, 253, 254, 255]);
    for (const p of [file('u8', u8), file('u8.gz', gzipSync(u8))]) {
      const r = readIdx(p);
      expect(r.type).toBe('uint8');
      expect(r.shape).toEqual([2, 3]);
      expect(Array.from(r.data)).toEqual([0, 1, 2, 253, 254, 255]);
    }
    const be = (n: number, write: (dv: DataView, i: number) => void) => {
      const b = new Uint8Array(n);
      write(new DataView(b.buffer), 0);
      return b;
    };
    expect(Array.from(readIdx(file('i8', idx(0x09, [2], [0xff, 5]))).data)).toEqual([-1, 5]);
    expect(
      Array.from(
        readIdx(
          file(
            'i16',
            idx(
              0x0b,
              [1],
              be(2, (dv) => dv.setInt16(0, -300)),
            ),
          ),
        ).data,
      ),
    ).toEqual([-300]);
    expect(
      Array.from(
        readIdx(
          file(
            'i32',
            idx(
              0x0c,
              [1],
              be(4, (dv) => dv.setInt32(0, -70000)),
            ),
          ),
        ).data,
      ),
    ).toEqual([-70000]);
    expect(
      Array.from(
        readIdx(
          file(
            'f32',
            idx(
              0x0d,
              [1],
              be(4, (dv) => dv.setFloat32(0, 1.5)),
            ),
          ),
        ).data,
      ),
    ).toEqual([1.5]);
    expect(
      Array.from(
        readIdx(
          file(
            'f64',
            idx(
              0x0e,
              [1],
              be(8, (dv) => dv.setFloat64(0, Math.PI)),
            ),
          ),
        ).data,
      ),
    ).toEqual([Math.PI]);
  });

  it('names the file and the problem for bad headers', () => {
    const png = file('png', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
    expect(() => readIdx(png)).toThrow(`readIdx: ${png}: bad magic number 0x89504e47: not an IDX file`);
    expect(() => readIdx(file('type', idx(0x07, [1], [0])))).toThrow(/unknown IDX data type byte 0x07/);
    expect(() => readIdx(file('nodims', idx(0x08, [], [])))).toThrow(/declares 0 dimensions/);
    expect(() => readIdx(file('short', Uint8Array.from([0, 0, 8])))).toThrow(/truncated: 3 bytes, too short for the IDX magic number/);
    expect(() => readIdx(file('shorthead', idx(0x08, [60000, 28, 28], []).subarray(0, 10)))).toThrow(
      /truncated: 10 bytes, too short for the header of 3 dimension sizes \(16 bytes\)/,
    );
    expect(() => readIdx(join(dir, 'missing'))).toThrow(/readIdx: .*missing: ENOENT/);
  });

  it('checks the declared size against the file before allocating', () => {
    const trunc = file('trunc', idx(0x08, [60000, 28, 28], new Uint8Array(1000)));
    expect(() => readIdx(trunc)).toThrow(
      `readIdx: ${trunc}: truncated: the header declares shape [60000, 28, 28] of uint8 (47040016 bytes with the header) but the file has 1016`,
    );
    expect(() => readIdx(file('extra', idx(0x08, [2], [1, 2, 3])))).toThrow(/1 unexpected bytes after the data/);
    // 2^31−1 cubed float64: refused from the header alone, no allocation attempted.
    const huge = file('huge', idx(0x0e, [0x7fffffff, 0x7fffffff, 0x7fffffff], []));
    expect(() => readIdx(huge)).toThrow(
      /declares shape \[2147483647, 2147483647, 2147483647\] of float64 .* more than the 2147483647-byte limit/,
    );
    expect(() => readIdx(file('neg', idx(0x08, [0x80000000], [])))).toThrow(/dimension 0 has size 2147483648/);
    expect(() => readIdx(file('limit', idx(0x08, [100], new Uint8Array(100))), { maxBytes: 50 })).toThrow(/more than the 50-byte limit/);
  });

  it('checks gzip streams: truncated, too long, corrupt', () => {
    const good = idx(
      0x08,
      [100, 10],
      Uint8Array.from({ length: 1000 }, (_, i) => (i * 7919) % 251),
    );
    const gz = gzipSync(good);
    expect(() => readIdx(file('cut.gz', gz.subarray(0, gz.length - 20)))).toThrow(/truncated gzip stream .*shape \[100, 10\] of uint8/);
    // The stream decompresses to more than the header declares: stopped at the declared size.
    const long = gzipSync(idx(0x08, [10], new Uint8Array(5_000_000)));
    expect(() => readIdx(file('long.gz', long))).toThrow(/holds more than the 18 bytes \(with the header\) that the header declares/);
    const short = gzipSync(idx(0x08, [100], new Uint8Array(10)));
    expect(() => readIdx(file('short.gz', short))).toThrow(/truncated: .* but the decompressed stream has 18/);
    const bad = Uint8Array.from(gz);
    bad.fill(0xaa, 10, 30);
    expect(() => readIdx(file('bad.gz', bad))).toThrow(/bad\.gz: not a valid gzip stream \(/);
    const crc = Uint8Array.from(gz);
    crc[crc.length - 6] ^= 0xff;
    expect(() => readIdx(file('crc.gz', crc))).toThrow(/crc\.gz: .*gzip stream \(incorrect data check\)/);
  });
});

describe('loadIdxDataset', () => {
  it('pairs images and labels, raw or gzipped, and checks them', () => {
    const folder = mkdtempSync(join(dir, 'set-'));
    const imgs = idx(
      0x08,
      [3, 2, 2],
      Uint8Array.from({ length: 12 }, (_, i) => i * 20),
    );
    writeFileSync(join(folder, 't10k-images-idx3-ubyte'), imgs);
    writeFileSync(join(folder, 't10k-labels-idx1-ubyte.gz'), gzipSync(idx(0x08, [3], [5, 6, 7])));
    const ds = loadIdxDataset(folder, { train: false });
    expect([ds.length, ds.height, ds.width]).toEqual([3, 2, 2]);
    expect(ds.get(2)[1]).toBe(7);
    expect(ds.get(2)[0].shape).toEqual([1, 2, 2]);
    expect(() => loadIdxDataset(folder)).toThrow(/no train-images-idx3-ubyte or train-images-idx3-ubyte\.gz found/);
    writeFileSync(join(folder, 'train-images-idx3-ubyte'), imgs);
    writeFileSync(join(folder, 'train-labels-idx1-ubyte'), idx(0x08, [2], [1, 2]));
    expect(() => loadIdxDataset(folder)).toThrow(/3 images in .* but 2 labels in/);
    writeFileSync(join(folder, 'train-labels-idx1-ubyte'), idx(0x0c, [3], new Uint8Array(12)));
    expect(() => loadIdxDataset(folder)).toThrow(/expected uint8 labels of shape \[N\], got int32 \[3\]/);
  });
});
