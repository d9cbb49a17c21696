import { record } from '../autograd/record.js';
import type { AdaptivePool2dParams, AvgPool2dParams, Pool2dParams } from '../backend/backend.js';
import { kinds, type ParamSpec, parseArgs } from '../tensor/args.js';
import { isFloating } from '../tensor/dtype.js';
import { shapeStr } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { pair } from './conv.js';
import { contiguous } from './convert.js';
import { traced, tracing } from './trace.js';

/** An int for both spatial dims, or [h, w]. */
type Size2 = number | readonly [number, number];

/** Options of `maxPool2d`, as torch.nn.functional.max_pool2d's keyword arguments. */
export interface MaxPool2dOptions {
  kernelSize: Size2;
  /** Defaults to kernelSize (also when null, like PyTorch's None). */
  stride?: Size2 | null;
  /** Implicit −∞ padding on both sides; at most half the kernel size. */
  padding?: Size2;
  dilation?: Size2;
  /** Round the output size up; the last window must still start inside the input or the left padding. */
  ceilMode?: boolean;
}

/** Options of `avgPool2d`, as torch.nn.functional.avg_pool2d's keyword arguments. */
export interface AvgPool2dOptions {
  kernelSize: Size2;
  stride?: Size2 | null;
  padding?: Size2;
  ceilMode?: boolean;
  /** Count the zero padding in the divisor (default true). */
  countIncludePad?: boolean;
  /** Divide every window's sum by this instead. */
  divisorOverride?: number | null;
}

/** `maxPool2d(x, kernelSize, stride?, padding?, dilation?, ceilMode?)`, or with trailing/only options. */
export type MaxPool2dArgs =
  | [opts: MaxPool2dOptions]
  | [kernelSize: Size2, stride?: Size2 | null, padding?: Size2, dilation?: Size2, ceilMode?: boolean]
  | [kernelSize: Size2, opts: Omit<MaxPool2dOptions, 'kernelSize'>]
  | [kernelSize: Size2, stride: Size2 | null, opts: Omit<MaxPool2dOptions, 'kernelSize' | 'stride'>];

/** `avgPool2d(x, kernelSize, stride?, padding?, ceilMode?, countIncludePad?, divisorOverride?)`, or with options. */
export type AvgPool2dArgs =
  | [opts: AvgPool2dOptions]
  | [
      kernelSize: Size2,
      stride?: Size2 | null,
      padding?: Size2,
      ceilMode?: boolean,
      countIncludePad?: boolean,
      divisorOverride?: number | null,
    ]
  | [kernelSize: Size2, opts: Omit<AvgPool2dOptions, 'kernelSize'>]
  | [kernelSize: Size2, stride: Size2 | null, opts: Omit<AvgPool2dOptions, 'kernelSize' | 'stride'>];

function requireKernel<T>(fn: string, a: Record<string, unknown>, usage: string): T {
  if (a.kernelSize === undefined) throw new TypeError(`${fn}: kernelSize is required. Accepted forms: ${usage}`);
  return a as T;
}

const maxUsage =
  'maxPool2d(x, kernelSize, stride?, padding?, dilation?, ceilMode?), maxPool2d(x, kernelSize, { stride, padding, dilation, ceilMode }) or maxPool2d(x, { kernelSize, … })';
function maxPoolArgs(fn: string, args: readonly unknown[]): MaxPool2dOptions {
  const a = parseArgs(fn, args, {
    positional: [
      ['kernelSize', kinds.size2],
      ['stride', kinds.size2OrNull],
      ['padding', kinds.size2],
      ['dilation', kinds.size2],
      ['ceilMode', kinds.bool],
    ],
    usage: maxUsage,
  });
  return requireKernel(fn, a, maxUsage);
}

