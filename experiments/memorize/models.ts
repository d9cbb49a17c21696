/**
 * The networks of `nabla memorize`. Weights are drawn from the global generator in construction
 * order, as PyTorch would for the same module definitions.
 */

import { ReLU } from '../../src/nn/activation.js';
import { Sequential } from '../../src/nn/container.js';
import { Conv2d } from '../../src/nn/conv.js';
import { Dropout } from '../../src/nn/dropout.js';
import { Flatten } from '../../src/nn/flatten.js';
import { Linear } from '../../src/nn/linear.js';
import { MaxPool2d } from '../../src/nn/pooling.js';
import type { ModelName } from './options.js';

export interface ModelSpec {
  model: ModelName;
  /** Width multiplier of channels and hidden units (1: as written). */
  width: number;
  dropout: number;
  /** Input image size (default 28×28). */
  height?: number;
  imageWidth?: number;
  numClasses?: number;
}

/** `round(n · width)`, at least 1. */
function scaled(n: number, width: number): number {
  return Math.max(1, Math.round(n * width));
}

/** Output size of a conv/pool along one axis. */
function outSize(size: number, kernel: number, stride: number, pad: number): number {
  return Math.floor((size + 2 * pad - kernel) / stride) + 1;
}

/**
 * Exercise 6's modified AlexNet (input 1×28×28; at width 1: 8,925,738 parameters):
 * ```
 * conv(1→96, k4) ReLU, conv(96→96, k3) ReLU,
 * conv(96→256, k5, pad 2) ReLU, maxpool(k3, s2),
 * conv(256→384, k3, pad 1) ReLU, conv(384→384, k3, pad 1) ReLU, conv(384→256, k3, pad 1) ReLU,
 * maxpool(k3, s2), flatten (6400), dropout(0.5), linear(6400→800) ReLU, linear(800→10)
 * ```
 */
export function alexnet(width = 1, dropout = 0.5, h = 28, w = 28, numClasses = 10): Sequential {
  const c1 = scaled(96, width);
  const c3 = scaled(256, width);
  const c4 = scaled(384, width);
  const fc = scaled(800, width);
  let sh = outSize(outSize(h, 4, 1, 0), 3, 1, 0);
  let sw = outSize(outSize(w, 4, 1, 0), 3, 1, 0);
  sh = outSize(outSize(sh, 3, 2, 0), 3, 2, 0);
  sw = outSize(outSize(sw, 3, 2, 0), 3, 2, 0);
  if (!(sh >= 1 && sw >= 1)) throw new RangeError(`alexnet: ${h}×${w} images are too small for the network (need at least 17×17)`);
  return new Sequential({
    conv1: new Conv2d(1, c1, 4),
    relu1: new ReLU(),
    conv2: new Conv2d(c1, c1, 3),
    relu2: new ReLU(),
    conv3: new Conv2d(c1, c3, 5, { padding: 2 }),
    relu3: new ReLU(),
    pool1: new MaxPool2d(3, { stride: 2 }),
    conv4: new Conv2d(c3, c4, 3, { padding: 1 }),
    relu4: new ReLU(),
    conv5: new Conv2d(c4, c4, 3, { padding: 1 }),
    relu5: new ReLU(),
    conv6: new Conv2d(c4, c3, 3, { padding: 1 }),
    relu6: new ReLU(),
    pool2: new MaxPool2d(3, { stride: 2 }),
    flatten: new Flatten(),
    dropout: new Dropout(dropout),
    fc1: new Linear(c3 * sh * sw, fc),
    relu7: new ReLU(),
    fc2: new Linear(fc, numClasses),
  });
}

/**
 * A small CNN (at width 1: 431,242 parameters, ~2.8 M multiply-adds per 28×28 image):
 * ```
 * conv(1→32, k3) ReLU maxpool(2), conv(32→64, k3) ReLU maxpool(2),
 * flatten (1600), dropout, linear(1600→256) ReLU, linear(256→10)
 * ```
 */
