import '../tensor/methods.js';
import { noGrad } from '../autograd/grad-mode.js';
import { ones, zeros } from '../ops/creation.js';
import { kinds, parseArgs } from '../tensor/args.js';
import type { Tensor } from '../tensor/tensor.js';
import { groupNorm, layerNorm } from './functional/normalization.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';
import { pyFloat, pyRepr } from './repr.js';

const dtypeKind = { desc: "'float32' or 'float64'", ok: (v: unknown) => v === 'float32' || v === 'float64' };

export interface LayerNormOptions {
  eps?: number;
  /** Learnable per-element weight (ones) and bias (zeros) of the normalized shape (default true). */
  elementwiseAffine?: boolean;
  dtype?: 'float32' | 'float64';
}

/** Layer normalization over the last dims (`torch.nn.LayerNorm`). @example new LayerNorm(64), new LayerNorm([4, 4], 1e-6) */
export class LayerNorm extends Module<[Tensor], Tensor> {
  readonly normalizedShape: number[];
  readonly eps: number;
  readonly elementwiseAffine: boolean;
  weight: Parameter | null;
  bias: Parameter | null;

  constructor(normalizedShape: number | readonly number[], opts?: LayerNormOptions);
  constructor(
    normalizedShape: number | readonly number[],
    eps?: number,
    elementwiseAffine?: boolean,
    opts?: Pick<LayerNormOptions, 'dtype'>,
  );
  constructor(normalizedShape: number | readonly number[], eps: number, opts: Omit<LayerNormOptions, 'eps'>);
  constructor(...args: unknown[]) {
    super();
    const o = parseArgs<LayerNormOptions & { normalizedShape: number | number[] }>('LayerNorm', args, {
      positional: [
        ['normalizedShape', kinds.dims],
        ['eps', kinds.number],
        ['elementwiseAffine', kinds.bool],
      ],
      keywords: [['dtype', dtypeKind]],
      usage: 'LayerNorm(normalizedShape, eps?, elementwiseAffine?) or LayerNorm(normalizedShape, { eps, elementwiseAffine, dtype })',
    });
    if (o.normalizedShape === undefined || o.normalizedShape === null) throw new TypeError('LayerNorm: normalizedShape is required');
    this.normalizedShape = typeof o.normalizedShape === 'number' ? [o.normalizedShape] : [...o.normalizedShape];
    this.eps = o.eps ?? 1e-5;
    this.elementwiseAffine = o.elementwiseAffine ?? true;
    const dtype = o.dtype ?? 'float32';
    this.weight = this.elementwiseAffine ? new Parameter(ones(this.normalizedShape, { dtype })) : null;
    this.bias = this.elementwiseAffine ? new Parameter(zeros(this.normalizedShape, { dtype })) : null;
    if (!this.elementwiseAffine) {
      this.registerParameter('weight', null);
      this.registerParameter('bias', null);
    }
  }

  /** Weight 1, bias 0 (PyTorch's reset_parameters). */
  resetParameters(): void {
    noGrad(() => {
      this.weight?.fill_(1);
      this.bias?.zero_();
    });
  }

  override forward(input: Tensor): Tensor {
    return layerNorm(input, this.normalizedShape, this.weight, this.bias, this.eps);
  }

  override extraRepr(): string {
    return `(${this.normalizedShape.join(', ')}${this.normalizedShape.length === 1 ? ',' : ''}), eps=${pyFloat(this.eps)}, elementwise_affine=${pyRepr(this.elementwiseAffine)}`;
  }
}

export interface GroupNormOptions {
  eps?: number;
  /** Learnable per-channel weight and bias (default true). */
  affine?: boolean;
  dtype?: 'float32' | 'float64';
}

/** Group normalization (`torch.nn.GroupNorm`). @example new GroupNorm(2, 6) */
export class GroupNorm extends Module<[Tensor], Tensor> {
  readonly numGroups: number;
  readonly numChannels: number;
  readonly eps: number;
  readonly affine: boolean;
  weight: Parameter | null;
  bias: Parameter | null;

  constructor(numGroups: number, numChannels: number, opts?: GroupNormOptions);
  constructor(numGroups: number, numChannels: number, eps?: number, affine?: boolean, opts?: Pick<GroupNormOptions, 'dtype'>);
  constructor(numGroups: number, numChannels: number, eps: number, opts: Omit<GroupNormOptions, 'eps'>);
  constructor(...args: unknown[]) {
    super();
    const o = parseArgs<GroupNormOptions & { numGroups: number; numChannels: number }>('GroupNorm', args, {
      positional: [
        ['numGroups', kinds.int],
        ['numChannels', kinds.int],
        ['eps', kinds.number],
        ['affine', kinds.bool],
      ],
      keywords: [['dtype', dtypeKind]],
      usage: 'GroupNorm(numGroups, numChannels, eps?, affine?) or GroupNorm(numGroups, numChannels, { eps, affine, dtype })',
    });
    if (o.numGroups === undefined || o.numChannels === undefined) throw new TypeError('GroupNorm: numGroups and numChannels are required');
    if (o.numGroups <= 0 || o.numChannels % o.numGroups !== 0) {
      throw new RangeError(`GroupNorm: num_channels (${o.numChannels}) must be divisible by num_groups (${o.numGroups})`);
    }
    this.numGroups = o.numGroups;
    this.numChannels = o.numChannels;
    this.eps = o.eps ?? 1e-5;
    this.affine = o.affine ?? true;
    const dtype = o.dtype ?? 'float32';
    this.weight = this.affine ? new Parameter(ones([this.numChannels], { dtype })) : null;
    this.bias = this.affine ? new Parameter(zeros([this.numChannels], { dtype })) : null;
    if (!this.affine) {
      this.registerParameter('weight', null);
      this.registerParameter('bias', null);
    }
  }

  override forward(input: Tensor): Tensor {
    return groupNorm(input, this.numGroups, this.weight, this.bias, this.eps);
  }

  override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${pyFloat(this.eps)}, affine=${pyRepr(this.affine)}`;
  }
}
