import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { arange, fromTypedArray, io, randn, type Tensor, tensor, zeros } from '../../src/index.js';

const { serialize, deserialize, deserializeWithMetadata, readHeader } = io;

const fixturePath = (name: string) => new URL(`../fixtures/safetensors/${name}`, import.meta.url);
const readFixture = (name: string) => new Uint8Array(readFileSync(fixturePath(name)));
interface Described {
  metadata: Record<string, string> | null;
  tensors: Record<string, { dtype: string; shape: number[]; values: (number | boolean)[] }>;
}
const described: Record<string, Described> & { command: string } = JSON.parse(readFileSync(fixturePath('fixtures.json'), 'utf8'));

const nablaDtype: Record<string, string> = { F32: 'float32', F64: 'float64', I64: 'int32', I32: 'int32', BOOL: 'bool' };

/** A file with `header` (JSON-encoded unless a string) and `data` after it. */
function withHeader(header: unknown, data: Uint8Array = new Uint8Array(0), declaredLength?: bigint): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, declaredLength ?? BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe('safetensors files written from PyTorch tensors', () => {
  it.each(['torch_mixed.safetensors', 'torch_nabla_dtypes.safetensors'])('reads %s', (name) => {
    const { tensors, metadata } = deserializeWithMetadata(readFixture(name));
    const want = described[name];
    expect(metadata).toEqual(want.metadata);
    expect(Object.keys(tensors).sort()).toEqual(Object.keys(want.tensors).sort());
    for (const [k, w] of Object.entries(want.tensors)) {
      const t = tensors[k];
      expect(t.dtype, k).toBe(nablaDtype[w.dtype]);
      expect(t.shape, k).toEqual(w.shape);
      const values = Array.from(t.data).map((v) => (t.dtype === 'bool' ? v === 1 : v));
      expect(values, k).toEqual(w.values);
    }
  });

  it('writes the same bytes as the reference layout for nabla dtypes', () => {
    const src = deserializeWithMetadata(readFixture('torch_nabla_dtypes.safetensors'));
    // Insertion order differs from the file's: the writer sorts by alignment, then name.
    const reordered: Record<string, Tensor> = {};
    for (const k of Object.keys(src.tensors).sort()) reordered[k] = src.tensors[k];
    expect(serialize(reordered, src.metadata!)).toEqual(readFixture('torch_nabla_dtypes.safetensors'));
  });

  it('refuses int64 values outside int32 range', () => {
    expect(() => deserialize(readFixture('torch_int64_big.safetensors'))).toThrow(
      /tensor "count": I64 value 1099511627776 at element 1 does not fit in int32/,
    );
  });
});