export function smallCnn(width = 1, dropout = 0, h = 28, w = 28, numClasses = 10): Sequential {
  const c1 = scaled(32, width);
  const c2 = scaled(64, width);
  const fc = scaled(256, width);
  const sh = Math.floor((Math.floor((h - 2) / 2) - 2) / 2);
  const sw = Math.floor((Math.floor((w - 2) / 2) - 2) / 2);
  if (!(sh >= 1 && sw >= 1)) throw new RangeError(`cnn: ${h}×${w} images are too small for the network (need at least 10×10)`);
  return new Sequential({
    conv1: new Conv2d(1, c1, 3),
    relu1: new ReLU(),
    pool1: new MaxPool2d(2),
    conv2: new Conv2d(c1, c2, 3),
    relu2: new ReLU(),
    pool2: new MaxPool2d(2),
    flatten: new Flatten(),
    dropout: new Dropout(dropout),
    fc1: new Linear(c2 * sh * sw, fc),
    relu3: new ReLU(),
    fc2: new Linear(fc, numClasses),
  });
}

/**
 * A multilayer perceptron (at width 1: 669,706 parameters):
 * `flatten, linear(784→512) ReLU, dropout, linear(512→512) ReLU, linear(512→10)`.
 */
export function mlp(width = 1, dropout = 0, h = 28, w = 28, numClasses = 10): Sequential {
  const hidden = scaled(512, width);
  return new Sequential({
    flatten: new Flatten(),
    fc1: new Linear(h * w, hidden),
    relu1: new ReLU(),
    dropout: new Dropout(dropout),
    fc2: new Linear(hidden, hidden),
    relu2: new ReLU(),
    fc3: new Linear(hidden, numClasses),
  });
}

/** Builds the network a run asks for. */
export function buildModel(spec: ModelSpec): Sequential {
  const h = spec.height ?? 28;
  const w = spec.imageWidth ?? 28;
  const k = spec.numClasses ?? 10;
  switch (spec.model) {
    case 'alexnet':
      return alexnet(spec.width, spec.dropout, h, w, k);
    case 'cnn':
      return smallCnn(spec.width, spec.dropout, h, w, k);
    case 'mlp':
      return mlp(spec.width, spec.dropout, h, w, k);
  }
}

/** Multiply-adds of one forward pass per image, for samples/s → GFLOP/s estimates. */
export function forwardMacs(model: Sequential, h = 28, w = 28): number {
  let macs = 0;
  let c = 1;
  let sh = h;
  let sw = w;
  for (const m of model) {
    if (m instanceof Conv2d) {
      const [kh, kw] = m.kernelSize;
      const [ph, pw] = m.padding as [number, number];
      sh = outSize(sh, kh, m.stride[0], ph);
      sw = outSize(sw, kw, m.stride[1], pw);
      macs += m.outChannels * sh * sw * c * kh * kw;
      c = m.outChannels;
    } else if (m instanceof MaxPool2d) {
      const k = m.kernelSize as number;
      const s = m.stride as number;
      sh = outSize(sh, k, s, 0);
      sw = outSize(sw, k, s, 0);
    } else if (m instanceof Linear) {
      macs += m.inFeatures * m.outFeatures;
    }
  }
  return macs;
}

/**
 * The number of parameters {@link buildModel} would allocate for `spec`, computed without
 * allocating (so an absurd width is refused before any memory is spent).
 */
export function parameterCount(spec: ModelSpec): number {
  const h = spec.height ?? 28;
  const w = spec.imageWidth ?? 28;
  const k = spec.numClasses ?? 10;
  const conv = (cin: number, cout: number, kernel: number) => cin * cout * kernel * kernel + cout;
  const linear = (fin: number, fout: number) => fin * fout + fout;
  switch (spec.model) {
    case 'alexnet': {
      const [c1, c3, c4, fc] = [96, 256, 384, 800].map((n) => scaled(n, spec.width));
      const side = (s: number) => Math.max(0, outSize(outSize(outSize(outSize(s, 4, 1, 0), 3, 1, 0), 3, 2, 0), 3, 2, 0));
      return (
        conv(1, c1, 4) +
        conv(c1, c1, 3) +
        conv(c1, c3, 5) +
        conv(c3, c4, 3) +
        conv(c4, c4, 3) +
        conv(c4, c3, 3) +
        linear(c3 * side(h) * side(w), fc) +
        linear(fc, k)
      );
    }
    case 'cnn': {
      const [c1, c2, fc] = [32, 64, 256].map((n) => scaled(n, spec.width));
      const side = (s: number) => Math.max(0, Math.floor((Math.floor((s - 2) / 2) - 2) / 2));
      return conv(1, c1, 3) + conv(c1, c2, 3) + linear(c2 * side(h) * side(w), fc) + linear(fc, k);
    }
    case 'mlp': {
      const hidden = scaled(512, spec.width);
      return linear(h * w, hidden) + linear(hidden, hidden) + linear(hidden, k);
    }
  }
}
