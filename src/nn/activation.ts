import '../tensor/methods.js';
import { type GeluApproximate, gelu } from '../ops/gelu.js';
import { logSoftmax, softmax } from '../ops/softmax.js';
import { relu, sigmoid, tanh } from '../ops/unary.js';
import { kinds, noMoreArgs, parseArgs } from '../tensor/args.js';
import type { Tensor } from '../tensor/tensor.js';
import { implicitSoftmaxDim, leakyRelu } from './functional/activation.js';
import { Module } from './module.js';
import { pyFloat } from './repr.js';

// `inplace` options are accepted and printed like PyTorch's, but nabla's activations always
// return a new tensor (same values and gradients; only the input is left unmodified).

/** max(x, 0) (`torch.nn.ReLU`). */
export class ReLU extends Module<[Tensor], Tensor> {
  readonly inplace: boolean;
  constructor(inplace?: boolean | { inplace?: boolean }, ...rest: never[]) {
    super();
    const opts = parseArgs('ReLU', [inplace, ...rest], {
      positional: [['inplace', kinds.bool]],
      usage: 'ReLU(inplace?) or ReLU({ inplace })',
    });
    this.inplace = (opts.inplace as boolean | undefined) ?? false;
  }
  override forward(input: Tensor): Tensor {
    return relu(input);
  }
  override extraRepr(): string {
    return this.inplace ? 'inplace=True' : '';
  }
}

/** x for x > 0, negativeSlope·x otherwise (`torch.nn.LeakyReLU`). */
export class LeakyReLU extends Module<[Tensor], Tensor> {
  readonly negativeSlope: number;
  readonly inplace: boolean;
  constructor(
    negativeSlope?: number | { negativeSlope?: number; inplace?: boolean },
    inplace?: boolean | { inplace?: boolean },
    opts?: { inplace?: boolean },
    ...rest: never[]
  ) {
    super();
    const o = parseArgs('LeakyReLU', [negativeSlope, inplace, opts, ...rest], {
      positional: [
        ['negativeSlope', kinds.number],
        ['inplace', kinds.bool],
      ],
      usage: 'LeakyReLU(negativeSlope?, inplace?) or LeakyReLU(negativeSlope, { inplace })',
    });
    this.negativeSlope = (o.negativeSlope as number | undefined) ?? 0.01;
    this.inplace = (o.inplace as boolean | undefined) ?? false;
  }
  override forward(input: Tensor): Tensor {
    return leakyRelu(input, this.negativeSlope);
  }
  override extraRepr(): string {
    return `negative_slope=${pyFloat(this.negativeSlope)}${this.inplace ? ', inplace=True' : ''}`;
  }
}

/** 1 / (1 + e^(−x)) (`torch.nn.Sigmoid`). */
export class Sigmoid extends Module<[Tensor], Tensor> {
  constructor(...rest: never[]) {
    super();
    noMoreArgs('Sigmoid', rest, 'Sigmoid()');
  }
  override forward(input: Tensor): Tensor {
    return sigmoid(input);
  }
}

/** tanh(x) (`torch.nn.Tanh`). */
export class Tanh extends Module<[Tensor], Tensor> {
  constructor(...rest: never[]) {
    super();
    noMoreArgs('Tanh', rest, 'Tanh()');
  }
  override forward(input: Tensor): Tensor {
    return tanh(input);
  }
}

/** x·Φ(x), or its tanh approximation with `{ approximate: 'tanh' }` (`torch.nn.GELU`). */
export class GELU extends Module<[Tensor], Tensor> {
  readonly approximate: GeluApproximate;
  constructor(approximate?: GeluApproximate | { approximate?: GeluApproximate }, ...rest: never[]) {
    super();
    const o = parseArgs<{ approximate?: GeluApproximate }>('GELU', [approximate, ...rest], {
      positional: [['approximate', kinds.string]],
      usage: "GELU(approximate?) or GELU({ approximate }), approximate 'none' or 'tanh'",
    });
    const a = o.approximate ?? 'none';
    if (a !== 'none' && a !== 'tanh') throw new RangeError(`GELU: approximate must be 'none' or 'tanh' (got '${a}')`);
    this.approximate = a;
  }
  override forward(input: Tensor): Tensor {
    return gelu(input, this.approximate);
  }
  override extraRepr(): string {
    return `approximate='${this.approximate}'`;
  }
}

/** Softmax along `dim` (`torch.nn.Softmax`); without a dim, PyTorch's legacy implicit choice. */
export class Softmax extends Module<[Tensor], Tensor> {
  readonly dim: number | null;
  constructor(dim?: number | null | { dim?: number | null }, ...rest: never[]) {
    super();
    const o = parseArgs<{ dim?: number | null }>('Softmax', [dim, ...rest], {
      positional: [['dim', kinds.intOrNull]],
      usage: 'Softmax(dim?) or Softmax({ dim })',
    });
    this.dim = o.dim ?? null;
  }
  override forward(input: Tensor): Tensor {
    return softmax(input, this.dim ?? implicitSoftmaxDim(input.ndim));
  }
  override extraRepr(): string {
    return `dim=${this.dim ?? 'None'}`;
  }
}

/** log(softmax(x)) along `dim`, computed stably (`torch.nn.LogSoftmax`). */
export class LogSoftmax extends Module<[Tensor], Tensor> {
  readonly dim: number | null;
  constructor(dim?: number | null | { dim?: number | null }, ...rest: never[]) {
    super();
    const o = parseArgs<{ dim?: number | null }>('LogSoftmax', [dim, ...rest], {
      positional: [['dim', kinds.intOrNull]],
      usage: 'LogSoftmax(dim?) or LogSoftmax({ dim })',
    });
    this.dim = o.dim ?? null;
  }
  override forward(input: Tensor): Tensor {
    return logSoftmax(input, this.dim ?? implicitSoftmaxDim(input.ndim));
  }
  override extraRepr(): string {
    return `dim=${this.dim ?? 'None'}`;
  }
}