describe('serialize / deserialize round trips', () => {
  it('every nabla dtype, scalars, empty and non-contiguous tensors, Map input', () => {
    const t = {
      w: randn([3, 5]),
      d: tensor([1.5, -2.25, Math.PI], { dtype: 'float64' }),
      i: tensor([-2147483648, 0, 2147483647], { dtype: 'int32' }),
      b: tensor([true, false, true]),
      s: tensor(7.5),
      e: zeros([0, 4]),
      nc: arange(6).reshape([2, 3]).t(),
      'ünï/cödé.weight': tensor([1], { dtype: 'int32' }),
    };
    const bytes = serialize(new Map(Object.entries(t)), { epoch: '12', note: 'x' });
    expect((bytes.length - 8) % 8).toBeGreaterThanOrEqual(0);
    const header = readHeader(bytes);
    expect(header.dataStart % 8).toBe(0);
    expect(header.metadata).toEqual({ epoch: '12', note: 'x' });
    const back = deserialize(bytes);
    for (const [k, v] of Object.entries(t)) {
      expect(back[k].dtype, k).toBe(v.dtype);
      expect(back[k].shape, k).toEqual(v.shape);
      expect(back[k].toArray(), k).toEqual(v.toArray());
    }
    // The data section is ordered by alignment (F64, F32, I32, BOOL), then name.
    expect(Object.keys(header.tensors)).toEqual(['d', 'e', 's', 'w', 'i', 'nc', 'ünï/cödé.weight', 'b']);
  });

  it('decoded tensors own their memory', () => {
    const bytes = serialize({ a: fromTypedArray(new Float32Array([1, 2])) });
    const a = deserialize(bytes).a;
    bytes.fill(0);
    expect(a.toArray()).toEqual([1, 2]);
  });

  it('many tensors of mixed dtypes read back, each its own slice (they share storage per dtype)', () => {
    const src: Record<string, Tensor> = {};
    for (let i = 0; i < 300; i++) {
      src[`f${i}`] = tensor([i, i + 0.5], { dtype: 'float32' });
      src[`d${i}`] = tensor([-i], { dtype: 'float64' });
      src[`i${i}`] = tensor([i, -i, 7], { dtype: 'int32' });
    }
    const back = deserialize(serialize(src));
    expect(Object.keys(back).sort()).toEqual(Object.keys(src).sort());
    for (const [k, v] of Object.entries(src)) {
      expect(back[k].dtype, k).toBe(v.dtype);
      expect(Array.from(back[k].data), k).toEqual(Array.from(v.data));
    }
    // Writing into one loaded tensor leaves its neighbours alone.
    back.f1.data[1] = 99;
    expect(Array.from(back.f0.data)).toEqual([0, 0.5]);
    expect(Array.from(back.f2.data)).toEqual([2, 2.5]);
  });

  it('a tensor named __proto__ is just a name', () => {
    const back = deserialize(serialize({ ['__proto__' as string]: tensor([1]) } as Record<string, Tensor>));
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
  });

  it('rejects bad input to serialize', () => {
    expect(() => serialize({ a: tensor([1]) }, { n: 3 as unknown as string })).toThrow(/metadata values must be strings/);
    expect(() => serialize({ a: [1] as unknown as Tensor })).toThrow(/value of "a" is not a Tensor/);
  });
});

