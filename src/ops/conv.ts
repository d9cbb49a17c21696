import { inBf16 } from '../autocast/bf16.js';
import { conv2dBackwardBf16, conv2dBackwardDataBf16, conv2dBackwardWeightsBf16, conv2dBf16 } from '../autocast/dispatch.js';
import { record } from '../autograd/record.js';
import type { Conv2dParams } from '../backend/backend.js';
import { type Device, sameDevice } from '../backend/device.js';
import { fusedKernels } from '../backend/fused.js';
import { kinds, parseArgs } from '../tensor/args.js';
import { isFloating, type TypedArray } from '../tensor/dtype.js';
import { shapeStr } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { contiguous } from './convert.js';
import { traceOp, tracing } from './trace.js';
import { squeeze, unsqueeze } from './views.js';

/** Options of `conv2d`, as torch.nn.functional.conv2d's keyword arguments. */
export interface Conv2dOptions {
  stride?: number | readonly [number, number];
  /** Zero padding on both sides of each spatial dim, or 'valid' (none) / 'same' (output size = input size, stride 1). */
  padding?: number | readonly [number, number] | 'same' | 'valid';
  dilation?: number | readonly [number, number];
  groups?: number;
}

/** A [h, w] pair from an int or a pair, checked to be integers ≥ `min`. */
export function pair(op: string, name: string, v: number | readonly number[], min: number): [number, number] {
  const p = typeof v === 'number' ? [v, v] : v;
  if (!Array.isArray(p) || p.length !== 2 || !p.every((x) => Number.isInteger(x))) {
    throw new TypeError(`${op}: ${name} must be an integer or a pair of integers (got ${JSON.stringify(v)})`);
  }
  if (p[0] < min || p[1] < min) {
    const what = min === 0 ? 'non-negative' : 'positive';
    throw new RangeError(`${op}: ${name} must be ${what} (got ${JSON.stringify(v)})`);
  }
  return [p[0], p[1]];
}

/**
 * 2-D convolution over an NCHW input (or an unbatched CHW one), exactly torch.nn.functional.conv2d:
 * weight [outChannels, inChannels / groups, kH, kW], optional bias [outChannels]. 'same' padding
 * pads (dilation·(k − 1)) / 2 on the top/left and the rest on the bottom/right, like PyTorch.
 * @example conv2d(x, w, b, { padding: 2 })
 */
/** `conv2d(x, w, b?, stride?, padding?, dilation?, groups?)` or `conv2d(x, w, b, { stride, padding, dilation, groups })`. */
export type Conv2dArgs =
  | [opts?: Conv2dOptions]
  | [stride?: Conv2dOptions['stride'], padding?: Conv2dOptions['padding'], dilation?: Conv2dOptions['dilation'], groups?: number]
  | [stride: Conv2dOptions['stride'], opts: Omit<Conv2dOptions, 'stride'>];

export function conv2d(input: Tensor, weight: Tensor, bias?: Tensor | null, ...args: Conv2dArgs): Tensor {
  const opts = parseArgs<Conv2dOptions>('conv2d', args, {
    positional: [
      ['stride', kinds.any],
      ['padding', kinds.any],
      ['dilation', kinds.any],
      ['groups', kinds.any],
    ],
    usage:
      'conv2d(input, weight, bias?, stride?, padding?, dilation?, groups?) or conv2d(input, weight, bias, { stride, padding, dilation, groups })',
  });
  const b = bias ?? null;
  const unbatched = input.ndim === 3;
  const p = convParams(input, weight, b, opts);
  if (tracing) return traceOp('conv2d', [input, weight, b], () => conv2d(input, weight, bias, opts), { ...p });
  const x = contiguous(unbatched ? unsqueeze(input, 0) : input);
  const out = convForward(x, contiguous(weight), b === null ? null : contiguous(b), p);
  return unbatched ? squeeze(out, 0) : out;
}

