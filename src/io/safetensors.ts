/**
 * The safetensors format (https://github.com/huggingface/safetensors), browser-safe:
 *
 * ```
 * [8 bytes: N, little-endian u64][N bytes: JSON header][data]
 * header = {"__metadata__": {str: str}?, name: {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, …}
 * ```
 * Offsets are relative to the start of the data section; tensors are row-major little-endian and
 * together cover the data section exactly, without gaps or overlaps.
 *
 * Writing follows the reference (Rust) writer: tensors ordered by dtype alignment (largest first)
 * then name, the data packed in that order, `__metadata__` first in the header, the header
 * padded with spaces to a multiple of 8 bytes so that the data section starts 8-byte aligned.
 * Reading validates everything (header size ≤ 100 MB, JSON shape, dtypes, shapes, offsets inside
 * the buffer, contiguous and non-overlapping, byte lengths matching dtype × shape) before it
 * allocates any tensor.
 */
import { isOptionsObject } from '../tensor/args.js';
import { allocate, type DType, type TypedArray } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';

/** The reference implementation's limit on the JSON header. */
export const MAX_HEADER_BYTES = 100_000_000;

/** Dtype names of the format, with their element sizes. */
const DTYPE_BYTES: Record<string, number> = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E5M2: 1,
  F8_E4M3: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  F64: 8,
  I64: 8,
  U64: 8,
};

/** The reference writer's alignment order (its `Dtype` enum order); larger sorts first. */
const DTYPE_RANK: Record<string, number> = {
  BOOL: 0,
  U8: 1,
  I8: 2,
  F8_E5M2: 3,
  F8_E4M3: 4,
  I16: 5,
  U16: 6,
  F16: 7,
  BF16: 8,
  I32: 9,
  U32: 10,
  F32: 11,
  F64: 12,
  I64: 13,
  U64: 14,
};

const WRITE_DTYPE: Record<DType, string> = { float32: 'F32', float64: 'F64', int32: 'I32', bool: 'BOOL' };

/** What nabla reads a safetensors dtype as, if it can. */
function readAs(dtype: string): DType | undefined {
  return Object.hasOwn(READ_AS, dtype) ? READ_AS[dtype] : undefined;
}

/**
 * Sets `obj[key] = value` as an own data property. Plain assignment is much faster on objects
 * with millions of keys; only the key `__proto__` needs defineProperty (assignment would set the
 * prototype instead).
 */
function put<T>(obj: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, configurable: true, writable: true });
  else obj[key] = value;
}

/** What nabla reads each safetensors dtype as. */
const READ_AS: Record<string, DType | undefined> = {
  F32: 'float32',
  F64: 'float64',
  F16: 'float32',
  BF16: 'float32',
  I32: 'int32',
  I64: 'int32',
  U32: 'int32',
  I16: 'int32',
  U16: 'int32',
  I8: 'int32',
  U8: 'int32',
  BOOL: 'bool',
};

/** One tensor's entry in a safetensors header. */
export interface SafetensorsEntry {
  dtype: string;
  shape: number[];
  /** [begin, end) byte offsets in the data section. */
  dataOffsets: [number, number];
}

/** A validated header. */
export interface SafetensorsHeader {
  metadata: Record<string, string> | null;
  /** Entries in the order of their data. */
  tensors: Record<string, SafetensorsEntry>;
  /** Byte offset of the data section in the buffer (8 + header length). */
  dataStart: number;
}

/** Tensors by name, as a state dict is. */
export type TensorMap = Record<string, Tensor> | Map<string, Tensor>;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function fail(msg: string): never {
  throw new Error(`safetensors: ${msg}`);
}

function entriesOf(tensors: TensorMap): [string, Tensor][] {
  return tensors instanceof Map ? [...tensors.entries()] : Object.entries(tensors);
}

/** Little-endian bytes of a TypedArray's elements. */
function leBytes(data: ArrayBufferView, elemSize: number): Uint8Array {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (LITTLE_ENDIAN || elemSize === 1) return bytes;
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += elemSize) for (let b = 0; b < elemSize; b++) out[i + b] = bytes[i + elemSize - 1 - b];
  return out;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/**
 * Encodes tensors (float32 → F32, float64 → F64, int32 → I32, bool → BOOL) and optional string
 * metadata as a safetensors file. Non-contiguous tensors are written in row-major order.
 * @example writeFileSync('model.safetensors', io.serialize(model.stateDict(), { epoch: '3' }))
 */
