import { AccumulateGrad, type GradFn } from '../autograd/grad-fn.js';
import { stridedOf } from '../backend/backend.js';
import { cpuDevice, type Device } from '../backend/device.js';
import { allocate, type DType, isFloating, type TypedArray } from './dtype.js';
import { formatTensor } from './format.js';
import { contiguousStrides, isContiguous, numelOf } from './shape.js';

// Frees device buffers whose storage was garbage collected, for devices that need it (GPU
// buffers); host TypedArrays need nothing and are not registered.
interface Held {
  release: (buf: unknown) => void;
  buffer: unknown;
}
const reclaim: FinalizationRegistry<Held> | null =
  typeof FinalizationRegistry === 'function' ? new FinalizationRegistry<Held>((h) => h.release(h.buffer)) : null;

/**
 * The memory behind one or more tensors: a buffer of a device (an opaque handle, or a TypedArray
 * on host-memory devices), owned and read through that device (`device.memory`). Views share it,
 * and with it the version counter that in-place ops bump so autograd can detect that a saved
 * tensor changed. A device buffer that needs freeing is released when the storage is garbage
 * collected (FinalizationRegistry); users never free by hand.
 */
export class Storage {
  version = 0;
  constructor(
    readonly device: Device,
    readonly buffer: unknown,
    readonly dtype: DType,
    readonly length: number,
  ) {
    const memory = device.memory;
    if (memory.release !== undefined && reclaim !== null) reclaim.register(this, { release: (b) => memory.release?.(b), buffer });
  }
}

// A `.data`/`item()`/print on a device that cannot read synchronously: name the async form.
function noSyncRead(what: string, device: Device, asyncForm: string): Error {
  return new Error(
    `${what}: a tensor on the '${device.type}' device cannot be read synchronously; use ${asyncForm} (or move it with .cpu())`,
  );
}

/** Nested JS arrays of numbers/booleans, as `tensor()` accepts and `toArray()` returns. */
export type NestedArray = number | boolean | NestedArray[];

/**
 * An n-dimensional array of one dtype on one device, with autograd. Its memory is a device
 * buffer reclaimed with the tensor (a TypedArray on 'cpu'): there is no dispose(). Ops are
 * attached as methods in `methods.ts`.
 */
export class Tensor {
  /** The gradient accumulated by `backward()` (leaves, and non-leaves after `retainGrad()`). */
  grad: Tensor | null = null;
  /** The node that produced this tensor, or null for leaves. */
  gradFn: GradFn | null = null;
  /** @internal the tensor this one is a view of (the root base), for in-place checks. */
  _base: Tensor | null = null;
  /**
   * @internal set when backward hands this tensor out (a caller's seed, a stored `.grad`): the
   * engine then copies it rather than adopt it as another tensor's `.grad` (a flag rather than
   * a Set per backward, which cost more than the small steps it served).
   */
  _handedOut = false;
  private _requiresGrad = false;
  private _accumulator: AccumulateGrad | null = null;

  /** @internal use the creation functions (`tensor`, `zeros`, …) instead. */
  constructor(
    readonly storage: Storage,
    readonly shape: readonly number[],
    readonly strides: readonly number[],
    readonly offset: number,
    readonly dtype: DType,
  ) {}

  /**
   * @internal a fresh contiguous tensor over host `data` (whose element type is dtype's): on
   * 'cpu' it adopts the array (no copy); on another device it uploads a copy.
   */
  static _fromData(data: TypedArray, shape: readonly number[], dtype: DType, device: Device = cpuDevice): Tensor {
    const buffer = device === cpuDevice ? data : device.memory.upload(data, dtype);
    return new Tensor(new Storage(device, buffer, dtype, data.length), shape, contiguousStrides(shape), 0, dtype);
  }

  /** @internal a fresh contiguous tensor over a buffer of `device` (offset 0). */
  static _fromBuffer(device: Device, buffer: unknown, shape: readonly number[], dtype: DType): Tensor {
    const n = numelOf(shape);
    return new Tensor(new Storage(device, buffer, dtype, n), shape, contiguousStrides(shape), 0, dtype);
  }