function convParams(input: Tensor, weight: Tensor, bias: Tensor | null, opts: Conv2dOptions): Conv2dParams {
  const op = 'conv2d';
  if (input.ndim !== 3 && input.ndim !== 4) {
    throw new RangeError(`${op}: expected a 3-D (unbatched) or 4-D (batched) input, but got input of shape ${shapeStr(input.shape)}`);
  }
  if (weight.ndim !== 4) {
    throw new RangeError(
      `${op}: expected a 4-D weight [outChannels, inChannels/groups, kH, kW], but got weight of shape ${shapeStr(weight.shape)}`,
    );
  }
  if (!isFloating(input.dtype)) throw new TypeError(`${op}: expected a floating-point input, but got ${input.dtype}`);
  if (weight.dtype !== input.dtype) {
    throw new TypeError(`${op}: input (${input.dtype}) and weight (${weight.dtype}) should have the same dtype`);
  }
  if (bias !== null && bias.dtype !== input.dtype) {
    throw new TypeError(`${op}: input (${input.dtype}) and bias (${bias.dtype}) should have the same dtype`);
  }
  const groups = opts.groups ?? 1;
  if (!Number.isInteger(groups) || groups <= 0) throw new RangeError(`${op}: groups must be a positive integer (got ${groups})`);
  const [stride0, stride1] = pair(op, 'stride', opts.stride ?? 1, 1);
  const [dil0, dil1] = pair(op, 'dilation', opts.dilation ?? 1, 1);
  const [outChannels, cinG, kH, kW] = weight.shape;
  const shape4 = input.ndim === 3 ? [1, ...input.shape] : input.shape;
  const [batch, inChannels, inH, inW] = shape4;
  const inDesc = shapeStr(input.shape);
  if (outChannels % groups !== 0) {
    throw new RangeError(
      `${op}: given groups=${groups}, expected weight to be divisible by ${groups} at dimension 0, but got weight of shape ${shapeStr(weight.shape)}`,
    );
  }
  if (cinG * groups !== inChannels) {
    throw new RangeError(
      `${op}: given groups=${groups}, weight of shape ${shapeStr(weight.shape)}, expected input ${inDesc} to have ` +
        `${cinG * groups} channels, but got ${inChannels} channels instead`,
    );
  }
  if (bias !== null && (bias.ndim !== 1 || bias.shape[0] !== outChannels)) {
    throw new RangeError(
      `${op}: given weight of shape ${shapeStr(weight.shape)}, expected bias to be 1-D with ${outChannels} elements, ` +
        `but got bias of shape ${shapeStr(bias.shape)}`,
    );
  }
  const effH = dil0 * (kH - 1) + 1;
  const effW = dil1 * (kW - 1) + 1;
  let padTop: number;
  let padLeft: number;
  let padBottom: number;
  let padRight: number;
  const padding = opts.padding ?? 0;
  if (typeof padding === 'string') {
    if (padding === 'valid') {
      padTop = padLeft = padBottom = padRight = 0;
    } else if (padding === 'same') {
      if (stride0 !== 1 || stride1 !== 1) throw new RangeError(`${op}: padding='same' is not supported for strided convolutions`);
      // PyTorch puts the odd extra row/column of padding on the bottom/right.
      padTop = Math.floor((effH - 1) / 2);
      padBottom = effH - 1 - padTop;
      padLeft = Math.floor((effW - 1) / 2);
      padRight = effW - 1 - padLeft;
    } else {
      throw new RangeError(`${op}: invalid padding string '${padding}' (expected 'same' or 'valid')`);
    }
  } else {
    [padTop, padLeft] = pair(op, 'padding', padding, 0);
    padBottom = padTop;
    padRight = padLeft;
  }
  const paddedH = inH + padTop + padBottom;
  const paddedW = inW + padLeft + padRight;
  if (paddedH < effH || paddedW < effW) {
    throw new RangeError(
      `${op}: calculated padded input size per channel: (${paddedH} x ${paddedW}); kernel size: (${effH} x ${effW}). ` +
        `Kernel size can't be greater than actual input size (input ${inDesc}, weight ${shapeStr(weight.shape)})`,
    );
  }
  return {
    batch,
    inChannels,
    inH,
    inW,
    outChannels,
    kernelH: kH,
    kernelW: kW,
    outH: Math.floor((paddedH - effH) / stride0) + 1,
    outW: Math.floor((paddedW - effW) / stride1) + 1,
    strideH: stride0,
    strideW: stride1,
    padTop,
    padLeft,
    padBottom,
    padRight,
    dilationH: dil0,
    dilationW: dil1,
    groups,
  };
}

// The three maps below are closed under differentiation (each one's gradient is made of the
// others), so conv2d supports gradients of any order. All take contiguous tensors. Inside an
// autocast scope they compute in bf16 (autocast/dispatch.ts) and record `bf16`, so their
// backward rules run in bf16 too.

/** out = conv(x, w) + b. */
function convForward(x: Tensor, w: Tensor, b: Tensor | null, p: Conv2dParams): Tensor {
  const dev = sameDevice('conv2d', x, w, b);
  const out = Tensor._empty([p.batch, p.outChannels, p.outH, p.outW], x.dtype, dev);
  const bf16 = inBf16(dev, x.dtype);
  if (bf16) conv2dBf16(dev, x, w, b, out, p);
  else dev.kernels.conv2d(x._buffer(), w._buffer(), b === null ? null : b._buffer(), out.storage.buffer, p);
  return record(out, 'ConvolutionBackward0', [x, w, b], { x, w, b, p, bf16 }, [x, w]);
}

