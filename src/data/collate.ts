import { stack } from '../ops/join.js';
import { shapeStr } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * The batch type {@link defaultCollate} makes from samples of type `T`: tensors and numbers become
 * tensors with a leading batch dim, strings a list, tuples/arrays and objects keep their structure.
 */
export type Collated<T> = T extends Tensor
  ? Tensor
  : T extends number | boolean
    ? Tensor
    : T extends string
      ? string[]
      : T extends readonly unknown[]
        ? { -readonly [K in keyof T]: Collated<T[K]> }
        : T extends object
          ? { [K in keyof T]: Collated<T[K]> }
          : never;

function collateNumbers(batch: readonly number[]): Tensor {
  const allInt = batch.every((v) => Number.isInteger(v) && v >= -2147483648 && v <= 2147483647);
  const dtype = allInt ? 'int32' : 'float32';
  const data = allInt ? new Int32Array(batch.length) : new Float32Array(batch.length);
  for (let i = 0; i < batch.length; i++) data[i] = batch[i];
  return Tensor._fromData(data, [batch.length], dtype);
}

function collateAt(batch: readonly unknown[], path: string): unknown {
  const first = batch[0];
  const where = path === '' ? '' : ` at ${path}`;
  if (first instanceof Tensor) {
    batch.forEach((b, i) => {
      if (!(b instanceof Tensor)) throw new TypeError(`defaultCollate: sample ${i}${where} is not a Tensor like sample 0`);
      if (b.shape.length !== first.shape.length || b.shape.some((s, k) => s !== first.shape[k])) {
        throw new RangeError(
          `defaultCollate: stack expects each tensor to be equal size, but got ${shapeStr(first.shape)} at sample 0 and ` +
            `${shapeStr(b.shape)} at sample ${i}${where}`,
        );
      }
    });
    return stack(batch as Tensor[], 0);
  }
  if (typeof first === 'number') {
    batch.forEach((b, i) => {
      if (typeof b !== 'number') throw new TypeError(`defaultCollate: sample ${i}${where} is not a number like sample 0`);
    });
    return collateNumbers(batch as number[]);
  }
  if (typeof first === 'boolean') {
    const data = new Uint8Array(batch.length);
    batch.forEach((b, i) => {
      if (typeof b !== 'boolean') throw new TypeError(`defaultCollate: sample ${i}${where} is not a boolean like sample 0`);
      data[i] = b ? 1 : 0;
    });
    return Tensor._fromData(data, [batch.length], 'bool');
  }
  if (typeof first === 'string') return [...(batch as string[])];
  if (Array.isArray(first)) {
    const n = first.length;
    batch.forEach((b, i) => {
      if (!Array.isArray(b) || b.length !== n) {
        throw new RangeError(
          `defaultCollate: each element in list of batch should be of equal size (sample 0 has ${n}, sample ${i} has ${Array.isArray(b) ? b.length : 'no list'})${where}`,
        );
      }
    });
    const out: unknown[] = [];
    for (let k = 0; k < n; k++)
      out.push(
        collateAt(
          batch.map((b) => (b as unknown[])[k]),
          `${path}[${k}]`,
        ),
      );
    return out;
  }
  if (first !== null && typeof first === 'object' && Object.getPrototypeOf(first) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(first)) {
      out[key] = collateAt(
        batch.map((b) => (b as Record<string, unknown>)[key]),
        `${path}.${key}`,
      );
    }
    return out;
  }
  throw new TypeError(
    `defaultCollate: batch must contain tensors, numbers, booleans, strings, arrays or plain objects; found ${first === null ? 'null' : typeof first}${where}`,
  );
}

/**
 * PyTorch's `default_collate`: stacks tensors into one with a new leading batch dim; numbers
 * become a 1-D tensor (int32 when all are integers in int32 range, otherwise float32 — PyTorch
 * makes int64 / float64); booleans a bool tensor; strings stay a list; arrays (tuples) and
 * plain objects are collated position by position / key by key.
 * @example defaultCollate([[x0, 3], [x1, 5]]) // → [stack([x0, x1]), tensor([3, 5])]
 */
export function defaultCollate<T>(batch: readonly T[]): Collated<T> {
  if (batch.length === 0) throw new RangeError('defaultCollate: cannot collate an empty batch');
  return collateAt(batch, '') as Collated<T>;
}
