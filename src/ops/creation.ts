import { stridedOf } from '../backend/backend.js';
import { cpuDevice, type Device, type DeviceLike, defaultDeviceObject, getDevice } from '../backend/device.js';
import { checkOptions, kinds, type SizeArgs, sizeArgs } from '../tensor/args.js';
import { allocate, checkDType, type DType, defaultFloatDType, dtypeOfArray, type TypedArray } from '../tensor/dtype.js';
import { checkInt32 } from '../tensor/int-range.js';
import { checkShape, contiguousStrides } from '../tensor/shape.js';
import { type NestedArray, Storage, Tensor } from '../tensor/tensor.js';

/** Options shared by creation functions. */
export interface CreateOptions {
  dtype?: DType;
  /** Where the tensor lives ('cpu', 'webgpu', …); default: {@link getDefaultDevice}. */
  device?: DeviceLike;
  requiresGrad?: boolean;
}

const deviceKind = {
  desc: "a device name such as 'cpu'",
  ok: (v: unknown) => typeof v === 'string' || (typeof v === 'object' && v !== null && 'memory' in v && 'kernels' in v),
};
const createKeys = [
  ['dtype', kinds.string],
  ['device', deviceKind],
  ['requiresGrad', kinds.bool],
] as const;
const hostKeys = [
  ['dtype', kinds.string],
  ['requiresGrad', kinds.bool],
] as const;

/** The device `opts` names, or the default device. */
export function deviceOption(fn: string, opts: { device?: DeviceLike } | undefined): Device {
  return opts?.device === undefined ? defaultDeviceObject() : getDevice(opts.device, fn);
}

function finish(t: Tensor, opts: CreateOptions | undefined): Tensor {
  if (opts?.requiresGrad) t.requiresGrad_(true);
  return t;
}

function inferNested(op: string, data: NestedArray): { shape: number[]; flat: (number | boolean)[] } {
  const shape: number[] = [];
  for (let d: NestedArray = data; Array.isArray(d); d = d[0]) {
    shape.push(d.length);
    if (d.length === 0) break;
  }
  const flat: (number | boolean)[] = [];
  const walk = (d: NestedArray, depth: number) => {
    if (depth === shape.length) {
      if (Array.isArray(d)) throw new TypeError(`${op}: too many nesting levels at depth ${depth} (expected a number)`);
      if (typeof d !== 'number' && typeof d !== 'boolean') {
        throw new TypeError(`${op}: expected numbers or booleans, got ${typeof d}`);
      }
      flat.push(d);
      return;
    }
    if (!Array.isArray(d) || d.length !== shape[depth]) {
      const got = Array.isArray(d) ? `length ${d.length}` : 'a scalar';
      throw new RangeError(`${op}: expected a sequence of length ${shape[depth]} at dim ${depth} (got ${got})`);
    }
    for (const x of d) walk(x, depth + 1);
  };
  walk(data, 0);
  return { shape, flat };
}

function inferDType(values: ArrayLike<number | boolean>): DType {
  if (values.length === 0) return defaultFloatDType;
  let allBool = true;
  let allInt = true;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'boolean') {
      allBool = false;
      if (!Number.isInteger(v)) allInt = false;
    }
  }
  return allBool ? 'bool' : allInt ? 'int32' : defaultFloatDType;
}

/**
 * The dtype of JS literals: all booleans → bool, any number → float32. JS has no float literal
 * (`1.0 === 1`), so integer-looking numbers cannot mean int64 as in PyTorch; like TF.js and
 * jax-js, nabla reads numbers as float32 and integer tensors are asked for by dtype, Int32Array,
 * or come from randint/argmax/arange.
 */
function literalDType(values: ArrayLike<number | boolean>): DType {
  for (let i = 0; i < values.length; i++) if (typeof values[i] !== 'boolean') return defaultFloatDType;
  return values.length === 0 ? defaultFloatDType : 'bool';
}

/** Converts values into `dtype`'s storage: bool stores nonzero (NaN included) as 1, like PyTorch. */
function fillFrom(out: TypedArray, values: ArrayLike<number | boolean>, dtype: DType): void {
  if (dtype === 'bool') for (let i = 0; i < values.length; i++) out[i] = values[i] !== 0 && values[i] !== false ? 1 : 0;
  else for (let i = 0; i < values.length; i++) out[i] = Number(values[i]);
}

/**
 * Creates a tensor from nested arrays, a number, or a TypedArray (copied). Numbers give float32
 * (`tensor([1, 2])` is float32, as `torch.tensor([1.0, 2.0])`; JS cannot tell 1 from 1.0) and
 * all-boolean data gives bool, unless `dtype` is given: `tensor([1, 2], { dtype: 'int32' })` for
 * indices and labels. A TypedArray keeps its element type, except that a Uint8Array (image bytes)
 * becomes int32 — pass `{ dtype: 'bool' }` for a mask.
 * @example tensor([[1, 2], [3, 4]], { dtype: 'float64', requiresGrad: true })
 */