/** avg_pool2d's parameters after the input, in PyTorch's positional order (shared with nn.AvgPool2d). */
export const AVG_POOL_PARAMS: readonly ParamSpec[] = [
  ['kernelSize', kinds.size2],
  ['stride', kinds.size2OrNull],
  ['padding', kinds.size2],
  ['ceilMode', kinds.bool],
  ['countIncludePad', kinds.bool],
  ['divisorOverride', kinds.numberOrNull],
];

const avgUsage =
  'avgPool2d(x, kernelSize, stride?, padding?, ceilMode?, countIncludePad?, divisorOverride?), avgPool2d(x, kernelSize, { stride, … }) or avgPool2d(x, { kernelSize, … })';

/** A 3-D input with no zero dim, or a 4-D one whose only zero dim may be the batch (PyTorch's rule). */
function nonEmptyPlanes(input: Tensor): boolean {
  if (input.ndim !== 3 && input.ndim !== 4) return false;
  return input.shape.slice(input.ndim - 3).every((s) => s !== 0);
}

/** Pooling output size, PyTorch's pooling_output_shape (floor or ceil mode). */
function outputSize(inSize: number, k: number, pad: number, stride: number, dilation: number, ceilMode: boolean): number {
  let out = Math.floor((inSize + 2 * pad - dilation * (k - 1) - 1 + (ceilMode ? stride - 1 : 0)) / stride) + 1;
  // In ceil mode the last window must start inside the input or the left padding.
  if (ceilMode && (out - 1) * stride >= inSize + pad) out--;
  return out;
}

/** Validates a 3-D/4-D float input and the window; returns the pooling geometry and output shape. */
function poolGeometry(
  op: string,
  input: Tensor,
  kernelSize: Size2,
  stride: Size2 | null | undefined,
  padding: Size2 | undefined,
  dilation: Size2 | undefined,
  ceilMode: boolean,
): { p: Pool2dParams; outShape: number[] } {
  if (!nonEmptyPlanes(input)) {
    throw new RangeError(
      `${op}: expected a non-empty 3-D (unbatched) or 4-D (batched) input, but got input of shape ${shapeStr(input.shape)}`,
    );
  }
  if (!isFloating(input.dtype)) throw new TypeError(`${op}: expected a floating-point input, but got ${input.dtype}`);
  const [kH, kW] = pair(op, 'kernelSize', kernelSize, 1);
  const [sH, sW] = pair(op, 'stride', stride ?? kernelSize, 1);
  const [padH, padW] = pair(op, 'padding', padding ?? 0, 0);
  const [dH, dW] = pair(op, 'dilation', dilation ?? 1, 1);
  if (padH > Math.floor(kH / 2) || padW > Math.floor(kW / 2)) {
    throw new RangeError(
      `${op}: padding should be at most half of the kernel size, but got padding (${padH}, ${padW}) for kernel size (${kH}, ${kW})`,
    );
  }
  const inH = input.shape[input.ndim - 2];
  const inW = input.shape[input.ndim - 1];
  const outH = outputSize(inH, kH, padH, sH, dH, ceilMode);
  const outW = outputSize(inW, kW, padW, sW, dW, ceilMode);
  const lead = input.shape.slice(0, -2);
  if (outH < 1 || outW < 1) {
    throw new RangeError(
      `${op}: given input of shape ${shapeStr(input.shape)}, the calculated output size ${shapeStr([...lead, outH, outW])} is too small ` +
        `(kernel (${kH}, ${kW}), stride (${sH}, ${sW}), padding (${padH}, ${padW}), dilation (${dH}, ${dW}))`,
    );
  }
  const planes = lead.reduce((a, b) => a * b, 1);
  const p: Pool2dParams = {
    planes,
    inH,
    inW,
    outH,
    outW,
    kernelH: kH,
    kernelW: kW,
    strideH: sH,
    strideW: sW,
    padH,
    padW,
    dilationH: dH,
    dilationW: dW,
  };
  return { p, outShape: [...lead, outH, outW] };
}

