import { AccumulateGrad, type GradFn } from '../autograd/grad-fn.js';
import { stridedOf } from '../backend/backend.js';
import { backend } from '../backend/registry.js';
import { allocate, type DType, isFloating, type TypedArray } from './dtype.js';
import { formatTensor } from './format.js';
import { contiguousStrides, isContiguous, numelOf } from './shape.js';

/**
 * The memory behind one or more tensors. Views share it, and with it the version counter that
 * in-place ops bump so autograd can detect that a saved tensor changed.
 */
export class Storage {
  version = 0;
  constructor(readonly data: TypedArray) {}
}

/** Nested JS arrays of numbers/booleans, as `tensor()` accepts and `toArray()` returns. */
export type NestedArray = number | boolean | NestedArray[];

/**
 * An n-dimensional array of one dtype, with autograd. Its memory is a JS TypedArray freed by the
 * garbage collector: there is no dispose(). Ops are attached as methods in `methods.ts`.
 */
export class Tensor {
  /** The gradient accumulated by `backward()` (leaves, and non-leaves after `retainGrad()`). */
  grad: Tensor | null = null;
  /** The node that produced this tensor, or null for leaves. */
  gradFn: GradFn | null = null;
  /** @internal the tensor this one is a view of (the root base), for in-place checks. */
  _base: Tensor | null = null;
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

  /** @internal a fresh contiguous tensor over `data`. */
  static _fromData(data: TypedArray, shape: readonly number[], dtype: DType): Tensor {
    return new Tensor(new Storage(data), shape, contiguousStrides(shape), 0, dtype);
  }

  /** @internal a zero-filled contiguous tensor. */
  static _empty(shape: readonly number[], dtype: DType): Tensor {
    const n = numelOf(shape);
    let data: ReturnType<typeof allocate>;
    try {
      data = allocate(dtype, n);
    } catch (e) {
      // V8's bare "Invalid typed array length" names neither the shape nor the dtype.
      throw new RangeError(`cannot allocate a ${dtype} tensor of shape [${shape.join(', ')}] (${n} elements): ${(e as Error).message}`);
    }
    return Tensor._fromData(data, shape, dtype);
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
   * @internal the storage array seen from this tensor's first element, for kernels (no copy; a
   * subarray only when the offset is nonzero, since creating one costs more than a 4×4 product).
   */
  _elements(): TypedArray {
    return this.offset === 0 ? this.storage.data : this.storage.data.subarray(this.offset);
  }

  /** Whether the elements are laid out row-major without gaps. */
  isContiguous(): boolean {
    return isContiguous(this.shape, this.strides);
  }

  /**
   * The values as a row-major TypedArray. For a contiguous tensor this is a live view of its
   * storage (writes show up in the tensor); otherwise a fresh copy.
   */
  get data(): TypedArray {
    const n = this.numel;
    if (this.isContiguous()) return this.storage.data.subarray(this.offset, this.offset + n);
    const out = Tensor._empty(this.shape, this.dtype);
    backend().copy(stridedOf(this), stridedOf(out), this.shape);
    return out.storage.data;
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
    return this.storage.data[this.offset];
  }

  /** The values as nested JS arrays (booleans for bool tensors), like PyTorch's tolist(). */
  toArray(): NestedArray {
    const flat = this.data;
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
    return formatTensor({
      shape: this.shape,
      dtype: this.dtype,
      data: this.data,
      requiresGrad: this.requiresGrad && this.isLeaf,
      gradFn: this.gradFn?.name ?? null,
    });
  }

  /** `console.log(t)` in Node prints the PyTorch-style repr. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