/** ∂⟨g, conv(x, w)⟩/∂x as a function of (g, w): the transposed convolution. */
function inputGrad(g: Tensor, w: Tensor, p: Conv2dParams): Tensor {
  const dev = sameDevice('conv2d', g, w);
  const out = Tensor._empty([p.batch, p.inChannels, p.inH, p.inW], g.dtype, dev);
  const bf16 = inBf16(dev, g.dtype);
  computeInputGrad(dev, g, w, out, p, bf16);
  return recordInputGrad(out, g, w, p, bf16);
}

function computeInputGrad(dev: Device, g: Tensor, w: Tensor, out: Tensor, p: Conv2dParams, bf16: boolean): void {
  if (bf16) conv2dBackwardDataBf16(dev, g, w, out, p);
  else dev.kernels.conv2dBackwardData(g._buffer(), w._buffer(), out.storage.buffer, p);
}

const recordInputGrad = (out: Tensor, g: Tensor, w: Tensor, p: Conv2dParams, bf16: boolean) =>
  record(out, 'ConvolutionBackwardBackward0#input', [g, w], { g, w, p, bf16 }, [g, w]);

/** ∂⟨g, conv(x, w) + b⟩/∂w and /∂b as functions of (x, g). */
function weightGrad(
  x: Tensor,
  g: Tensor,
  p: Conv2dParams,
  wantWeight: boolean,
  wantBias: boolean,
): { weight: Tensor | null; bias: Tensor | null } {
  const dev = sameDevice('conv2d', x, g);
  const gw = wantWeight ? Tensor._empty(kernelShape(p), x.dtype, dev) : null;
  const gb = wantBias ? Tensor._empty([p.outChannels], x.dtype, dev) : null;
  const bf16 = inBf16(dev, x.dtype);
  computeWeightGrad(dev, x, g, gw, gb, p, bf16);
  return recordWeightGrad(gw, gb, x, g, p, bf16);
}

const kernelShape = (p: Conv2dParams) => [p.outChannels, p.inChannels / p.groups, p.kernelH, p.kernelW];

function computeWeightGrad(dev: Device, x: Tensor, g: Tensor, gw: Tensor | null, gb: Tensor | null, p: Conv2dParams, bf16: boolean): void {
  if (bf16) conv2dBackwardWeightsBf16(dev, x, g, gw, gb, p);
  else dev.kernels.conv2dBackwardWeights(x._buffer(), g._buffer(), gw?.storage.buffer ?? null, gb?.storage.buffer ?? null, p);
}

function recordWeightGrad(gw: Tensor | null, gb: Tensor | null, x: Tensor, g: Tensor, p: Conv2dParams, bf16: boolean) {
  const weight = gw === null ? null : record(gw, 'ConvolutionBackwardBackward0#weight', [x, g], { x, g, p, bf16 }, [x, g]);
  const gShape = g.shape;
  const bias = gb === null ? null : record(gb, 'ConvolutionBackwardBackward0#bias', [g], { gShape });
  return { weight, bias };
}

/**
 * inputGrad(g, w) and weightGrad(x, g) together, the same tensors and graph, from one kernel call
 * where the backend has a fused one (the native backend then prepares g once for both), else
 * from the two kernels.
 */
function inputAndWeightGrads(
  x: Tensor,
  g: Tensor,
  w: Tensor,
  p: Conv2dParams,
  wantBias: boolean,
): { input: Tensor; weight: Tensor; bias: Tensor | null } {
  const dev = sameDevice('conv2d', x, g, w);
  const bf16 = inBf16(dev, x.dtype);
  const gi = Tensor._empty([p.batch, p.inChannels, p.inH, p.inW], g.dtype, dev);
  const gw = Tensor._empty(kernelShape(p), x.dtype, dev);
  const gb = wantBias ? Tensor._empty([p.outChannels], x.dtype, dev) : null;
  // Fused kernels are registered by host-memory ('cpu') backends: their buffers are TypedArrays.
  const h = (t: Tensor) => t._buffer() as TypedArray;
  const fused = bf16
    ? conv2dBackwardBf16(dev, x, g, w, gi, gw, gb, p)
    : fusedKernels(dev)?.conv2dBackward?.(h(x), h(g), h(w), h(gi), h(gw), gb === null ? null : h(gb), p) === true;
  if (!fused) {
    computeWeightGrad(dev, x, g, gw, gb, p, bf16);
    computeInputGrad(dev, g, w, gi, p, bf16);
  }
  const wb = recordWeightGrad(gw, gb, x, g, p, bf16);
  return { input: recordInputGrad(gi, g, w, p, bf16), weight: wb.weight as Tensor, bias: wb.bias };
}

// The three maps are the backward rules' building blocks (autograd/derivatives/conv.ts).
export { convForward, inputAndWeightGrads, inputGrad, weightGrad };
