import '../tensor/methods.js';
import { AVG_POOL_PARAMS, adaptiveAvgPool2d, avgPool2d, maxPool2d, maxPool2dWithIndices } from '../ops/pool.js';
import { kinds, parseArgs } from '../tensor/args.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Size2 } from './conv.js';
import { Module } from './module.js';
import { pyRepr } from './repr.js';

export interface MaxPool2dOptions {
  /** Default: kernelSize. */
  stride?: Size2 | null;
  padding?: Size2;
  dilation?: Size2;
  /** Also return the flat (per-plane) int32 indices of the maxima: forward gives [output, indices]. */
  returnIndices?: boolean;
  /** Round the output size up instead of down. */
  ceilMode?: boolean;
}

/**
 * 2-D max pooling (`torch.nn.MaxPool2d`). With `returnIndices: true` the module returns
 * `[output, indices]` like PyTorch's tuple; type it as `MaxPool2d<true>` then.
 * @example new MaxPool2d(3, { stride: 2 })
 */
export class MaxPool2d<R extends boolean = false> extends Module<[Tensor], R extends true ? [Tensor, Tensor] : Tensor> {
  readonly kernelSize: Size2;
  readonly stride: Size2;
  readonly padding: Size2;
  readonly dilation: Size2;
  readonly returnIndices: R;
  readonly ceilMode: boolean;

  constructor(kernelSize: Size2, opts?: MaxPool2dOptions & { returnIndices?: R });
  constructor(kernelSize: Size2, stride?: Size2 | null, padding?: Size2, dilation?: Size2, returnIndices?: R, ceilMode?: boolean);
  constructor(kernelSize: Size2, stride: Size2 | null, opts: Omit<MaxPool2dOptions, 'stride'> & { returnIndices?: R });
  constructor(...args: unknown[]) {
    super();
    const opts = parseArgs('MaxPool2d', args, {
      positional: [
        ['kernelSize', kinds.size2],
        ['stride', kinds.size2OrNull],
        ['padding', kinds.size2],
        ['dilation', kinds.size2],
        ['returnIndices', kinds.bool],
        ['ceilMode', kinds.bool],
      ],
      usage:
        'MaxPool2d(kernelSize, stride?, padding?, dilation?, returnIndices?, ceilMode?) or MaxPool2d(kernelSize, { stride, padding, dilation, returnIndices, ceilMode })',
    }) as MaxPool2dOptions & { kernelSize: Size2; returnIndices?: R };
    const kernelSize = opts.kernelSize;
    if (kernelSize === undefined) throw new TypeError('MaxPool2d: kernelSize is required: MaxPool2d(kernelSize, …)');
    this.kernelSize = kernelSize;
    this.stride = opts.stride ?? kernelSize;
    this.padding = opts.padding ?? 0;
    this.dilation = opts.dilation ?? 1;
    this.returnIndices = (opts.returnIndices ?? false) as R;
    this.ceilMode = opts.ceilMode ?? false;
  }

  private _opts() {
    return { kernelSize: this.kernelSize, stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode };
  }

  override forward(input: Tensor): R extends true ? [Tensor, Tensor] : Tensor {
    if (this.returnIndices) {
      const { values, indices } = maxPool2dWithIndices(input, this._opts());
      return [values, indices] as R extends true ? [Tensor, Tensor] : Tensor;
    }
    return maxPool2d(input, this._opts()) as R extends true ? [Tensor, Tensor] : Tensor;
  }

  override extraRepr(): string {
    return (
      `kernel_size=${pyRepr(this.kernelSize)}, stride=${pyRepr(this.stride)}, padding=${pyRepr(this.padding)}, ` +
      `dilation=${pyRepr(this.dilation)}, ceil_mode=${pyRepr(this.ceilMode)}`
    );
  }
}

export interface AvgPool2dOptions {
  /** Default: kernelSize. */
  stride?: Size2 | null;
  padding?: Size2;
  ceilMode?: boolean;
  /** Count the zero padding in the average's divisor (default true). */
  countIncludePad?: boolean;
  /** Divide by this instead of the window size. */
  divisorOverride?: number | null;
}

/** 2-D average pooling (`torch.nn.AvgPool2d`). */
export class AvgPool2d extends Module<[Tensor], Tensor> {
  readonly kernelSize: Size2;
  readonly stride: Size2;
  readonly padding: Size2;
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;
  readonly divisorOverride: number | null;

  constructor(kernelSize: Size2, opts?: AvgPool2dOptions);
  constructor(
    kernelSize: Size2,
    stride?: Size2 | null,
    padding?: Size2,
    ceilMode?: boolean,
    countIncludePad?: boolean,
    divisorOverride?: number | null,
  );
  constructor(kernelSize: Size2, stride: Size2 | null, opts: Omit<AvgPool2dOptions, 'stride'>);
  constructor(...args: unknown[]) {
    super();
    const opts = parseArgs('AvgPool2d', args, {
      positional: AVG_POOL_PARAMS,
      usage:
        'AvgPool2d(kernelSize, stride?, padding?, ceilMode?, countIncludePad?, divisorOverride?) or AvgPool2d(kernelSize, { stride, padding, ceilMode, countIncludePad, divisorOverride })',
    }) as AvgPool2dOptions & { kernelSize: Size2 };
    const kernelSize = opts.kernelSize;
    if (kernelSize === undefined) throw new TypeError('AvgPool2d: kernelSize is required: AvgPool2d(kernelSize, …)');
    this.kernelSize = kernelSize;
    this.stride = opts.stride ?? kernelSize;
    this.padding = opts.padding ?? 0;
    this.ceilMode = opts.ceilMode ?? false;
    this.countIncludePad = opts.countIncludePad ?? true;
    this.divisorOverride = opts.divisorOverride ?? null;
  }

  override forward(input: Tensor): Tensor {
    return avgPool2d(input, {
      kernelSize: this.kernelSize,
      stride: this.stride,
      padding: this.padding,
      ceilMode: this.ceilMode,
      countIncludePad: this.countIncludePad,
      ...(this.divisorOverride !== null ? { divisorOverride: this.divisorOverride } : {}),
    });
  }

  override extraRepr(): string {
    return `kernel_size=${pyRepr(this.kernelSize)}, stride=${pyRepr(this.stride)}, padding=${pyRepr(this.padding)}`;
  }
}

/** Average pooling to a fixed output size (`torch.nn.AdaptiveAvgPool2d`). */
export class AdaptiveAvgPool2d extends Module<[Tensor], Tensor> {
  readonly outputSize: Size2;

  constructor(...args: [outputSize: Size2]) {
    super();
    const outputSize = args[0];
    parseArgs('AdaptiveAvgPool2d', args, { positional: [['outputSize', kinds.size2]], usage: 'AdaptiveAvgPool2d(outputSize)' });
    this.outputSize = outputSize;
  }

  override forward(input: Tensor): Tensor {
    const s = this.outputSize;
    return adaptiveAvgPool2d(input, typeof s === 'number' ? s : [s[0], s[1]]);
  }

  override extraRepr(): string {
    return `output_size=${pyRepr(this.outputSize)}`;
  }
}
