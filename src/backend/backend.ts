import type { TypedArray } from '../tensor/dtype.js';

/**
 * A strided window on a storage buffer, as kernels see a tensor: element `i` of dimension `d`
 * steps `strides[d]` elements from `offset`. `B` is the device's buffer type (a TypedArray on
 * host-memory devices).
 */
export interface Strided<B = TypedArray> {
  buf: B;
  offset: number;
  strides: readonly number[];
}

/** How kernels see a tensor: its storage buffer, offset and strides. */
export function stridedOf(t: {
  readonly storage: { readonly buffer: unknown };
  readonly offset: number;
  readonly strides: readonly number[];
}): Strided<unknown> {
  return { buf: t.storage.buffer, offset: t.offset, strides: t.strides };
}

/** An int32 index operand: an `Int32Array` on host memory, else a buffer of the device holding int32. */
export type IndexBuffer<B> = [B] extends [TypedArray] ? Int32Array : B;
/** Batch norm's statistics: a `Float64Array` on host memory, else a device buffer allocated as float64. */
export type StatsBuffer<B> = [B] extends [TypedArray] ? Float64Array : B;

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
  | 'not'
  /** GELU x·Φ(x), and its tanh approximation (PyTorch's approximate='tanh'), in double precision. */
  | 'gelu'
  | 'geluTanh'
  /** The derivatives of gelu and geluTanh with respect to x. */
  | 'geluGrad'
  | 'geluTanhGrad';

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
  | 'or'
  /** ReLU's backward (PyTorch's threshold_backward): 0 where b ≤ 0, else a (a NaN b passes a). */
  | 'reluGrad';

export type ReduceOp = 'sum' | 'prod' | 'max' | 'min';

/**
 * Geometry of a 2-D convolution (PyTorch's NCHW conv2d): input [batch, inChannels, inH, inW],
 * weight [outChannels, inChannels / groups, kernelH, kernelW], output [batch, outChannels, outH,
 * outW]. Output pixel (oh, ow) reads input rows oh·strideH − padTop + i·dilationH (i < kernelH) and
 * likewise columns; positions outside the input are zeros. padBottom/padRight may differ from
 * padTop/padLeft (PyTorch's padding='same' with an even kernel); they determine
 * outH = floor((inH + padTop + padBottom − dilationH·(kernelH − 1) − 1) / strideH) + 1, likewise outW.
 */
export interface Conv2dParams {
  batch: number;
  inChannels: number;
  inH: number;
  inW: number;
  outChannels: number;
  kernelH: number;
  kernelW: number;
  outH: number;
  outW: number;
  strideH: number;
  strideW: number;
  padTop: number;
  padLeft: number;
  padBottom: number;
  padRight: number;
  dilationH: number;
  dilationW: number;
  groups: number;
}

/** Conv2dParams as 18 integers, in the order the compiled kernels (native, wasm, WGSL) read them. */
export function conv2dParamList(p: Conv2dParams): number[] {
  return [
    p.batch,
    p.inChannels,
    p.inH,
    p.inW,
    p.outChannels,
    p.kernelH,
    p.kernelW,
    p.outH,
    p.outW,
    p.strideH,
    p.strideW,
    p.padTop,
    p.padLeft,
    p.padBottom,
    p.padRight,
    p.dilationH,
    p.dilationW,
    p.groups,
  ];
}

/**
 * Geometry of a 2-D pooling window over `planes` contiguous inH×inW planes (batch × channels),
 * producing outH×outW per plane. Window (oh, ow) starts at row oh·strideH − padH, column
 * ow·strideW − padW, and visits kernelH×kernelW taps spaced by the dilation.
 */
export interface Pool2dParams {
  planes: number;
  inH: number;
  inW: number;
  outH: number;
  outW: number;
  kernelH: number;
  kernelW: number;
  strideH: number;
  strideW: number;
  padH: number;
  padW: number;
  dilationH: number;
  dilationW: number;
}

/** Pool2dParams as 13 integers, in the order the compiled kernels (native, WGSL) read them. */
export function pool2dParamList(p: Pool2dParams): number[] {
  return [p.planes, p.inH, p.inW, p.outH, p.outW, p.kernelH, p.kernelW, p.strideH, p.strideW, p.padH, p.padW, p.dilationH, p.dilationW];
}

/** Average pooling (dilation 1): PyTorch's divisor rules. `divisorOverride` 0 means none. */
export interface AvgPool2dParams extends Pool2dParams {
  countIncludePad: boolean;
  divisorOverride: number;
}

/**
 * Adaptive average pooling: output row i averages input rows floor(i·inH/outH) to
 * ceil((i+1)·inH/outH) (exclusive), likewise for columns.
 */
export interface AdaptivePool2dParams {
  planes: number;
  inH: number;
  inW: number;
  outH: number;
  outW: number;
}