/**
 * Max pooling that also returns where each maximum came from: `indices` (int32, shaped like
 * `values`) holds the flat position h·W + w within the input plane, like PyTorch's return_indices.
 * Ties go to the first maximum in window order; NaN counts as the maximum (the last NaN wins).
 */
export function maxPool2dWithIndices(input: Tensor, ...args: MaxPool2dArgs): { values: Tensor; indices: Tensor } {
  const opts = maxPoolArgs('maxPool2dWithIndices', args);
  const { p, outShape } = poolGeometry(
    'maxPool2d',
    input,
    opts.kernelSize,
    opts.stride,
    opts.padding,
    opts.dilation,
    opts.ceilMode ?? false,
  );
  if (tracing) return traced('maxPool2d', [input], () => maxPool2dWithIndices(input, opts), { ...p, ceilMode: opts.ceilMode ?? false });
  const x = contiguous(input);
  const values = Tensor._empty(outShape, x.dtype, x._device);
  const indices = Tensor._empty(outShape, 'int32', x._device);
  const idx = indices.storage.buffer;
  x._device.kernels.maxPool2d(x._buffer(), values.storage.buffer, idx, p);
  const inShape = x.shape;
  record(values, 'MaxPool2DWithIndicesBackward0', [x], (g) => [maxPoolScatter(contiguous(g), idx, p, inShape)], [indices]);
  return { values, indices };
}

/** 2-D max pooling, exactly torch.nn.functional.max_pool2d. @example maxPool2d(x, { kernelSize: 3, stride: 2 }) */
export function maxPool2d(input: Tensor, ...args: MaxPool2dArgs): Tensor {
  return maxPool2dWithIndices(input, maxPoolArgs('maxPool2d', args)).values;
}

/** Gradient of max pooling: g scattered onto the argmax positions. Its own gradient gathers. */
function maxPoolScatter(g: Tensor, idx: unknown, p: Pool2dParams, inShape: readonly number[]): Tensor {
  const out = Tensor._empty(inShape, g.dtype, g._device);
  g._device.kernels.maxPool2dBackward(g._buffer(), idx, out.storage.buffer, p);
  const outShape = g.shape;
  return record(out, 'MaxPool2DWithIndicesBackwardBackward0', [g], (u) => [maxPoolGather(contiguous(u), idx, p, outShape)]);
}

/** The values of `x` at the argmax positions (the adjoint of maxPoolScatter). */
function maxPoolGather(x: Tensor, idx: unknown, p: Pool2dParams, outShape: readonly number[]): Tensor {
  const out = Tensor._empty(outShape, x.dtype, x._device);
  x._device.kernels.gather(x._buffer(), p.planes, p.inH * p.inW, 1, idx, p.outH * p.outW, out.storage.buffer);
  const inShape = x.shape;
  return record(out, 'MaxPool2DWithIndicesBackward0', [x], (g) => [maxPoolScatter(contiguous(g), idx, p, inShape)]);
}

/**
 * 2-D average pooling, exactly torch.nn.functional.avg_pool2d: the divisor is the window clipped
 * to the padded input (countIncludePad, default), the window clipped to the input
 * (countIncludePad: false), or divisorOverride.
 */
export function avgPool2d(input: Tensor, ...args: AvgPool2dArgs): Tensor {
  const opts = requireKernel<AvgPool2dOptions>(
    'avgPool2d',
    parseArgs('avgPool2d', args, {
      positional: AVG_POOL_PARAMS,
      usage: avgUsage,
    }),
    avgUsage,
  );
  const { p, outShape } = poolGeometry('avgPool2d', input, opts.kernelSize, opts.stride, opts.padding, 1, opts.ceilMode ?? false);
  const divisorOverride = opts.divisorOverride ?? 0;
  if (
    opts.divisorOverride !== undefined &&
    opts.divisorOverride !== null &&
    (!Number.isInteger(divisorOverride) || divisorOverride === 0)
  ) {
    throw new RangeError(`avgPool2d: divisorOverride must be a nonzero integer (got ${opts.divisorOverride})`);
  }
  const ap: AvgPool2dParams = { ...p, countIncludePad: opts.countIncludePad ?? true, divisorOverride };
  if (tracing) return traced('avgPool2d', [input], () => avgPool2d(input, opts), { ...ap, ceilMode: opts.ceilMode ?? false });
  return avgForward(contiguous(input), ap, outShape);
}