export function serialize(tensors: TensorMap, metadata?: Record<string, string> | null): Uint8Array {
  if (metadata !== undefined && metadata !== null && !isOptionsObject(metadata)) {
    fail(
      `metadata must be an object of string values, like { epoch: '3' } (got ${typeof metadata === 'object' ? `a ${(metadata as object).constructor?.name}` : typeof metadata})`,
    );
  }
  const enc = new TextEncoder();
  const items = entriesOf(tensors).map(([name, t]) => {
    if (!(t instanceof Tensor)) fail(`value of "${name}" is not a Tensor`);
    if (name === '__metadata__') fail('a tensor cannot be named "__metadata__"');
    return { name, key: enc.encode(name), t, dtype: WRITE_DTYPE[t.dtype] };
  });
  // Names compare as UTF-8 bytes, like Rust's str ordering.
  items.sort((a, b) => DTYPE_RANK[b.dtype] - DTYPE_RANK[a.dtype] || compareBytes(a.key, b.key));
  const header: Record<string, unknown> = {};
  if (metadata !== undefined && metadata !== null) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') fail(`metadata values must be strings; "${k}" is ${typeof v}`);
    }
    header.__metadata__ = metadata;
  }
  let offset = 0;
  const datas: Uint8Array[] = [];
  for (const { name, t, dtype } of items) {
    const bytes = leBytes(t.data, DTYPE_BYTES[dtype]);
    datas.push(bytes);
    Object.defineProperty(header, name, {
      value: { dtype, shape: [...t.shape], data_offsets: [offset, offset + bytes.length] },
      enumerable: true,
      configurable: true,
      writable: true,
    });
    offset += bytes.length;
  }
  const json = enc.encode(JSON.stringify(header));
  const padded = json.length + ((8 - (json.length % 8)) % 8);
  const out = new Uint8Array(8 + padded + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(padded), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + padded);
  let at = 8 + padded;
  for (const d of datas) {
    out.set(d, at);
    at += d.length;
  }
  return out;
}

function isNonNegInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/**
 * Parses and validates the header of a safetensors buffer without touching tensor data: sizes,
 * JSON structure, dtypes, shapes, and that the offsets tile the data section exactly.
 */
export function readHeader(bytes: Uint8Array): SafetensorsHeader {
  const { metadata, list, dataStart } = parseHeader(bytes);
  const tensors: Record<string, SafetensorsEntry> = {};
  for (const { name, entry } of list) put(tensors, name, entry);
  return { metadata, tensors, dataStart };
}

