import '../tensor/methods.js';
import { conv2d } from '../ops/conv.js';
import { empty } from '../ops/creation.js';
import type { Generator } from '../random/generator.js';
import { kinds, parseArgs } from '../tensor/args.js';
import type { Tensor } from '../tensor/tensor.js';
import { type FactoryOptions, factoryKeys, resetLinearLike } from './linear.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';
import { pyRepr } from './repr.js';

/** A size given as one number for both dims or as [height, width]. */
export type Size2 = number | [number, number] | readonly [number, number];

/** @internal normalizes a number or pair to a [h, w] pair, naming the option in errors. */
export function pair(op: string, what: string, v: Size2, min: number): [number, number] {
  const p: [number, number] = typeof v === 'number' ? [v, v] : [v[0], v[1]];
  if (!Array.isArray(v) && typeof v !== 'number') throw new TypeError(`${op}: ${what} must be a number or a [h, w] pair`);
  if (Array.isArray(v) && v.length !== 2) throw new RangeError(`${op}: ${what} must have 2 elements (got ${v.length})`);
  for (const x of p)
    if (!Number.isInteger(x) || x < min) throw new RangeError(`${op}: ${what} must be integers >= ${min} (got ${pyRepr(v)})`);
  return p;
}

export interface Conv2dOptions extends FactoryOptions {
  stride?: Size2;
  /** Zero padding per side, or 'same' (output size = input size; stride 1 only) or 'valid' (none). */
  padding?: Size2 | 'same' | 'valid';
  dilation?: Size2;
  groups?: number;
  bias?: boolean;
  /** Only 'zeros' is supported. */
  paddingMode?: 'zeros';
}

/**
 * 2-D convolution over [N, C, H, W] (or unbatched [C, H, W]) inputs (`torch.nn.Conv2d`).
 * Weight [outChannels, inChannels / groups, kH, kW], bias [outChannels], initialized like
 * PyTorch (same seed → same values).
 * @example new Conv2d(96, 256, 5, { padding: 2 })
 */
export class Conv2d extends Module<[Tensor], Tensor> {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number] | 'same' | 'valid';
  readonly dilation: [number, number];
  readonly groups: number;
  readonly paddingMode = 'zeros';
  weight: Parameter;
  bias: Parameter | null;

  constructor(inChannels: number, outChannels: number, kernelSize: Size2, opts?: Conv2dOptions);
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: Size2,
    stride?: Size2,
    padding?: Size2 | 'same' | 'valid',
    dilation?: Size2,
    groups?: number,
    bias?: boolean,
    paddingMode?: 'zeros',
    opts?: FactoryOptions,
  );
  constructor(inChannels: number, outChannels: number, kernelSize: Size2, stride: Size2, opts: Omit<Conv2dOptions, 'stride'>);
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: Size2,
    stride: Size2,
    padding: Size2 | 'same' | 'valid',
    opts: Omit<Conv2dOptions, 'stride' | 'padding'>,
  );
  constructor(...args: unknown[]) {
    super();
    const op = 'Conv2d';
    const opts = parseArgs(op, args, {
      positional: [
        ['inChannels', kinds.any],
        ['outChannels', kinds.any],
        ['kernelSize', kinds.any],
        ['stride', kinds.any],
        ['padding', kinds.any],
        ['dilation', kinds.any],
        ['groups', kinds.any],
        ['bias', kinds.bool],
        ['paddingMode', kinds.string],
      ],
      keywords: factoryKeys,
      usage:
        'Conv2d(inChannels, outChannels, kernelSize, stride?, padding?, dilation?, groups?, bias?, paddingMode?) or ' +
        'Conv2d(inChannels, outChannels, kernelSize, { stride, padding, dilation, groups, bias, paddingMode, dtype, generator })',
    }) as Conv2dOptions & { inChannels: number; outChannels: number; kernelSize: Size2 };
    const { inChannels, outChannels, kernelSize } = opts;
    if (kernelSize === undefined) throw new TypeError('Conv2d: kernelSize is required: Conv2d(inChannels, outChannels, kernelSize, …)');
    const groups = opts.groups ?? 1;
    if (!Number.isInteger(groups) || groups <= 0) throw new RangeError(`${op}: groups must be a positive integer (got ${groups})`);
    if (!Number.isInteger(inChannels) || inChannels <= 0)
      throw new RangeError(`${op}: inChannels must be a positive integer (got ${inChannels})`);
    if (!Number.isInteger(outChannels) || outChannels <= 0)
      throw new RangeError(`${op}: outChannels must be a positive integer (got ${outChannels})`);
    if (inChannels % groups !== 0) throw new RangeError(`${op}: in_channels (${inChannels}) must be divisible by groups (${groups})`);
    if (outChannels % groups !== 0) throw new RangeError(`${op}: out_channels (${outChannels}) must be divisible by groups (${groups})`);
    if ((opts.paddingMode ?? 'zeros') !== 'zeros')
      throw new RangeError(`${op}: paddingMode '${opts.paddingMode}' is not supported (only 'zeros')`);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = pair(op, 'kernelSize', kernelSize, 1);
    this.stride = pair(op, 'stride', opts.stride ?? 1, 1);
    const padding = opts.padding ?? 0;
    if (typeof padding === 'string') {
      if (padding !== 'same' && padding !== 'valid')
        throw new RangeError(`${op}: invalid padding string '${padding}', should be one of 'valid', 'same'`);
      if (padding === 'same' && (this.stride[0] !== 1 || this.stride[1] !== 1)) {
        throw new RangeError(`${op}: padding='same' is not supported for strided convolutions`);
      }
      this.padding = padding;
    } else {
      this.padding = pair(op, 'padding', padding, 0);
    }
    this.dilation = pair(op, 'dilation', opts.dilation ?? 1, 1);
    this.groups = groups;
    const dtype = opts.dtype ?? 'float32';
    this.weight = new Parameter(empty([outChannels, inChannels / groups, ...this.kernelSize], { dtype }));
    this.bias = opts.bias === false ? null : new Parameter(empty([outChannels], { dtype }));
    if (this.bias === null) this.registerParameter('bias', null);
    this.resetParameters(opts.generator);
  }

  /** Re-draws weight and bias as PyTorch's reset_parameters does. */
  resetParameters(generator?: Generator): void {
    resetLinearLike(this.weight, this.bias, generator);
  }

  override forward(input: Tensor): Tensor {
    return conv2d(input, this.weight, this.bias, {
      stride: this.stride,
      padding: this.padding,
      dilation: this.dilation,
      groups: this.groups,
    });
  }

  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${pyRepr(this.kernelSize)}, stride=${pyRepr(this.stride)}`;
    if (typeof this.padding === 'string' || this.padding[0] !== 0 || this.padding[1] !== 0) s += `, padding=${pyRepr(this.padding)}`;
    if (this.dilation[0] !== 1 || this.dilation[1] !== 1) s += `, dilation=${pyRepr(this.dilation)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ', bias=False';
    return s;
  }
}