/** Batch normalization over a contiguous [batch, channels, spatial] array (spatial = H·W, or 1). */
export interface BatchNormParams {
  batch: number;
  channels: number;
  spatial: number;
  eps: number;
  /** Normalize with the batch's statistics (computed into mean/variance) rather than the given ones. */
  training: boolean;
}
export type ArgReduceOp = 'argmax' | 'argmin';

/**
 * One SGD step (`torch.optim.SGD`'s options). `momentum` 0 means no velocity buffers; nesterov
 * needs momentum > 0 and zero dampening (checked by the optimizer).
 */
export interface SgdStepOptions {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  maximize: boolean;
}

/**
 * One Adam step (`torch.optim.Adam`'s options, `decoupled` for AdamW's weight decay θ ← θ(1 − αλ)
 * instead of adding λθ to the gradient).
 */
export interface AdamStepOptions {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  decoupled: boolean;
  maximize: boolean;
}

/** One Adadelta step (`torch.optim.Adadelta`'s options). */
export interface AdadeltaStepOptions {
  lr: number;
  rho: number;
  eps: number;
  weightDecay: number;
  maximize: boolean;
}

/**
 * The kernel interface. Kernels compute values only; gradients live with the ops (src/ops).
 * Shapes arrive already checked and broadcast; outputs are preallocated contiguous arrays whose
 * element type is the result dtype, so storing into them performs the final rounding.
 *
 * `B` is the buffer type of the device the kernels run on. Host-memory devices (the TypeScript,
 * native and WebAssembly backends of 'cpu') use the default: every buffer is a TypedArray whose
 * element type is its dtype's, index operands are `Int32Array`s and batch-norm statistics
 * `Float64Array`s. A device with opaque buffers (a GPU) receives exactly what its own
 * `DeviceMemory` made: buffers from `alloc`/`upload`, or, where a kernel takes a whole array
 * (no offset parameter) of a tensor that does not start at element 0, the object its
 * `window(buffer, offset)` returned, so the device chooses how an offset travels (a sub-buffer,
 * a binding offset, a wrapper). `Strided` operands carry buffer, offset and strides as given.
 * Outputs are always fresh offset-0 buffers of the result's dtype; index operands are int32
 * buffers, batch-norm statistics buffers allocated as float64 (`StatsBuffer`).
 */
export interface Backend<B = TypedArray> {
  readonly name: string;
  /** Copies `src` into `dst` elementwise over `shape`, both strided (converting element type). */
  copy(src: Strided<B>, dst: Strided<B>, shape: readonly number[]): void;
  /** Sets every element of `dst` over `shape` (strided) to `value`, stored as its element type. */
  fill(dst: Strided<B>, shape: readonly number[], value: number): void;
  /** Elementwise op over `n` contiguous elements. */
  unary(op: UnaryOp, x: B, xOffset: number, out: B, n: number): void;
  /** clamp(x, lo, hi) over `n` contiguous elements; NaN bounds mean "no bound". */
  clamp(x: B, xOffset: number, out: B, n: number, lo: number, hi: number): void;
  /**
   * Elementwise binary op over `shape`, operands broadcast through 0 strides. For add and sub,
   * `alpha` (default 1) scales b: a ± alpha·b, rounded once.
   */
  binary(op: BinaryOp, a: Strided<B>, b: Strided<B>, shape: readonly number[], out: B, alpha?: number): void;
  /** out = cond ? a : b over `shape` (broadcast through 0 strides). */
  where(cond: Strided<B>, a: Strided<B>, b: Strided<B>, shape: readonly number[], out: B): void;
  /** Reduces a contiguous [outer, size, inner] array over its middle axis into [outer, inner]. */
  reduce(op: ReduceOp, x: B, outer: number, size: number, inner: number, out: B): void;
  /** Index of the first max/min along the middle axis of [outer, size, inner]; NaN wins like PyTorch. */
  argReduce(op: ArgReduceOp, x: B, outer: number, size: number, inner: number, out: IndexBuffer<B>): void;
  /**
   * Batched row-major matmul: out[b] = op(A[b]) · op(B[b]), op(A) m×k and op(B) k×n, where a
   * transposed operand is read in place from its stored transpose (A stored k×m, B stored n×k).
   * A batch stride of 0 broadcasts one matrix over the batch.
   */
  matmul(
    a: B,
    aBatchStride: number,
    transA: boolean,
    b: B,
    bBatchStride: number,
    transB: boolean,
    out: B,
    batch: number,
    m: number,
    k: number,
    n: number,
  ): void;
  /**
   * Along the middle axis of contiguous [outer, size, inner]: out[o, j, i] = x[o, index[o, j, i], i]
   * (gather) where `index` has shape [outer, idxSize, inner].
   */
  gather(x: B, outer: number, size: number, inner: number, index: IndexBuffer<B>, idxSize: number, out: B): void;
  /** The adjoint of gather: out[o, index[o, j, i], i] += src[o, j, i]; `out` is [outer, size, inner]. */
  scatterAdd(src: B, outer: number, size: number, inner: number, index: IndexBuffer<B>, idxSize: number, out: B): void;