export function tensor(data: NestedArray | TypedArray, opts?: CreateOptions): Tensor {
  if (opts !== undefined) sizeArgs('tensor', [[], opts], createKeys);
  if (opts?.dtype !== undefined) checkDType('tensor', opts.dtype);
  if (ArrayBuffer.isView(data)) {
    const dtype = opts?.dtype ?? (data instanceof Uint8Array ? 'int32' : dtypeOfArray(data));
    if (dtype === 'int32' && !(data instanceof Int32Array || data instanceof Uint8Array)) checkInt32('tensor', data as ArrayLike<number>);
    const out = allocate(dtype, data.length);
    fillFrom(out, data, dtype);
    return finish(Tensor._fromData(out, [data.length], dtype, deviceOption('tensor', opts)), opts);
  }
  const { shape, flat } = inferNested('tensor', data);
  const dtype = opts?.dtype ?? literalDType(flat);
  if (dtype === 'int32') checkInt32('tensor', flat);
  const out = allocate(dtype, flat.length);
  fillFrom(out, flat, dtype);
  return finish(Tensor._fromData(out, shape, dtype, deviceOption('tensor', opts)), opts);
}

/**
 * Wraps a TypedArray without copying (like `torch.from_numpy`): the tensor and the array share
 * memory, so it is always on 'cpu'. `shape` defaults to 1-D.
 */
export function fromTypedArray(data: TypedArray, shape?: readonly number[], opts?: Omit<CreateOptions, 'device'>): Tensor {
  checkOptions('fromTypedArray', opts, hostKeys, 'fromTypedArray(…, { dtype, requiresGrad })');
  const dtype = dtypeOfArray(data);
  if (opts?.dtype && opts.dtype !== dtype) {
    throw new TypeError(`fromTypedArray: a ${data.constructor.name} holds ${dtype}, not ${opts.dtype}`);
  }
  const s = checkShape('fromTypedArray', shape ?? [data.length], data.length);
  return finish(new Tensor(new Storage(cpuDevice, data, dtype, data.length), s, contiguousStrides(s), 0, dtype), opts);
}

/** A tensor filled with `value`; the dtype follows the value (number → float32, boolean → bool). */
export function full(shape: readonly number[] | number, value: number | boolean, opts?: CreateOptions): Tensor {
  return filled('full', shape, value, opts);
}

/** `full` for the function `fn` (zeros, ones, …), which errors name. */
function filled(fn: string, shape: readonly number[] | number, value: number | boolean, opts?: CreateOptions): Tensor {
  const s = checkShape(fn, typeof shape === 'number' ? [shape] : shape);
  if (opts !== undefined) sizeArgs(fn, [[], opts], createKeys);
  const dtype = opts?.dtype ?? literalDType([value]);
  if (dtype === 'int32') checkInt32(fn, [value]);
  const device = deviceOption(fn, opts);
  const t = Tensor._empty(s, dtype, device);
  if (value !== 0 && value !== false) device.kernels.fill(stridedOf(t), t.shape, Number(value));
  return finish(t, opts);
}

/** Zeros of a shape given as `zeros(2, 3)` or `zeros([2, 3])`, optionally with `{ dtype, requiresGrad }`. */
export function zeros(...args: SizeArgs<CreateOptions>): Tensor {
  const { shape, opts } = sizeArgs<CreateOptions>('zeros', args, createKeys);
  return filled('zeros', shape, 0, { dtype: defaultFloatDType, ...opts });
}

/** Ones of a shape given as `ones(2, 3)` or `ones([2, 3])`, optionally with `{ dtype, requiresGrad }`. */
export function ones(...args: SizeArgs<CreateOptions>): Tensor {
  const { shape, opts } = sizeArgs<CreateOptions>('ones', args, createKeys);
  return filled('ones', shape, 1, { dtype: defaultFloatDType, ...opts });
}

/** Uninitialized in PyTorch; zero-filled here since JS allocations are zeroed anyway. */
export function empty(...args: SizeArgs<CreateOptions>): Tensor {
  const { shape, opts } = sizeArgs<CreateOptions>('empty', args, createKeys);
  return filled('empty', shape, 0, { dtype: defaultFloatDType, ...opts });
}

export function zerosLike(t: Tensor, opts?: CreateOptions): Tensor {
  checkOptions('zerosLike', opts, createKeys, 'zerosLike(…, { dtype, device, requiresGrad })');
  return filled('zerosLike', t.shape, 0, { dtype: t.dtype, device: t._device, ...opts });
}

