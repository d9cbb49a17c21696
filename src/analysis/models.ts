/**
 * The models the analysis tools know by name (`nabla summary --model …`): the exercise-6 AlexNet,
 * LeNet-5, and the two Inception modules of docs/exercises.md exercise 5, built from `Inception`, a
 * container that runs branches side by side and concatenates their outputs.
 */

import { ReLU } from '../nn/activation.js';
import { Sequential } from '../nn/container.js';
import { Conv2d } from '../nn/conv.js';
import { Dropout } from '../nn/dropout.js';
import { Flatten } from '../nn/flatten.js';
import { Linear } from '../nn/linear.js';
import { type AnyModule, Module } from '../nn/module.js';
import { MaxPool2d } from '../nn/pooling.js';
import { cat } from '../ops/join.js';
import type { Generator } from '../random/generator.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * Runs every branch on the same input and concatenates the outputs along the channel dim (dim −3
 * of a [N, C, H, W] or [C, H, W] tensor), like GoogLeNet's Inception module. The branches are
 * registered under their names, in order.
 * @example new Inception({ b1: conv1x1, b3: new Sequential(reduce, conv3x3) })
 */
export class Inception extends Module<[Tensor], Tensor> {
  private readonly _branches: AnyModule[];
  readonly dim: number;

  constructor(branches: Record<string, AnyModule>, opts: { dim?: number } = {}) {
    super();
    const entries = Object.entries(branches);
    if (entries.length === 0) throw new RangeError('Inception: at least one branch is required');
    for (const [name, m] of entries) this.registerModule(name, m);
    this._branches = entries.map(([, m]) => m);
    this.dim = opts.dim ?? -3;
  }

  override forward(input: Tensor): Tensor {
    return cat(
      this._branches.map((b) => b.call(input) as Tensor),
      this.dim,
    );
  }

  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

export interface ModelOptions {
  /** Generator the initial weights are drawn from (default: the global one). */
  generator?: Generator;
}

/** conv → ReLU, "same" padding, with bias. */
function convRelu(cin: number, cout: number, k: number, generator?: Generator): Sequential {
  return new Sequential(new Conv2d(cin, cout, k, { padding: 'same', generator }), new ReLU());
}

/**
 * The modified AlexNet of docs/exercises.md exercise 6 (input 1×28×28, 10 classes, 8,925,738 parameters).
 */
export function alexnet(opts: ModelOptions = {}): Sequential {
  const g = opts.generator;
  return new Sequential(
    new Conv2d(1, 96, 4, { generator: g }),
    new ReLU(),
    new Conv2d(96, 96, 3, { generator: g }),
    new ReLU(),
    new Conv2d(96, 256, 5, { padding: 2, generator: g }),
    new ReLU(),
    new MaxPool2d(3, { stride: 2 }),
    new Conv2d(256, 384, 3, { padding: 1, generator: g }),
    new ReLU(),
    new Conv2d(384, 384, 3, { padding: 1, generator: g }),
    new ReLU(),
    new Conv2d(384, 256, 3, { padding: 1, generator: g }),
    new ReLU(),
    new MaxPool2d(3, { stride: 2 }),
    new Flatten(),
    new Dropout(0.5),
    new Linear(6400, 800, { generator: g }),
    new ReLU(),
    new Linear(800, 10, { generator: g }),
  );
}

/** LeNet-5 with ReLU and max pooling for 1×28×28 inputs (61,706 parameters). */
export function lenet(opts: ModelOptions = {}): Sequential {
  const g = opts.generator;
  return new Sequential(
    new Conv2d(1, 6, 5, { padding: 2, generator: g }),
    new ReLU(),
    new MaxPool2d(2),
    new Conv2d(6, 16, 5, { generator: g }),
    new ReLU(),
    new MaxPool2d(2),
    new Flatten(),
    new Linear(400, 120, { generator: g }),
    new ReLU(),
    new Linear(120, 84, { generator: g }),
    new ReLU(),
    new Linear(84, 10, { generator: g }),
  );
}

/**
 * Exercise 5's naive Inception module on 256 channels: 1×1→128, 3×3→192 and 5×5→96 convolutions
 * ("same" padding, bias, ReLU after each), concatenated: 416 output channels.
 */
export function inceptionNaive(opts: ModelOptions & { inChannels?: number } = {}): Inception {
  const g = opts.generator;
  const c = opts.inChannels ?? 256;
  return new Inception({ b1: convRelu(c, 128, 1, g), b3: convRelu(c, 192, 3, g), b5: convRelu(c, 96, 5, g) });
}

/**
 * Exercise 5's Inception module with 1×1 bottlenecks: 1×1→128; 1×1→64 then 3×3→192; 1×1→64 then
 * 5×5→96; 3×3 max-pool (stride 1, padding 1) then 1×1→64; ReLU after each conv; 480 output channels.
 */
export function inceptionBottleneck(opts: ModelOptions & { inChannels?: number } = {}): Inception {
  const g = opts.generator;
  const c = opts.inChannels ?? 256;
  const seq = (...parts: Sequential[]) => new Sequential(...parts.flatMap((p) => p._list()));
  return new Inception({
    b1: convRelu(c, 128, 1, g),
    b3: seq(convRelu(c, 64, 1, g), convRelu(64, 192, 3, g)),
    b5: seq(convRelu(c, 64, 1, g), convRelu(64, 96, 5, g)),
    pool: new Sequential(new MaxPool2d(3, { stride: 1, padding: 1 }), ...convRelu(c, 64, 1, g)._list()),
  });
}

/** A built-in model: how to build it and the input shape it expects (batch of 1). */
export interface BuiltinModel {
  description: string;
  input: number[];
  make(opts?: ModelOptions): AnyModule;
}

/** The models `nabla summary --model` knows. */
export const builtinModels: Readonly<Record<string, BuiltinModel>> = {
  alexnet: { description: 'the modified AlexNet of exercise 6 (MNIST, 1×28×28)', input: [1, 1, 28, 28], make: alexnet },
  lenet: { description: 'LeNet-5 with ReLU and max pooling (1×28×28)', input: [1, 1, 28, 28], make: lenet },
  'inception-naive': { description: "exercise 5's naive Inception module (256×32×32)", input: [1, 256, 32, 32], make: inceptionNaive },
  'inception-bottleneck': {
    description: "exercise 5's Inception module with 1×1 bottlenecks (256×32×32)",
    input: [1, 256, 32, 32],
    make: inceptionBottleneck,
  },
};