  /** @internal a zero-filled contiguous tensor on `device` (default 'cpu'). */
  static _empty(shape: readonly number[], dtype: DType, device: Device = cpuDevice): Tensor {
    const n = numelOf(shape);
    let buffer: unknown;
    try {
      buffer = device.memory.alloc(dtype, n);
    } catch (e) {
      // V8's bare "Invalid typed array length" names neither the shape nor the dtype.
      throw new RangeError(
        `cannot allocate a ${dtype} tensor of shape [${shape.join(', ')}] (${n} elements) on '${device.type}': ${(e as Error).message}`,
      );
    }
    return new Tensor(new Storage(device, buffer, dtype, n), shape, contiguousStrides(shape), 0, dtype);
  }

  /** The name of the device holding this tensor's memory ('cpu', 'webgpu', …), like PyTorch's `x.device`. */
  get device(): string {
    return this.storage.device.type;
  }

  /** @internal the device object. */
  get _device(): Device {
    return this.storage.device;
  }

  get ndim(): number {
    return this.shape.length;
  }

  /** Number of elements. */
  get numel(): number {
    return numelOf(this.shape);
  }

  /** Number of elements, as a method (PyTorch's `nelement()`/`numel()`). */
  nelement(): number {
    return numelOf(this.shape);
  }

  /** `size()` is the shape; `size(d)` the size of dim d (negative counts from the end). */
  size(): readonly number[];
  size(dim: number): number;
  size(dim?: number): number | readonly number[] {
    if (dim === undefined) return this.shape;
    const d = dim < 0 ? dim + this.ndim : dim;
    if (d < 0 || d >= this.ndim) throw new RangeError(`size: dimension ${dim} out of range for a ${this.ndim}-d tensor`);
    return this.shape[d];
  }

  /** @internal the storage's version counter (bumped by in-place ops). */
  get _version(): number {
    return this.storage.version;
  }

  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  /** Whether gradients flow to this tensor: set on leaves; true for results of such tensors. */
  get requiresGrad(): boolean {
    return this._requiresGrad || this.gradFn !== null;
  }

  set requiresGrad(on: boolean) {
    this.requiresGrad_(on);
  }

  /** Sets `requiresGrad` on a leaf and returns this tensor. */
  requiresGrad_(on = true): this {
    if (!this.isLeaf) {
      throw new Error('requiresGrad: you can only change requiresGrad of leaf tensors; for a non-leaf use ' + 'detach() to get a leaf');
    }
    if (on && !isFloating(this.dtype)) {
      throw new TypeError(`requiresGrad: only floating-point tensors can require gradients (got ${this.dtype})`);
    }
    this._requiresGrad = on;
    return this;
  }

  /** @internal the graph node gradients flow into: gradFn, or the leaf's AccumulateGrad. */
  _gradEdge(): GradFn | null {
    if (this.gradFn) return this.gradFn;
    if (!this._requiresGrad) return null;
    this._accumulator ??= new AccumulateGrad(this);
    return this._accumulator;
  }

  /**
   * @internal the storage buffer seen from this tensor's first element, for kernels that take a
   * whole array (no copy; the device's window only when the offset is nonzero, since creating a
   * subarray costs more than a 4×4 product).
   */
  _buffer(): unknown {
    const s = this.storage;
    return this.offset === 0 ? s.buffer : s.device.memory.window(s.buffer, this.offset);
  }

  /** @internal storage element `pos` (an absolute position), read through the device's synchronous read. */
  _readElement(pos: number): number {
    const memory = this.storage.device.memory;
    if (memory.readSync === undefined) throw noSyncRead('read', this.storage.device, 'await x.dataAsync()');
    return memory.readSync(this.storage.buffer, pos, 1)[0];
  }

  /**
   * @internal writes `value` (rounded to the dtype) at storage element `pos` through the device's
   * write, without bumping the version counter (gradcheck's probes).
   */
  _writeElement(pos: number, value: number): void {
    const one = allocate(this.dtype, 1);
    one[0] = value;
    this.storage.device.memory.write(this.storage.buffer, one, pos);
  }

  /**
   * @internal makes this tensor a view of `src`'s memory (same shape and dtype), keeping its
   * identity, grad and graph role: PyTorch's `param.data = …`, used by `module.to(device)`.
   */
  _adopt(src: Tensor): void {
    if (src.dtype !== this.dtype || src.shape.length !== this.shape.length || src.shape.some((n, i) => n !== this.shape[i])) {
      throw new Error('_adopt: the new memory must have the same shape and dtype');
    }
    const self = this as { storage: Storage; strides: readonly number[]; offset: number };
    self.storage = src.storage;
    self.strides = src.strides;
    self.offset = src.offset;
  }