export function onesLike(t: Tensor, opts?: CreateOptions): Tensor {
  checkOptions('onesLike', opts, createKeys, 'onesLike(…, { dtype, device, requiresGrad })');
  return filled('onesLike', t.shape, 1, { dtype: t.dtype, device: t._device, ...opts });
}

export function fullLike(t: Tensor, value: number | boolean, opts?: CreateOptions): Tensor {
  checkOptions('fullLike', opts, createKeys, 'fullLike(…, { dtype, device, requiresGrad })');
  return filled('fullLike', t.shape, value, { dtype: t.dtype, device: t._device, ...opts });
}

export function emptyLike(t: Tensor, opts?: CreateOptions): Tensor {
  checkOptions('emptyLike', opts, createKeys, 'emptyLike(…, { dtype, device, requiresGrad })');
  return filled('emptyLike', t.shape, 0, { dtype: t.dtype, device: t._device, ...opts });
}

/** A 0-d tensor holding `value` in `dtype` (an int32 scalar out of range is an error, not a wrap). */
export function scalarTensor(value: number, dtype: DType, device?: Device): Tensor {
  if (dtype === 'int32') checkInt32('scalar operand', [value]);
  const data = allocate(dtype, 1);
  data[0] = value;
  return Tensor._fromData(data, [], dtype, device);
}

/**
 * Values from `start` to `end` (exclusive) by `step`: `arange(5)`, `arange(1, 4)`,
 * `arange(0, 1, 0.25)`. Integer arguments give int32, otherwise float32, like PyTorch.
 */
export function arange(startOrEnd: number, end?: number, step = 1, opts?: CreateOptions): Tensor {
  checkOptions('arange', opts, createKeys, 'arange(…, { dtype, device, requiresGrad })');
  for (const v of [startOrEnd, end ?? 0, step]) {
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new RangeError(
        `arange: start, end and step must be finite numbers (got ${[startOrEnd, end, step].filter((x) => x !== undefined).join(', ')})`,
      );
  }
  const dtype = opts?.dtype ?? inferDType([startOrEnd, end ?? 0, step]);
  // An integer result computes in integers, as PyTorch's int64 arange does (arange(0, 5, 1.5,
  // { dtype: 'int32' }) steps by 1).
  const cast = dtype === 'int32' ? Math.trunc : (v: number) => v;
  const start = cast(end === undefined ? 0 : startOrEnd);
  const stop = cast(end === undefined ? startOrEnd : end);
  const by = cast(step);
  if (by === 0) throw new RangeError('arange: step must be nonzero');
  if ((stop - start) / by < 0) {
    throw new RangeError(`arange: upper bound and larger bound inconsistent with step sign (start ${start}, end ${stop}, step ${by})`);
  }
  const n = Math.ceil((stop - start) / by);
  if (dtype === 'int32' && n > 0) checkInt32('arange', [start, start + by * (n - 1)]);
  const data = allocate(dtype, n);
  // Computed in double then rounded, as PyTorch's CPU kernel does with its accumulate type.
  for (let i = 0; i < n; i++) data[i] = start + by * i;
  return finish(Tensor._fromData(data, [n], dtype, deviceOption('arange', opts)), opts);
}

/** `steps` evenly spaced values from `start` to `end` inclusive (float32 unless given). */
export function linspace(start: number, end: number, steps: number, opts?: CreateOptions): Tensor {
  checkOptions('linspace', opts, createKeys, 'linspace(…, { dtype, device, requiresGrad })');
  if (!Number.isInteger(steps) || steps < 0)
    throw new RangeError(`linspace: number of steps must be a non-negative integer (got ${steps})`);
  const dtype = opts?.dtype ?? defaultFloatDType;
  const data = allocate(dtype, steps);
  if (steps === 1) data[0] = start;
  else if (steps > 1) {
    // PyTorch's kernel: the first half counts up from start, the second half down from end.
    const r = dtype === 'float32' ? Math.fround : (v: number) => v;
    const s = r(start);
    const e = r(end);
    const step = r((e - s) / (steps - 1));
    const half = Math.floor(steps / 2);
    for (let i = 0; i < steps; i++) data[i] = i < half ? s + r(step * i) : e - r(step * (steps - i - 1));
  }
  return finish(Tensor._fromData(data, [steps], dtype, deviceOption('linspace', opts)), opts);
}

/** The n×m identity (m defaults to n). */
export function eye(n: number, m = n, opts?: CreateOptions): Tensor {
  checkOptions('eye', opts, createKeys, 'eye(…, { dtype, device, requiresGrad })');
  const t = zeros(checkShape('eye', [n, m]), { dtype: defaultFloatDType, ...opts, requiresGrad: false });
  // The diagonal as a strided view: stride m + 1 walks it.
  t._device.kernels.fill({ ...stridedOf(t), strides: [m + 1] }, [Math.min(n, m)], 1);
  return finish(t, opts);
}