  // Convolution networks. All arrays are contiguous NCHW (weights OIHW) of one float dtype.
  /** out = conv2d(x, weight) + bias (bias may be null). */
  conv2d(x: B, weight: B, bias: B | null, out: B, p: Conv2dParams): void;
  /** gradInput = the adjoint of conv2d in x: gradOut [batch, outC, outH, outW] → [batch, inC, inH, inW]. */
  conv2dBackwardData(gradOut: B, weight: B, gradInput: B, p: Conv2dParams): void;
  /** gradWeight (if not null) and gradBias (if not null) of conv2d, summed over the batch. */
  conv2dBackwardWeights(x: B, gradOut: B, gradWeight: B | null, gradBias: B | null, p: Conv2dParams): void;
  /**
   * Max pooling; `indices` receives each maximum's flat position h·inW + w in its plane. The first
   * maximum in row-major window order wins; a NaN counts as a maximum (the last NaN wins), as in PyTorch.
   */
  maxPool2d(x: B, out: B, indices: IndexBuffer<B>, p: Pool2dParams): void;
  /** gradInput (overwritten) = gradOut scattered to the argmax positions, summing collisions. */
  maxPool2dBackward(gradOut: B, indices: IndexBuffer<B>, gradInput: B, p: Pool2dParams): void;
  avgPool2d(x: B, out: B, p: AvgPool2dParams): void;
  /** gradInput (overwritten) = the adjoint of avgPool2d applied to gradOut. */
  avgPool2dBackward(gradOut: B, gradInput: B, p: AvgPool2dParams): void;
  adaptiveAvgPool2d(x: B, out: B, p: AdaptivePool2dParams): void;
  /** gradInput (overwritten) = the adjoint of adaptiveAvgPool2d applied to gradOut. */
  adaptiveAvgPool2dBackward(gradOut: B, gradInput: B, p: AdaptivePool2dParams): void;
  /**
   * Batch normalization: out = (x − mean) / sqrt(variance + eps) · weight + bias per channel
   * (weight/bias null mean 1/0). In training mode the kernel first writes the batch mean and the
   * biased batch variance into `mean`/`variance`; otherwise it reads them (running statistics).
   */
  batchNorm(x: B, out: B, mean: StatsBuffer<B>, variance: StatsBuffer<B>, weight: B | null, bias: B | null, p: BatchNormParams): void;
  /**
   * Gradients of batchNorm given the mean/variance it used. In training mode gradInput includes the
   * paths through the batch statistics; in eval mode the statistics are constants. Null outputs
   * are skipped.
   */
  batchNormBackward(
    x: B,
    gradOut: B,
    mean: StatsBuffer<B>,
    variance: StatsBuffer<B>,
    weight: B | null,
    gradInput: B | null,
    gradWeight: B | null,
    gradBias: B | null,
    p: BatchNormParams,
  ): void;

  // Optimizer steps: every parameter of a group updated in place in one call (PyTorch's foreach
  // idea). Tensor i is params[i], its gradient grads[i] and its state arrays, all contiguous with
  // params[i].length elements of one float dtype. Float32 follows PyTorch 1.13's single-tensor
  // path operation for operation (each op rounded to float32, scalars cast to float32, fused
  // multiply-adds where ATen's add/addcmul fuse), so results match it bit for bit.
  /**
   * SGD: d = ±g (+ λθ); with momentum v = β v + (1 − τ) d (v = d where `initBuffers[i]`), d = v
   * or d + β v (Nesterov); θ −= α d. `momentumBuffers` is null when momentum is 0.
   */
  sgdStep(params: B[], grads: B[], momentumBuffers: B[] | null, initBuffers: boolean[], o: SgdStepOptions): void;
  /**
   * Adam/AdamW after the step count was incremented: m = β1 m + (1 − β1) g, v = β2 v + (1 − β2) g²,
   * (AMSGrad, when `maxExpAvgSqs` is given: v̂ = max(v̂, v)), θ += −stepSizes[i] · m / (√v / bc2Sqrts[i] + ε),
   * where stepSizes[i] = α / (1 − β1^t) and bc2Sqrts[i] = √(1 − β2^t) for tensor i's step t.
   */
  adamStep(
    params: B[],
    grads: B[],
    expAvgs: B[],
    expAvgSqs: B[],
    maxExpAvgSqs: B[] | null,
    stepSizes: number[],
    bc2Sqrts: number[],
    o: AdamStepOptions,
  ): void;
  /**
   * Adadelta: s = ρ s + (1 − ρ) g², δ = √(u + ε) / √(s + ε) · g, u = ρ u + (1 − ρ) δ², θ −= α δ
   * (s: squareAvgs, u: accDeltas).
   */
  adadeltaStep(params: B[], grads: B[], squareAvgs: B[], accDeltas: B[], o: AdadeltaStepOptions): void;
}