/** {@link readHeader}'s work, with the entries as a list in data order. */
function parseHeader(bytes: Uint8Array): {
  metadata: Record<string, string> | null;
  list: { name: string; entry: SafetensorsEntry }[];
  dataStart: number;
} {
  if (!(bytes instanceof Uint8Array)) fail('expected the file contents as a Uint8Array');
  if (bytes.length < 8) fail(`file too short: ${bytes.length} bytes, need at least 8 for the header length`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = dv.getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES))
    fail(`header length ${n} exceeds the ${MAX_HEADER_BYTES}-byte limit (corrupt or not a safetensors file)`);
  const headerLen = Number(n);
  if (8 + headerLen > bytes.length) fail(`header length ${headerLen} runs past the end of the ${bytes.length}-byte file (truncated?)`);
  if (headerLen < 2) fail(`header length ${headerLen} is too small for a JSON object`);
  let parsed: unknown;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLen));
    if (!text.startsWith('{')) fail('header does not start with "{"');
    parsed = JSON.parse(text);
  } catch (e) {
    if (e instanceof Error && e.message.startsWith('safetensors:')) throw e;
    fail(`header is not valid UTF-8 JSON: ${(e as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) fail('header is not a JSON object');
  let metadata: Record<string, string> | null = null;
  const list: { name: string; entry: SafetensorsEntry }[] = [];
  for (const [name, raw] of Object.entries(parsed as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail('__metadata__ must be an object of strings');
      for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
        if (typeof v !== 'string') fail(`__metadata__ value "${k}" is not a string`);
      }
      metadata = raw as Record<string, string>;
      continue;
    }
    if (raw === null || typeof raw !== 'object') fail(`entry "${name}" is not an object`);
    const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>;
    // Own keys only: 'toString' or '__proto__' are not dtypes.
    if (typeof dtype !== 'string' || !Object.hasOwn(DTYPE_BYTES, dtype)) fail(`tensor "${name}": unknown dtype ${JSON.stringify(dtype)}`);
    if (!Array.isArray(shape) || !shape.every(isNonNegInt))
      fail(`tensor "${name}": shape must be a list of non-negative integers (got ${JSON.stringify(shape)})`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isNonNegInt) || offsets[0] > offsets[1]) {
      fail(`tensor "${name}": data_offsets must be [begin, end] with 0 ≤ begin ≤ end (got ${JSON.stringify(offsets)})`);
    }
    list.push({ name, entry: { dtype, shape: shape as number[], dataOffsets: [offsets[0], offsets[1]] } });
  }
  const dataStart = 8 + headerLen;
  const dataLen = bytes.length - dataStart;
  // Writers list tensors in data order; sort only when this one did not.
  const before = (a: (typeof list)[number], b: (typeof list)[number]) =>
    a.entry.dataOffsets[0] - b.entry.dataOffsets[0] || a.entry.dataOffsets[1] - b.entry.dataOffsets[1];
  let sorted = true;
  for (let i = 1; i < list.length && sorted; i++) sorted = before(list[i - 1], list[i]) <= 0;
  if (!sorted) list.sort(before);
  let expected = 0;
  for (const { name, entry } of list) {
    const [begin, end] = entry.dataOffsets;
    if (begin !== expected) {
      fail(
        begin < expected
          ? `tensor "${name}": data_offsets [${begin}, ${end}] overlap the previous tensor (which ends at ${expected})`
          : `tensor "${name}": data_offsets [${begin}, ${end}] leave a gap after byte ${expected} of the data section`,
      );
    }
    if (end > dataLen)
      fail(`tensor "${name}": data_offsets [${begin}, ${end}] run past the end of the ${dataLen}-byte data section (truncated?)`);
    let numel = 1;
    for (const s of entry.shape) numel *= s;
    const need = numel * DTYPE_BYTES[entry.dtype];
    if (need !== end - begin) {
      fail(
        `tensor "${name}": ${entry.dtype} shape [${entry.shape.join(', ')}] needs ${need} bytes but data_offsets [${begin}, ${end}] hold ${end - begin}`,
      );
    }
    expected = end;
  }
  if (expected !== dataLen) fail(`the tensors cover ${expected} bytes but the data section has ${dataLen} (extra or missing data)`);
  return { metadata, list, dataStart };
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** Storage shared by the tensors of one dtype that are copied as raw bytes (see {@link deserializeWithMetadata}). */
interface Pool {
  data: TypedArray;
  /** The same memory as bytes. */
  bytes: Uint8Array;
  at: number;
}

function decode(name: string, entry: SafetensorsEntry, bytes: Uint8Array, start: number, pool: Pool | undefined): Tensor {
  const dtype = readAs(entry.dtype);
  if (dtype === undefined) fail(`tensor "${name}": dtype ${entry.dtype} cannot be read into a nabla tensor`);
  const size = DTYPE_BYTES[entry.dtype];
  const [begin, end] = entry.dataOffsets;
  const numel = (end - begin) / size;
  if (pool !== undefined) {
    // Little-endian F32/F64/I32: the bytes are the values; copy them into the tensor's slice.
    pool.bytes.set(bytes.subarray(start + begin, start + end), pool.at * size);
    const out = pool.data.subarray(pool.at, pool.at + numel);
    pool.at += numel;
    return Tensor._fromData(out, entry.shape, dtype);
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset + start + begin, end - begin);
  const out = allocate(dtype, numel);
  switch (entry.dtype) {
    case 'F32':
    case 'F64':
    case 'I32':
      // Big-endian hosts only (little-endian ones take the pool path).
      if (entry.dtype === 'F32') for (let i = 0; i < numel; i++) out[i] = dv.getFloat32(4 * i, true);
      else if (entry.dtype === 'F64') for (let i = 0; i < numel; i++) out[i] = dv.getFloat64(8 * i, true);
      else for (let i = 0; i < numel; i++) out[i] = dv.getInt32(4 * i, true);
      break;
    case 'BOOL':
    case 'U8':
      for (let i = 0; i < numel; i++) out[i] = entry.dtype === 'BOOL' ? (dv.getUint8(i) !== 0 ? 1 : 0) : dv.getUint8(i);
      break;
    case 'I8':
      for (let i = 0; i < numel; i++) out[i] = dv.getInt8(i);
      break;
    case 'I16':
      for (let i = 0; i < numel; i++) out[i] = dv.getInt16(2 * i, true);
      break;
    case 'U16':
      for (let i = 0; i < numel; i++) out[i] = dv.getUint16(2 * i, true);
      break;
    case 'F16':
      for (let i = 0; i < numel; i++) out[i] = halfToFloat(dv.getUint16(2 * i, true));
      break;
    case 'BF16':
      for (let i = 0; i < numel; i++) {
        u32[0] = dv.getUint16(2 * i, true) << 16;
        out[i] = f32[0];
      }
      break;
    case 'U32':
      for (let i = 0; i < numel; i++) {
        const v = dv.getUint32(4 * i, true);
        if (v > 0x7fffffff) fail(`tensor "${name}": U32 value ${v} at element ${i} does not fit in int32`);
        out[i] = v;
      }
      break;
    case 'I64':
      for (let i = 0; i < numel; i++) {
        const lo = dv.getInt32(8 * i, true);
        const hi = dv.getInt32(8 * i + 4, true);
        if (hi !== lo >> 31) {
          fail(
            `tensor "${name}": I64 value ${dv.getBigInt64(8 * i, true)} at element ${i} does not fit in int32 (nabla stores int64 as int32)`,
          );
        }
        out[i] = lo;
      }
      break;
  }
  return Tensor._fromData(out, [...entry.shape], dtype);
}

/** The tensors and metadata of a safetensors buffer. */
export interface Deserialized {
  tensors: Record<string, Tensor>;
  metadata: Record<string, string> | null;
}

/**
 * Decodes a safetensors buffer into tensors and its `__metadata__`, validating the whole header
 * first (see {@link readHeader}). F32/F64/I32/BOOL map to their nabla dtypes; F16/BF16 widen to
 * float32; I64 (PyTorch's int64), U32 and the narrower integers become int32 — an I64/U32 value
 * outside int32's range is an error, never a silent wrap.
 */
export function deserializeWithMetadata(bytes: Uint8Array): Deserialized {
  const header = parseHeader(bytes);
  const entries = header.list;
  // Tensors read as raw little-endian bytes share one allocation per dtype, each a slice of it:
  // a file of a million tiny tensors then costs one allocation, not a million.
  const elements = new Map<DType, number>();
  for (const { name, entry } of entries) {
    const dtype = readAs(entry.dtype);
    if (dtype === undefined) fail(`tensor "${name}": dtype ${entry.dtype} cannot be read into a nabla tensor`);
    if (LITTLE_ENDIAN && RAW.has(entry.dtype)) {
      const [begin, end] = entry.dataOffsets;
      elements.set(dtype, (elements.get(dtype) ?? 0) + (end - begin) / DTYPE_BYTES[entry.dtype]);
    }
  }
  const pools = new Map<DType, Pool>();
  for (const [dtype, n] of elements) {
    const data = allocate(dtype, n);
    pools.set(dtype, { data, bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), at: 0 });
  }
  const tensors: Record<string, Tensor> = {};
  // The shape arrays come fresh from JSON.parse and are handed to the tensors as they are.
  for (const { name, entry } of entries) {
    const pool = LITTLE_ENDIAN && RAW.has(entry.dtype) ? pools.get(READ_AS[entry.dtype] as DType) : undefined;
    put(tensors, name, decode(name, entry, bytes, header.dataStart, pool));
  }
  return { tensors, metadata: header.metadata };
}

/** Dtypes whose little-endian bytes are nabla's storage bytes as they are. */
const RAW: ReadonlySet<string> = new Set(['F32', 'F64', 'I32']);

/** Decodes a safetensors buffer into tensors by name (see {@link deserializeWithMetadata}). */
export function deserialize(bytes: Uint8Array): Record<string, Tensor> {
  return deserializeWithMetadata(bytes).tensors;
}