function avgForward(x: Tensor, p: AvgPool2dParams, outShape: readonly number[]): Tensor {
  const out = Tensor._empty(outShape, x.dtype, x._device);
  x._device.kernels.avgPool2d(x._buffer(), out.storage.buffer, p);
  const inShape = x.shape;
  return record(out, 'AvgPool2DBackward0', [x], (g) => [avgBackward(contiguous(g), p, inShape)]);
}

function avgBackward(g: Tensor, p: AvgPool2dParams, inShape: readonly number[]): Tensor {
  const out = Tensor._empty(inShape, g.dtype, g._device);
  g._device.kernels.avgPool2dBackward(g._buffer(), out.storage.buffer, p);
  const outShape = g.shape;
  return record(out, 'AvgPool2DBackwardBackward0', [g], (u) => [avgForward(contiguous(u), p, outShape)]);
}

/**
 * Adaptive average pooling to `outputSize` (an int for a square output, or [h, w]): output row i
 * averages input rows floor(i·H/h) to ceil((i+1)·H/h), like torch.nn.functional.adaptive_avg_pool2d.
 */
export function adaptiveAvgPool2d(input: Tensor, outputSize: number | readonly [number, number]): Tensor {
  const op = 'adaptiveAvgPool2d';
  if (!nonEmptyPlanes(input)) {
    throw new RangeError(
      `${op}: expected a non-empty 3-D (unbatched) or 4-D (batched) input, but got input of shape ${shapeStr(input.shape)}`,
    );
  }
  if (!isFloating(input.dtype)) throw new TypeError(`${op}: expected a floating-point input, but got ${input.dtype}`);
  const [outH, outW] = pair(op, 'outputSize', outputSize, 0);
  const lead = input.shape.slice(0, -2);
  const p: AdaptivePool2dParams = {
    planes: lead.reduce((a, b) => a * b, 1),
    inH: input.shape[input.ndim - 2],
    inW: input.shape[input.ndim - 1],
    outH,
    outW,
  };
  if (tracing) return traced('adaptiveAvgPool2d', [input], () => adaptiveAvgPool2d(input, outputSize), { ...p });
  return adaptiveForward(contiguous(input), p, [...lead, outH, outW]);
}

function adaptiveForward(x: Tensor, p: AdaptivePool2dParams, outShape: readonly number[]): Tensor {
  const out = Tensor._empty(outShape, x.dtype, x._device);
  x._device.kernels.adaptiveAvgPool2d(x._buffer(), out.storage.buffer, p);
  const inShape = x.shape;
  // PyTorch computes a 1×1 output as a mean over the last two dims (hence its node name).
  const name = p.outH === 1 && p.outW === 1 ? 'MeanBackward1' : 'AdaptiveAvgPool2DBackward0';
  return record(out, name, [x], (g) => [adaptiveBackward(contiguous(g), p, inShape)]);
}

function adaptiveBackward(g: Tensor, p: AdaptivePool2dParams, inShape: readonly number[]): Tensor {
  const out = Tensor._empty(inShape, g.dtype, g._device);
  g._device.kernels.adaptiveAvgPool2dBackward(g._buffer(), out.storage.buffer, p);
  const outShape = g.shape;
  return record(out, 'AdaptiveAvgPool2DBackwardBackward0', [g], (u) => [adaptiveForward(contiguous(u), p, outShape)]);
}