  /** @internal this tensor, or a contiguous copy of it on the same device (no autograd). */
  _contiguousCopy(): Tensor {
    if (this.isContiguous()) return this;
    const out = Tensor._empty(this.shape, this.dtype, this.storage.device);
    this.storage.device.kernels.copy(stridedOf(this), stridedOf(out), this.shape);
    return out;
  }

  /** Whether the elements are laid out row-major without gaps. */
  isContiguous(): boolean {
    return isContiguous(this.shape, this.strides);
  }

  /**
   * The values as a row-major TypedArray, read synchronously. On host memory ('cpu'), for a
   * contiguous tensor, this is a live view of its storage (writes show up in the tensor);
   * otherwise a fresh copy. A device that cannot read synchronously (WebGPU) throws: use
   * {@link dataAsync}.
   */
  get data(): TypedArray {
    const memory = this.storage.device.memory;
    if (memory.readSync === undefined) throw noSyncRead('data', this.storage.device, 'await x.dataAsync()');
    const c = this._contiguousCopy();
    return memory.readSync(c.storage.buffer, c.offset, c.numel);
  }

  /**
   * The values as a row-major TypedArray, read asynchronously: works on every device (a GPU's
   * buffer is copied back). On 'cpu' the same array `.data` gives.
   */
  async dataAsync(): Promise<TypedArray> {
    const c = this._contiguousCopy();
    return c.storage.device.memory.read(c.storage.buffer, c.offset, c.numel);
  }

  /**
   * `.data` is read-only: JS cannot overload `+=`, so `p.data += x` would assign a string. Update
   * parameters in place without recording instead: `noGrad(() => p.add_(x))`.
   */
  set data(_value: unknown) {
    throw new TypeError(
      "data: a tensor's .data cannot be assigned (JS has no `+=` on tensors, so `p.data += x` or `p.data = …` cannot work). " +
        'Update it in place without recording: noGrad(() => p.add_(x)) (or p.sub_, p.copy_(newValues))',
    );
  }

  /** The value of a one-element tensor as a JS number (booleans as 0/1 numbers too). */
  item(): number {
    if (this.numel !== 1) {
      throw new RangeError(`item: a tensor with ${this.numel} elements cannot be converted to a scalar`);
    }
    const memory = this.storage.device.memory;
    if (memory.readSync === undefined) throw noSyncRead('item', this.storage.device, 'await x.itemAsync()');
    return memory.readSync(this.storage.buffer, this.offset, 1)[0];
  }

  /** {@link item}, read asynchronously (works on every device). */
  async itemAsync(): Promise<number> {
    if (this.numel !== 1) {
      throw new RangeError(`itemAsync: a tensor with ${this.numel} elements cannot be converted to a scalar`);
    }
    return (await this.storage.device.memory.read(this.storage.buffer, this.offset, 1))[0];
  }

  /** The values as nested JS arrays (booleans for bool tensors), like PyTorch's tolist(). */
  toArray(): NestedArray {
    if (this.storage.device.memory.readSync === undefined) throw noSyncRead('toArray', this.storage.device, 'await x.toArrayAsync()');
    return this._nest(this.data);
  }

  /** {@link toArray}, read asynchronously (works on every device). */
  async toArrayAsync(): Promise<NestedArray> {
    return this._nest(await this.dataAsync());
  }

  private _nest(flat: TypedArray): NestedArray {
    const isBool = this.dtype === 'bool';
    let i = 0;
    const build = (d: number): NestedArray => {
      if (d === this.ndim) {
        const v = flat[i++];
        return isBool ? v !== 0 : v;
      }
      const out: NestedArray[] = [];
      for (let j = 0; j < this.shape[d]; j++) out.push(build(d + 1));
      return out;
    };
    return build(0);
  }

  /** PyTorch's repr, e.g. `tensor([[0.4963, 0.7682]], requires_grad=True)`. */
  toString(): string {
    const device = this.storage.device;
    return formatTensor({
      shape: this.shape,
      dtype: this.dtype,
      // A device without synchronous reads prints like PyTorch's meta tensors: no values.
      data: device.memory.readSync === undefined ? null : this.data,
      device: device.type,
      requiresGrad: this.requiresGrad && this.isLeaf,
      gradFn: this.gradFn?.name ?? null,
    });
  }

  /** `console.log(t)` in Node prints the PyTorch-style repr. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