describe('corrupted files fail with a clear error before allocating', () => {
  const good = serialize({ a: arange(4).float(), b: tensor([1.5, 2.5], { dtype: 'float64' }) });

  it('truncated files', () => {
    expect(() => deserialize(good.subarray(0, 5))).toThrow('safetensors: file too short: 5 bytes, need at least 8 for the header length');
    expect(() => deserialize(good.subarray(0, 40))).toThrow(/header length \d+ runs past the end of the 40-byte file \(truncated\?\)/);
    expect(() => deserialize(good.subarray(0, good.length - 3))).toThrow(
      /tensor "a": data_offsets \[16, 32\] run past the end of the 29-byte data section/,
    );
  });

  it('bad header length', () => {
    const huge = Uint8Array.from(good);
    new DataView(huge.buffer).setBigUint64(0, 2n ** 62n, true);
    expect(() => deserialize(huge)).toThrow(/header length 4611686018427387904 exceeds the 100000000-byte limit/);
    const off = Uint8Array.from(good);
    new DataView(off.buffer).setBigUint64(0, 3n, true);
    expect(() => deserialize(off)).toThrow(/header (does not start|is not valid)/);
    expect(() => deserialize(withHeader([1, 2]))).toThrow(/header does not start with "\{"/);
    expect(() => deserialize(withHeader('{"a":1'))).toThrow(/header is not valid UTF-8 JSON/);
    expect(() => deserialize(withHeader({ a: 1 }, undefined, 100n))).toThrow(/runs past the end/);
    const notUtf8 = withHeader({ a: 'xx' });
    notUtf8[14] = 0xff;
    expect(() => deserialize(notUtf8)).toThrow(/not valid UTF-8 JSON/);
  });

  it('offsets out of range, overlapping, gaps, extra data', () => {
    const data = new Uint8Array(16);
    expect(() => deserialize(withHeader({ a: { dtype: 'F32', shape: [4], data_offsets: [0, 32] } }, data))).toThrow(
      /tensor "a": data_offsets \[0, 32\] run past the end of the 16-byte data section/,
    );
    expect(() =>
      deserialize(
        withHeader(
          {
            a: { dtype: 'F32', shape: [4], data_offsets: [0, 16] },
            b: { dtype: 'F32', shape: [2], data_offsets: [8, 16] },
          },
          data,
        ),
      ),
    ).toThrow(/tensor "b": data_offsets \[8, 16\] overlap the previous tensor/);
    expect(() => deserialize(withHeader({ a: { dtype: 'F32', shape: [2], data_offsets: [8, 16] } }, data))).toThrow(
      /leave a gap after byte 0/,
    );
    expect(() => deserialize(withHeader({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, data))).toThrow(
      /the tensors cover 8 bytes but the data section has 16/,
    );
    expect(() => deserialize(withHeader({ a: { dtype: 'F32', shape: [2], data_offsets: [8, 0] } }, data))).toThrow(/0 ≤ begin ≤ end/);
  });

  it('dtype, shape and byte length must agree; huge claimed shapes are refused', () => {
    const data = new Uint8Array(16);
    expect(() =>
      deserialize(withHeader({ a: { dtype: 'F32', shape: [1_000_000, 1_000_000, 1_000_000], data_offsets: [0, 16] } }, data)),
    ).toThrow(/tensor "a": F32 shape \[1000000, 1000000, 1000000\] needs 4000000000000000000 bytes but data_offsets \[0, 16\] hold 16/);
    expect(() => deserialize(withHeader({ a: { dtype: 'F64', shape: [4], data_offsets: [0, 16] } }, data))).toThrow(/needs 32 bytes/);
    expect(() => deserialize(withHeader({ a: { dtype: 'Q7', shape: [4], data_offsets: [0, 16] } }, data))).toThrow(/unknown dtype "Q7"/);
    // Names an object inherits are not dtypes.
    for (const name of ['toString', '__proto__', 'constructor', 'hasOwnProperty']) {
      expect(() => deserialize(withHeader({ a: { dtype: name, shape: [4], data_offsets: [0, 16] } }, data))).toThrow(
        `safetensors: tensor "a": unknown dtype "${name}"`,
      );
    }
    expect(() => deserialize(withHeader({ a: { dtype: 'F32', shape: [-4], data_offsets: [0, 16] } }, data))).toThrow(
      /non-negative integers/,
    );
    expect(() => deserialize(withHeader({ a: { dtype: 'U64', shape: [2], data_offsets: [0, 16] } }, data))).toThrow(
      /dtype U64 cannot be read/,
    );
    expect(() => deserialize(withHeader({ __metadata__: { a: 1 } }))).toThrow(/__metadata__ value "a" is not a string/);
  });

  it('reads the other common dtypes: F16, BF16, U8, I8, I16, U16', () => {
    const data = Uint8Array.from([0x00, 0x3c, 0x00, 0xc0, 0x80, 0x3f, 0xff, 0x01, 0xff, 0xfe, 0xff, 0xfe, 0xff]);
    const header = {
      h: { dtype: 'F16', shape: [2], data_offsets: [0, 4] },
      bf: { dtype: 'BF16', shape: [1], data_offsets: [4, 6] },
      u8: { dtype: 'U8', shape: [1], data_offsets: [6, 7] },
      i8: { dtype: 'I8', shape: [2], data_offsets: [7, 9] },
      i16: { dtype: 'I16', shape: [1], data_offsets: [9, 11] },
      u16: { dtype: 'U16', shape: [1], data_offsets: [11, 13] },
    };
    const t = deserialize(withHeader(header, data));
    expect(t.h.toArray()).toEqual([1, -2]);
    expect(t.bf.toArray()).toEqual([1]);
    expect(t.u8.toArray()).toEqual([255]);
    expect(t.i8.toArray()).toEqual([1, -1]);
    expect(t.i16.toArray()).toEqual([-2]);
    expect(t.u16.toArray()).toEqual([65534]);
  });
});

it('fixtures record the command that made them', () => {
  expect(described.command).toBe('/usr/bin/python3 tools/gen_safetensors_fixture.py');
});
