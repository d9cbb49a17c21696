import '../tensor/methods.js';
import { dropout } from '../ops/dropout.js';
import type { Generator } from '../random/generator.js';
import { isOptionsObject, kinds, parseArgs } from '../tensor/args.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';
import { pyFloat } from './repr.js';

/**
 * Zeroes each element with probability `p` during training and scales the rest by 1/(1 − p)
 * (`torch.nn.Dropout`); the identity in eval mode. The mask is drawn from `generator` (default:
 * the global one) as PyTorch draws it. `inplace` is accepted for PyTorch compatibility and
 * printed, but the result is always a new tensor.
 */
export class Dropout extends Module<[Tensor], Tensor> {
  readonly p: number;
  readonly inplace: boolean;
  /** The generator masks are drawn from (undefined: the global one). */
  generator: Generator | undefined;

  constructor(p?: number, opts?: { inplace?: boolean; generator?: Generator });
  constructor(p: number, inplace: boolean, opts?: { generator?: Generator });
  constructor(opts: { p?: number; inplace?: boolean; generator?: Generator });
  constructor(...args: unknown[]) {
    super();
    const opts = parseArgs('Dropout', args, {
      positional: [
        ['p', kinds.number],
        ['inplace', kinds.bool],
      ],
      keywords: [['generator', { desc: 'a Generator', ok: (v) => typeof v === 'object' && v !== null && !isOptionsObject(v) }]],
      usage: 'Dropout(p?, inplace?, { generator }?) or Dropout({ p, inplace, generator })',
    }) as { p?: number; inplace?: boolean; generator?: Generator };
    const p = opts.p ?? 0.5;
    if (!(p >= 0 && p <= 1)) throw new RangeError(`Dropout: dropout probability has to be between 0 and 1, but got ${p}`);
    this.p = p;
    this.inplace = opts.inplace ?? false;
    this.generator = opts.generator;
  }

  override forward(input: Tensor): Tensor {
    return dropout(input, this.p, this.training, { generator: this.generator });
  }

  override extraRepr(): string {
    return `p=${pyFloat(this.p)}, inplace=${this.inplace ? 'True' : 'False'}`;
  }
}
