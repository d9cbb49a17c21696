import type { TypedArray } from '../tensor/dtype.js';

/** A strided read-only window on a storage array, as kernels see a tensor. */
export interface Strided {
  buf: TypedArray;
  offset: number;
  strides: readonly number[];
}

/** How kernels see a tensor: its storage array, offset and strides. */
export function stridedOf(t: {
  readonly storage: { readonly data: TypedArray };
  readonly offset: number;
  readonly strides: readonly number[];
}): Strided {
  return { buf: t.storage.data, offset: t.offset, strides: t.strides };
}

export type UnaryOp =
  | 'neg'
  | 'abs'
  | 'sign'
  | 'exp'
  | 'log'
  | 'log1p'
  | 'expm1'
  | 'sqrt'
  | 'rsqrt'
  | 'reciprocal'
  | 'square'
  | 'sin'
  | 'cos'
  | 'sigmoid'
  | 'tanh'
  | 'relu'
  | 'not';

export type BinaryOp =
  | 'add'
  | 'sub'
  | 'mul'
  | 'div'
  | 'pow'
  | 'maximum'
  | 'minimum'
  | 'eq'
  | 'ne'
  | 'lt'
  | 'le'
  | 'gt'
  | 'ge'
  | 'and'
  | 'or';

export type ReduceOp = 'sum' | 'prod' | 'max' | 'min';
export type ArgReduceOp = 'argmax' | 'argmin';

/**
 * The kernel interface. Kernels compute values only; gradients live with the ops (src/ops).
 * Shapes arrive already checked and broadcast; outputs are preallocated contiguous arrays whose
 * element type is the result dtype, so storing into them performs the final rounding.
 */
export interface Backend {
  readonly name: string;
  /** Copies `src` into `dst` elementwise over `shape`, both strided (converting element type). */
  copy(src: Strided, dst: Strided, shape: readonly number[]): void;
  /** Elementwise op over `n` contiguous elements. */
  unary(op: UnaryOp, x: TypedArray, xOffset: number, out: TypedArray, n: number): void;
  /** clamp(x, lo, hi) over `n` contiguous elements; NaN bounds mean "no bound". */
  clamp(x: TypedArray, xOffset: number, out: TypedArray, n: number, lo: number, hi: number): void;
  /** Elementwise binary op over `shape`, operands broadcast through 0 strides. */
  binary(op: BinaryOp, a: Strided, b: Strided, shape: readonly number[], out: TypedArray): void;
  /** out = cond ? a : b over `shape` (broadcast through 0 strides). */
  where(cond: Strided, a: Strided, b: Strided, shape: readonly number[], out: TypedArray): void;
  /** Reduces a contiguous [outer, size, inner] array over its middle axis into [outer, inner]. */
  reduce(op: ReduceOp, x: TypedArray, outer: number, size: number, inner: number, out: TypedArray): void;
  /** Index of the first max/min along the middle axis of [outer, size, inner]; NaN wins like PyTorch. */
  argReduce(op: ArgReduceOp, x: TypedArray, outer: number, size: number, inner: number, out: Int32Array): void;
  /**
   * Batched row-major matmul: out[b] = A[b] (m×k) · B[b] (k×n). A batch stride of 0 broadcasts
   * one matrix over the batch.
   */
  matmul(
    a: TypedArray,
    aBatchStride: number,
    b: TypedArray,
    bBatchStride: number,
    out: TypedArray,
    batch: number,
    m: number,
    k: number,
    n: number,
  ): void;
  /**
   * Along the middle axis of contiguous [outer, size, inner]: out[o, j, i] = x[o, index[o, j, i], i]
   * (gather) where `index` has shape [outer, idxSize, inner].
   */
  gather(x: TypedArray, outer: number, size: number, inner: number, index: Int32Array, idxSize: number, out: TypedArray): void;
  /** The adjoint of gather: out[o, index[o, j, i], i] += src[o, j, i]; `out` is [outer, size, inner]. */
  scatterAdd(src: TypedArray, outer: number, size: number, inner: number, index: Int32Array, idxSize: number, out: TypedArray): void;
}
