import '../tensor/methods.js';
import { flatten } from '../ops/views.js';
import { kinds, parseArgs } from '../tensor/args.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

/** Flattens dims `startDim`..`endDim` into one (`torch.nn.Flatten`; defaults keep the batch dim). */
export class Flatten extends Module<[Tensor], Tensor> {
  readonly startDim: number;
  readonly endDim: number;
  constructor(startDim?: number | { startDim?: number; endDim?: number }, endDim?: number, ...rest: never[]) {
    super();
    const o = parseArgs<{ startDim?: number; endDim?: number }>('Flatten', [startDim, endDim, ...rest], {
      positional: [
        ['startDim', kinds.int],
        ['endDim', kinds.int],
      ],
      usage: 'Flatten(startDim?, endDim?) or Flatten({ startDim, endDim })',
    });
    this.startDim = o.startDim ?? 1;
    this.endDim = o.endDim ?? -1;
  }

  override forward(input: Tensor): Tensor {
    return flatten(input, this.startDim, this.endDim);
  }

  override extraRepr(): string {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
  }
}
