import '../tensor/methods.js';
import { noGrad } from '../autograd/grad-mode.js';
import { empty } from '../ops/creation.js';
import type { Generator } from '../random/generator.js';
import { kinds, parseArgs } from '../tensor/args.js';
import type { Tensor } from '../tensor/tensor.js';
import { embedding } from './functional/normalization.js';
import { normal_ } from './init.js';
import { type FactoryOptions, factoryKeys } from './linear.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

export interface EmbeddingOptions extends FactoryOptions {
  /** This row is initialized to zeros and gets no gradient. */
  paddingIdx?: number | null;
}

/**
 * A lookup table of `numEmbeddings` vectors of size `embeddingDim` (`torch.nn.Embedding`),
 * initialized N(0, 1) like PyTorch (same seed → same table). Call it with int32 indices.
 * @example const emb = new nn.Embedding(27, 10); emb.call(X) // [...X.shape, 10]
 */
export class Embedding extends Module<[Tensor], Tensor> {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  readonly paddingIdx: number | null;
  weight: Parameter;

  constructor(numEmbeddings: number, embeddingDim: number, opts?: EmbeddingOptions);
  constructor(numEmbeddings: number, embeddingDim: number, paddingIdx?: number | null, opts?: FactoryOptions);
  constructor(...args: unknown[]) {
    super();
    const o = parseArgs<EmbeddingOptions & { numEmbeddings: number; embeddingDim: number }>('Embedding', args, {
      positional: [
        ['numEmbeddings', kinds.int],
        ['embeddingDim', kinds.int],
        ['paddingIdx', kinds.intOrNull],
      ],
      keywords: factoryKeys,
      usage:
        'Embedding(numEmbeddings, embeddingDim, paddingIdx?, { dtype, generator }?) or Embedding(numEmbeddings, embeddingDim, { paddingIdx, dtype, generator }); maxNorm, scaleGradByFreq and sparse are not supported',
    });
    const { numEmbeddings, embeddingDim } = o;
    if (numEmbeddings === undefined || embeddingDim === undefined || numEmbeddings < 0 || embeddingDim < 0) {
      throw new RangeError(
        `Embedding: numEmbeddings and embeddingDim must be non-negative integers (got ${numEmbeddings}, ${embeddingDim})`,
      );
    }
    let pad = o.paddingIdx ?? null;
    if (pad !== null) {
      if (pad >= numEmbeddings || pad < -numEmbeddings) throw new RangeError('Embedding: paddingIdx must be within numEmbeddings');
      if (pad < 0) pad += numEmbeddings;
    }
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    this.paddingIdx = pad;
    this.weight = new Parameter(empty([numEmbeddings, embeddingDim], { dtype: o.dtype ?? 'float32' }));
    this.resetParameters(o.generator);
  }

  /** Re-draws the table from N(0, 1) and zeroes the padding row, as PyTorch's reset_parameters. */
  resetParameters(generator?: Generator): void {
    normal_(this.weight, 0, 1, { generator });
    const pad = this.paddingIdx;
    if (pad !== null) noGrad(() => this.weight.select(0, pad).fill_(0));
  }

  override forward(input: Tensor): Tensor {
    return embedding(input, this.weight, this.paddingIdx);
  }

  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}${this.paddingIdx !== null ? `, padding_idx=${this.paddingIdx}` : ''}`;
  }
}
