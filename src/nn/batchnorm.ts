import '../tensor/methods.js';
import { noGrad } from '../autograd/grad-mode.js';
import { batchNorm } from '../ops/batchnorm.js';
import { ones, zeros } from '../ops/creation.js';
import { kinds, parseArgs } from '../tensor/args.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';
import { pyFloat } from './repr.js';

export interface BatchNormOptions {
  /** Added to the variance for stability (default 1e-5). */
  eps?: number;
  /** Running-statistics update factor (default 0.1); null for a cumulative moving average. */
  momentum?: number | null;
  /** Learnable per-channel scale and shift (default true). */
  affine?: boolean;
  /** Keep running mean/variance for evaluation (default true); without them batch statistics are always used. */
  trackRunningStats?: boolean;
  dtype?: 'float32' | 'float64';
}

/** Shared implementation of BatchNorm1d/2d (PyTorch's `_BatchNorm`). */
export abstract class BatchNormBase extends Module<[Tensor], Tensor> {
  readonly numFeatures: number;
  readonly eps: number;
  momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  weight: Parameter | null;
  bias: Parameter | null;
  runningMean: Tensor | null;
  runningVar: Tensor | null;
  numBatchesTracked: Tensor | null;

  constructor(numFeatures: number, opts?: BatchNormOptions);
  constructor(
    numFeatures: number,
    eps?: number,
    momentum?: number | null,
    affine?: boolean,
    trackRunningStats?: boolean,
    opts?: Pick<BatchNormOptions, 'dtype'>,
  );
  constructor(numFeatures: number, eps: number, opts: Omit<BatchNormOptions, 'eps'>);
  constructor(numFeatures: number, eps: number, momentum: number | null, opts: Omit<BatchNormOptions, 'eps' | 'momentum'>);
  constructor(numFeatures: number, ...args: unknown[]) {
    super();
    const name = this._getName();
    const opts = parseArgs(name, args, {
      positional: [
        ['eps', kinds.number],
        ['momentum', kinds.numberOrNull],
        ['affine', kinds.bool],
        ['trackRunningStats', kinds.bool],
      ],
      keywords: [['dtype', { desc: "'float32' or 'float64'", ok: (v) => v === 'float32' || v === 'float64' }]],
      usage: `${name}(numFeatures, eps?, momentum?, affine?, trackRunningStats?) or ${name}(numFeatures, { eps, momentum, affine, trackRunningStats, dtype })`,
    }) as BatchNormOptions;
    if (!Number.isInteger(numFeatures) || numFeatures <= 0) {
      throw new RangeError(`${this._getName()}: numFeatures must be a positive integer (got ${numFeatures})`);
    }
    this.numFeatures = numFeatures;
    this.eps = opts.eps ?? 1e-5;
    this.momentum = opts.momentum === undefined ? 0.1 : opts.momentum;
    this.affine = opts.affine ?? true;
    this.trackRunningStats = opts.trackRunningStats ?? true;
    const dtype = opts.dtype ?? 'float32';
    this.weight = null;
    this.bias = null;
    if (this.affine) {
      this.weight = new Parameter(ones([numFeatures], { dtype }));
      this.bias = new Parameter(zeros([numFeatures], { dtype }));
    } else {
      this.registerParameter('weight', null);
      this.registerParameter('bias', null);
    }
    this.runningMean = null;
    this.runningVar = null;
    this.numBatchesTracked = null;
    if (this.trackRunningStats) {
      this.registerBuffer('runningMean', zeros([numFeatures], { dtype }));
      this.registerBuffer('runningVar', ones([numFeatures], { dtype }));
      this.registerBuffer('numBatchesTracked', zeros([], { dtype: 'int32' }));
    } else {
      this.registerBuffer('runningMean', null);
      this.registerBuffer('runningVar', null);
      this.registerBuffer('numBatchesTracked', null);
    }
  }

  /** Zeroes the running mean and batch count and sets the running variance to 1. */
  resetRunningStats(): void {
    if (!this.trackRunningStats) return;
    noGrad(() => {
      this.runningMean?.zero_();
      this.runningVar?.fill_(1);
      this.numBatchesTracked?.zero_();
    });
  }

  /** Running stats reset, weight 1, bias 0 (PyTorch's reset_parameters). */
  resetParameters(): void {
    this.resetRunningStats();
    noGrad(() => {
      this.weight?.fill_(1);
      this.bias?.zero_();
    });
  }

  protected abstract checkInputDim(input: Tensor): void;

  override forward(input: Tensor): Tensor {
    this.checkInputDim(input);
    if (input.shape[1] !== this.numFeatures) {
      throw new RangeError(
        `${this._getName()}: expected ${this.numFeatures} channels in dim 1, got input of shape [${input.shape.join(', ')}]`,
      );
    }
    let factor = this.momentum ?? 0.0;
    if (this.training && this.trackRunningStats && this.numBatchesTracked !== null) {
      const nbt = this.numBatchesTracked;
      noGrad(() => nbt.add_(1));
      factor = this.momentum === null ? 1.0 / nbt.item() : this.momentum;
    }
    const bnTraining = this.training ? true : this.runningMean === null && this.runningVar === null;
    const useStats = !this.training || this.trackRunningStats;
    return batchNorm(input, useStats ? this.runningMean : null, useStats ? this.runningVar : null, this.weight, this.bias, {
      training: bnTraining,
      momentum: factor,
      eps: this.eps,
    });
  }

  override extraRepr(): string {
    const m = this.momentum === null ? 'None' : pyFloat(this.momentum);
    const b = (v: boolean) => (v ? 'True' : 'False');
    return `${this.numFeatures}, eps=${pyFloat(this.eps)}, momentum=${m}, affine=${b(this.affine)}, track_running_stats=${b(this.trackRunningStats)}`;
  }
}

/** Batch normalization over [N, C] or [N, C, L] inputs (`torch.nn.BatchNorm1d`). */
export class BatchNorm1d extends BatchNormBase {
  protected override checkInputDim(input: Tensor): void {
    if (input.ndim !== 2 && input.ndim !== 3) throw new RangeError(`BatchNorm1d: expected 2D or 3D input (got ${input.ndim}D input)`);
  }
}

/** Batch normalization over [N, C, H, W] inputs (`torch.nn.BatchNorm2d`). */
export class BatchNorm2d extends BatchNormBase {
  protected override checkInputDim(input: Tensor): void {
    if (input.ndim !== 4) throw new RangeError(`BatchNorm2d: expected 4D input (got ${input.ndim}D input)`);
  }
}
