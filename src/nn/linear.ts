import '../tensor/methods.js';
import { empty } from '../ops/creation.js';
import type { Generator } from '../random/generator.js';
import { isOptionsObject, kinds, parseArgs } from '../tensor/args.js';
import type { Tensor } from '../tensor/tensor.js';
import { linear } from './functional/linear.js';
import { calculateFanInAndFanOut, kaimingUniform_, uniform_ } from './init.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

/** Options of layers that create parameters. */
export interface FactoryOptions {
  /** Parameter dtype (default float32). */
  dtype?: 'float32' | 'float64';
  /** Generator the initial values are drawn from (default: the global one). */
  generator?: Generator;
}

/** @internal the `dtype`/`generator` options of layers that create parameters. */
export const factoryKeys = [
  ['dtype', { desc: "'float32' or 'float64'", ok: (v: unknown) => v === 'float32' || v === 'float64' }],
  ['generator', { desc: 'a Generator', ok: (v: unknown) => typeof v === 'object' && v !== null && !isOptionsObject(v) }],
] as const;

/** @internal PyTorch's reset_parameters for Linear and Conv: He-uniform weight (a = √5), then U(±1/√fanIn) bias. */
export function resetLinearLike(weight: Tensor, bias: Tensor | null, generator?: Generator): void {
  kaimingUniform_(weight, { a: Math.sqrt(5), generator });
  if (bias !== null) {
    const [fanIn] = calculateFanInAndFanOut(weight);
    if (fanIn > 0) {
      const bound = 1 / Math.sqrt(fanIn);
      uniform_(bias, -bound, bound, { generator });
    }
  }
}

/**
 * y = x·Wᵀ + b (`torch.nn.Linear`). Weight [outFeatures, inFeatures], bias [outFeatures],
 * initialized like PyTorch (same seed → same values).
 * @example new Linear(6400, 800)
 */
export class Linear extends Module<[Tensor], Tensor> {
  readonly inFeatures: number;
  readonly outFeatures: number;
  weight: Parameter;
  bias: Parameter | null;

  constructor(inFeatures: number, outFeatures: number, bias?: boolean, opts?: FactoryOptions);
  constructor(inFeatures: number, outFeatures: number, opts?: FactoryOptions & { bias?: boolean });
  constructor(...args: unknown[]) {
    super();
    const opts = parseArgs('Linear', args, {
      positional: [
        ['inFeatures', kinds.any],
        ['outFeatures', kinds.any],
        ['bias', kinds.bool],
      ],
      keywords: factoryKeys,
      usage: 'Linear(inFeatures, outFeatures, bias?, { dtype, generator }?) or Linear(inFeatures, outFeatures, { bias, dtype, generator })',
    }) as FactoryOptions & { inFeatures: number; outFeatures: number; bias?: boolean };
    const { inFeatures, outFeatures } = opts;
    for (const [k, v] of [
      ['inFeatures', inFeatures],
      ['outFeatures', outFeatures],
    ] as const) {
      if (!Number.isInteger(v) || v < 0) throw new RangeError(`Linear: ${k} must be a non-negative integer (got ${v})`);
    }
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    const dtype = opts.dtype ?? 'float32';
    this.weight = new Parameter(empty([outFeatures, inFeatures], { dtype }));
    this.bias = opts.bias === false ? null : new Parameter(empty([outFeatures], { dtype }));
    if (this.bias === null) this.registerParameter('bias', null);
    this.resetParameters(opts.generator);
  }

  /** Re-draws weight and bias as PyTorch's reset_parameters does. */
  resetParameters(generator?: Generator): void {
    resetLinearLike(this.weight, this.bias, generator);
  }

  override forward(input: Tensor): Tensor {
    return linear(input, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${this.bias !== null ? 'True' : 'False'}`;
  }
}

/** Returns its input unchanged (`torch.nn.Identity`); handy as a placeholder. */
export class Identity extends Module<[Tensor], Tensor> {
  override forward(input: Tensor): Tensor {
    return input;
  }
}
