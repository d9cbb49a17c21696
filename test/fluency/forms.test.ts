// Every exported function (top level, nn.F, nn.init, nn.utils, linalg, autograd, data, io) and every Tensor method, table-driven: a valid
// call works; PyTorch's keyword names, given in a last options object, give the same value as the
// positional form (names checked against PyTorch 1.13's signatures); one surplus positional
// argument and an unknown option are errors naming the function. The tables are checked against
// the exports themselves, so a new export without a row fails here.
import { afterAll, describe, expect, it } from 'vitest';
import * as n from '../../src/index-nodejs.js';

const { F } = n.nn;
type Args = () => unknown[];

interface Row {
  /** Arguments of a valid call. */
  args: Args;
  /** Every positional parameter given (default: `args`): one more is a surplus. */
  full?: Args;
  /** Pairs [keyword form, positional form] that must give equal values. */
  kw?: readonly (readonly [Args, Args])[];
  /** Why the valid call is not made here. */
  skipCall?: string;
  /** The surplus call, where appending to `full` would still be valid (size varargs). */
  surplus?: Args;
  /** The unknown-option call, where appending `{ bogusOption }` to `args` would not be one. */
  unknown?: Args;
  /** Why the surplus and unknown-option checks do not apply. */
  skipChecks?: string;
}

const X = () =>
  n.tensor([
    [-1.5, 2],
    [3, -4],
  ]);
const Y = () =>
  n.tensor([
    [1, 2],
    [0.5, 4],
  ]);
const V3 = () => n.tensor([1, -2, 3]);
const P3 = () => n.tensor([0.2, 0.3, 0.5]);
const B = () =>
  n.tensor([
    [true, false],
    [false, true],
  ]);
const I = (data: number[] | number[][]) => n.tensor(data, { dtype: 'int32' });
const IMG = () => n.arange(32, { dtype: 'float32' }).reshape(1, 2, 4, 4);
const BAD = { bogusOption: 1 };
const gen = () => new n.Generator().manualSeed(3);
const DS = () => new n.data.TensorDataset(n.arange(10), n.arange(10));
const SAFE = () => n.io.serialize({ a: n.zeros(2) });
/** A parameter with a gradient. */
const GP = () => {
  const p = n.zeros([2], { requiresGrad: true });
  p.grad = n.tensor([3, -4]);
  return [p];
};

/** A comparable form of a result: tensors by dtype, shape and values. */
function value(r: unknown): unknown {
  if (r instanceof n.Tensor) return { dtype: r.dtype, shape: r.shape, values: r.toArray() };
  if (Array.isArray(r)) return r.map(value);
  if (r !== null && typeof r === 'object' && 'values' in r && 'indices' in r) {
    const vi = r as { values: unknown; indices: unknown };
    return { values: value(vi.values), indices: value(vi.indices) };
  }
  return r;
}

/** Same-valued calls: each starts from the same random state. */
function call(f: (...a: unknown[]) => unknown, args: unknown[], self?: unknown): unknown {
  n.manualSeed(11);
  return value(self === undefined ? f(...args) : f.apply(self, args));
}

const unaryRow = (): Row => ({ args: () => [X().abs().add(0.5)] });
const binaryRow = (a: () => unknown = X, b: () => unknown = Y): Row => ({
  args: () => [a(), b()],
  kw: [
    [() => [a(), { other: b() }], () => [a(), b()]],
    [() => [{ input: a(), other: b() }], () => [a(), b()]],
  ],
});

/** The exported functions (top level, nn.F, linalg, autograd), by the name they are called by. */
const functions: Record<string, Row> = {
  // Elementwise.
  add: {
    args: () => [X(), Y()],
    full: () => [X(), Y(), 2],
    kw: [
      [() => [X(), Y(), { alpha: 2 }], () => [X(), Y(), 2]],
      [() => [X(), { other: Y(), alpha: 2 }], () => [X(), Y(), 2]],
    ],
  },
  sub: { args: () => [X(), Y()], full: () => [X(), Y(), 2], kw: [[() => [X(), Y(), { alpha: 2 }], () => [X(), Y(), 2]]] },
  mul: binaryRow(),
  div: binaryRow(),
  pow: { args: () => [X(), 2], kw: [[() => [X(), { exponent: 3 }], () => [X(), 3]]] },
  maximum: binaryRow(),
  minimum: binaryRow(),
  eq: binaryRow(),
  ne: binaryRow(),
  lt: binaryRow(),
  le: binaryRow(),
  gt: binaryRow(),
  ge: binaryRow(),
  logicalAnd: binaryRow(B, B),
  logicalOr: binaryRow(B, B),
  where: {
    args: () => [B(), X(), Y()],
    kw: [
      [() => [B(), X(), { other: Y() }], () => [B(), X(), Y()]],
      [() => [B(), { input: X(), other: Y() }], () => [B(), X(), Y()]],
    ],
  },
  addcmul: {
    args: () => [X(), Y(), Y()],
    full: () => [X(), Y(), Y(), 0.5],
    kw: [[() => [X(), Y(), Y(), { value: 0.5 }], () => [X(), Y(), Y(), 0.5]]],
  },
  addcdiv: {
    args: () => [X(), Y(), Y()],
    full: () => [X(), Y(), Y(), 0.5],
    kw: [[() => [X(), Y(), Y(), { value: 0.5 }], () => [X(), Y(), Y(), 0.5]]],
  },
  clamp: {
    args: () => [X(), -1, 1],
    kw: [
      [() => [X(), { min: 0 }], () => [X(), 0]],
      [() => [X(), { max: 0 }], () => [X(), null, 0]],
      [() => [X(), { min: -1, max: 1 }], () => [X(), -1, 1]],
    ],
  },
  abs: unaryRow(),
  cos: unaryRow(),
  exp: unaryRow(),
  expm1: unaryRow(),
  log: unaryRow(),
  log1p: unaryRow(),
  log2: unaryRow(),
  log10: unaryRow(),
  logicalNot: { args: () => [B()] },
  neg: unaryRow(),
  reciprocal: unaryRow(),
  relu: unaryRow(),
  rsqrt: unaryRow(),
  sigmoid: unaryRow(),
  sign: unaryRow(),
  sin: unaryRow(),
  sqrt: unaryRow(),
  square: unaryRow(),
  tanh: unaryRow(),
  'F.erf': unaryRow(),
  'F.relu': unaryRow(),
  'F.sigmoid': unaryRow(),
  'F.tanh': unaryRow(),
  'F.gelu': { args: () => [X()], full: () => [X(), 'tanh'], kw: [[() => [X(), { approximate: 'tanh' }], () => [X(), 'tanh']]] },
  'F.leakyRelu': { args: () => [X()], full: () => [X(), 0.2], kw: [[() => [X(), { negativeSlope: 0.2 }], () => [X(), 0.2]]] },

  // Copies and conversions.
  clone: unaryRow(),
  contiguous: unaryRow(),
  detach: unaryRow(),
  to: { args: () => [X(), 'float64'], kw: [[() => [X(), { dtype: 'float64' }], () => [X(), 'float64']]] },

  // Creation.
  tensor: { args: () => [[1, 2]], kw: [[() => [{ data: [1, 2], dtype: 'int32' }], () => [[1, 2], { dtype: 'int32' }]]] },
  fromTypedArray: {
    args: () => [new Float32Array(4), [2, 2]],
    kw: [[() => [new Float32Array(4), { shape: [2, 2], requiresGrad: true }], () => [new Float32Array(4), [2, 2], { requiresGrad: true }]]],
  },
  full: { args: () => [[2, 2], 7], kw: [[() => [[2, 2], { fillValue: 7, dtype: 'int32' }], () => [[2, 2], 7, { dtype: 'int32' }]]] },
  zeros: { args: () => [2, 3], surplus: () => [[2, 3], 7], kw: [[() => [2, 3, { dtype: 'int32' }], () => [[2, 3], { dtype: 'int32' }]]] },
  ones: { args: () => [2, 3], surplus: () => [[2, 3], 7] },
  empty: { args: () => [2, 3], surplus: () => [[2, 3], 7] },
  zerosLike: { args: () => [X()], kw: [[() => [{ input: X(), dtype: 'int32' }], () => [X(), { dtype: 'int32' }]]] },
  onesLike: { args: () => [X()] },
  emptyLike: { args: () => [X()] },
  fullLike: { args: () => [X(), 3], kw: [[() => [X(), { fillValue: 3 }], () => [X(), 3]]] },
  arange: {
    args: () => [0, 5],
    full: () => [0, 5, 2],
    kw: [
      [() => [0, 5, { step: 2 }], () => [0, 5, 2]],
      [() => [5, { dtype: 'float64' }], () => [0, 5, 1, { dtype: 'float64' }]],
      [() => [{ start: 1, end: 4 }], () => [1, 4]],
    ],
  },
  linspace: { args: () => [0, 1, 5], kw: [[() => [0, 1, { steps: 5 }], () => [0, 1, 5]]] },
  eye: { args: () => [2], full: () => [2, 3], kw: [[() => [2, { m: 3 }], () => [2, 3]]] },

  // Randomness (each call starts from the same seed).
  rand: {
    args: () => [2, 3],
    surplus: () => [[2, 3], 7],
    kw: [[() => [2, 3, { generator: gen() }], () => [[2, 3], { generator: gen() }]]],
  },
  randn: { args: () => [2, 3], surplus: () => [[2, 3], 7] },
  randint: { args: () => [0, 10, [4]], kw: [[() => [0, 10, [4], { generator: gen() }], () => [0, 10, [4], { generator: gen() }]]] },
  randperm: { args: () => [5], kw: [[() => [{ n: 5, generator: gen() }], () => [5, { generator: gen() }]]] },
  bernoulli: { args: () => [P3()] },
  bernoulli_: { args: () => [X()], full: () => [X(), 0.3], kw: [[() => [X(), { p: 0.3 }], () => [X(), 0.3]]] },
  exponential_: { args: () => [X()], full: () => [X(), 2], kw: [[() => [X(), { lambd: 2 }], () => [X(), 2]]] },
  normal_: { args: () => [X()], full: () => [X(), 1, 2], kw: [[() => [X(), { mean: 1, std: 2 }], () => [X(), 1, 2]]] },
  uniform_: {
    args: () => [X()],
    full: () => [X(), -1, 1],
    kw: [[() => [X(), { from: -1, to: 1, generator: gen() }], () => [X(), -1, 1, { generator: gen() }]]],
  },
  multinomial: {
    args: () => [P3(), 2],
    full: () => [P3(), 2, true],
    kw: [
      [() => [P3(), { numSamples: 4, replacement: true }], () => [P3(), 4, true]],
      [() => [P3(), 4, { replacement: true }], () => [P3(), 4, true]],
    ],
  },
  manualSeed: { args: () => [0], kw: [[() => [{ seed: 5 }], () => [5]]] },

  // Indexing.
  gather: {
    args: () => [X(), 1, I([[0], [1]])],
    kw: [[() => [X(), { dim: 1, index: I([[0], [1]]) }], () => [X(), 1, I([[0], [1]])]]],
  },
  indexSelect: { args: () => [X(), 0, I([1])], kw: [[() => [X(), { dim: 0, index: I([1]) }], () => [X(), 0, I([1])]]] },
  scatterAdd: {
    args: () => [X(), 1, I([[0], [1]]), Y()],
    kw: [[() => [X(), 1, { index: I([[0], [1]]), src: Y() }], () => [X(), 1, I([[0], [1]]), Y()]]],
  },
  index: { args: () => [X(), [I([1, 0])]], kw: [[() => [X(), { indices: [I([1, 0])] }], () => [X(), [I([1, 0])]]]] },
  oneHot: { args: () => [I([0, 2])], full: () => [I([0, 2]), 3], kw: [[() => [I([0, 2]), { numClasses: 4 }], () => [I([0, 2]), 4]]] },
  'F.oneHot': { args: () => [I([0, 2])], full: () => [I([0, 2]), 3], kw: [[() => [I([0, 2]), { numClasses: 4 }], () => [I([0, 2]), 4]]] },

  // Joining and splitting.
  cat: { args: () => [[X(), Y()]], full: () => [[X(), Y()], 1], kw: [[() => [[X(), Y()], { dim: 1 }], () => [[X(), Y()], 1]]] },
  stack: { args: () => [[X(), Y()]], full: () => [[X(), Y()], 1], kw: [[() => [[X(), Y()], { dim: 1 }], () => [[X(), Y()], 1]]] },
  split: {
    args: () => [X(), 1],
    full: () => [X(), 1, 1],
    kw: [[() => [X(), { splitSizeOrSections: 1, dim: 1 }], () => [X(), 1, 1]]],
  },
  chunk: { args: () => [X(), 2], full: () => [X(), 2, 1], kw: [[() => [X(), 2, { dim: 1 }], () => [X(), 2, 1]]] },
  unbind: { args: () => [X()], full: () => [X(), 1], kw: [[() => [X(), { dim: 1 }], () => [X(), 1]]] },

  // Linear algebra.
  matmul: binaryRow(),
  dot: binaryRow(V3, V3),
  mm: { args: () => [X(), Y()], kw: [[() => [X(), { mat2: Y() }], () => [X(), Y()]]] },
  bmm: {
    args: () => [X().unsqueeze(0), Y().unsqueeze(0)],
    kw: [[() => [X().unsqueeze(0), { mat2: Y().unsqueeze(0) }], () => [X().unsqueeze(0), Y().unsqueeze(0)]]],
  },
  outer: { args: () => [V3(), V3()], kw: [[() => [V3(), { vec2: V3() }], () => [V3(), V3()]]] },
  diag: { args: () => [X()], full: () => [X(), 1], kw: [[() => [X(), { diagonal: 1 }], () => [X(), 1]]] },
  diagflat: { args: () => [V3()], full: () => [V3(), 1], kw: [[() => [V3(), { offset: 1 }], () => [V3(), 1]]] },
  'F.linear': {
    args: () => [X(), Y()],
    full: () => [X(), Y(), V3().narrow(0, 0, 2)],
    kw: [[() => [X(), Y(), { bias: V3().narrow(0, 0, 2) }], () => [X(), Y(), V3().narrow(0, 0, 2)]]],
  },

  // Views.
  expand: { args: () => [V3(), [2, 3]], kw: [[() => [V3(), { size: [2, 3] }], () => [V3(), [2, 3]]]] },
  flatten: { args: () => [X()], full: () => [X(), 0, 1], kw: [[() => [X(), { startDim: 0, endDim: 1 }], () => [X(), 0, 1]]] },
  'F.flatten': { args: () => [X()], full: () => [X(), 0, 1], kw: [[() => [X(), { startDim: 0 }], () => [X(), 0]]] },
  unflatten: {
    args: () => [V3().narrow(0, 0, 2), 0, [1, 2]],
    kw: [[() => [V3().narrow(0, 0, 2), 0, { sizes: [1, 2] }], () => [V3().narrow(0, 0, 2), 0, [1, 2]]]],
  },
  narrow: { args: () => [X(), 1, 0, 1], kw: [[() => [X(), { dim: 1, start: 1, length: 1 }], () => [X(), 1, 1, 1]]] },
  permute: { args: () => [X(), [1, 0]], kw: [[() => [X(), { dims: [1, 0] }], () => [X(), [1, 0]]]] },
  reshape: { args: () => [X(), [4]], kw: [[() => [X(), { shape: [4] }], () => [X(), [4]]]] },
  view: { args: () => [X(), [4]], kw: [[() => [X(), { size: [4] }], () => [X(), [4]]]] },
  select: { args: () => [X(), 1, 0], kw: [[() => [X(), { dim: 1, index: 1 }], () => [X(), 1, 1]]] },
  slice: { args: () => [X(), 1, 0, 2, 1], kw: [[() => [X(), 1, { start: 1 }], () => [X(), 1, 1]]] },
  squeeze: {
    args: () => [X().unsqueeze(0)],
    full: () => [X().unsqueeze(0), 0],
    kw: [[() => [X().unsqueeze(0), { dim: 0 }], () => [X().unsqueeze(0), 0]]],
  },
  unsqueeze: { args: () => [X(), 0], kw: [[() => [X(), { dim: 1 }], () => [X(), 1]]] },
  t: unaryRow(),
  transpose: { args: () => [X(), 0, 1], kw: [[() => [X(), { dim0: 1, dim1: 0 }], () => [X(), 1, 0]]] },
  sumTo: { args: () => [X(), [1, 2]], kw: [[() => [X(), { shape: [2] }], () => [X(), [2]]]] },

  // Reductions (their own parsers).
  sum: { args: () => [X()], full: () => [X(), 1, true], kw: [[() => [X(), { dim: 1, keepdim: true }], () => [X(), 1, true]]] },
  mean: { args: () => [X()], full: () => [X(), 1, true], kw: [[() => [X(), 1, { keepdim: true }], () => [X(), 1, true]]] },
  prod: { args: () => [X()], full: () => [X(), 1, true], kw: [[() => [X(), { dim: 1 }], () => [X(), 1]]] },
  logsumexp: { args: () => [X(), 1], full: () => [X(), 1, true], kw: [[() => [X(), { dim: 1 }], () => [X(), 1]]] },
  argmax: { args: () => [X()], full: () => [X(), 1, true], kw: [[() => [X(), { dim: 1 }], () => [X(), 1]]] },
  argmin: { args: () => [X()], full: () => [X(), 1, true], kw: [[() => [X(), { dim: 1, keepdim: true }], () => [X(), 1, true]]] },
  max: { args: () => [X()], full: () => [X(), 1, true], kw: [[() => [X(), { dim: 1 }], () => [X(), 1]]] },
  min: { args: () => [X()], full: () => [X(), 1, true], kw: [[() => [X(), { dim: 1 }], () => [X(), 1]]] },
  var: { args: () => [X()], full: () => [X(), 1, false, true], kw: [[() => [X(), { dim: 1, correction: 0 }], () => [X(), 1, false]]] },
  std: { args: () => [X()], full: () => [X(), 1, false, true], kw: [[() => [X(), 1, { unbiased: false }], () => [X(), 1, false]]] },
  norm: { args: () => [X()], full: () => [X(), 1, 1, true], kw: [[() => [X(), { p: 1, dim: 1 }], () => [X(), 1, 1]]] },
  vectorNorm: { args: () => [X()], full: () => [X(), 1, 1, true], kw: [[() => [X(), { ord: 1, dim: 1 }], () => [X(), 1, 1]]] },
  'linalg.vectorNorm': { args: () => [X()], full: () => [X(), 1, 1, true], kw: [[() => [X(), { ord: 1 }], () => [X(), 1]]] },
  softmax: { args: () => [X(), 1], kw: [[() => [X(), { dim: 1 }], () => [X(), 1]]] },
  logSoftmax: { args: () => [X(), 1], kw: [[() => [X(), { dim: 1 }], () => [X(), 1]]] },
  'F.softmax': { args: () => [X(), 1], kw: [[() => [X(), { dim: 1 }], () => [X(), 1]]] },
  'F.logSoftmax': { args: () => [X(), 1], kw: [[() => [X(), { dim: 1 }], () => [X(), 1]]] },

  // nn.functional layers and losses.
  'F.conv2d': {
    args: () => [IMG(), n.ones(1, 2, 2, 2)],
    full: () => [IMG(), n.ones(1, 2, 2, 2), null, 1, 1, 1, 1],
    kw: [
      [() => [IMG(), n.ones(1, 2, 2, 2), { stride: 2, padding: 1 }], () => [IMG(), n.ones(1, 2, 2, 2), null, 2, 1]],
      [() => [IMG(), n.ones(1, 2, 2, 2), { bias: n.ones(1), stride: 2 }], () => [IMG(), n.ones(1, 2, 2, 2), n.ones(1), 2]],
    ],
  },
  'F.maxPool2d': {
    args: () => [IMG(), 2],
    full: () => [IMG(), 2, 2, 0, 1, false],
    kw: [[() => [IMG(), { kernelSize: 2, stride: 1 }], () => [IMG(), 2, 1]]],
  },
  'F.maxPool2dWithIndices': {
    args: () => [IMG(), 2],
    full: () => [IMG(), 2, 2, 0, 1, false],
    kw: [[() => [IMG(), { kernelSize: 2, stride: 1 }], () => [IMG(), 2, 1]]],
  },
  'F.avgPool2d': {
    args: () => [IMG(), 2],
    full: () => [IMG(), 2, 2, 0, false, true, null],
    kw: [[() => [IMG(), 2, { stride: 1 }], () => [IMG(), 2, 1]]],
  },
  'F.adaptiveAvgPool2d': { args: () => [IMG(), 2], kw: [[() => [IMG(), { outputSize: 1 }], () => [IMG(), 1]]] },
  'F.dropout': {
    args: () => [X()],
    full: () => [X(), 0.5, true],
    kw: [[() => [X(), { p: 0.25, training: true }], () => [X(), 0.25, true]]],
  },
  'F.batchNorm': {
    args: () => [IMG(), null, null, null, null, true],
    full: () => [IMG(), null, null, null, null, true, 0.1, 1e-5],
    kw: [
      [
        () => [IMG(), null, null, { weight: n.ones(2), training: true, eps: 1e-3 }],
        () => [IMG(), null, null, n.ones(2), null, true, 0.1, 1e-3],
      ],
    ],
  },
  'F.layerNorm': {
    args: () => [X(), [2]],
    full: () => [X(), [2], null, null, 1e-5],
    kw: [[() => [X(), [2], { eps: 1e-3 }], () => [X(), [2], null, null, 1e-3]]],
  },
  'F.groupNorm': {
    args: () => [IMG(), 1],
    full: () => [IMG(), 1, null, null, 1e-5],
    kw: [[() => [IMG(), { numGroups: 2, eps: 1e-3 }], () => [IMG(), 2, null, null, 1e-3]]],
  },
  'F.embedding': {
    args: () => [I([0, 1]), X()],
    full: () => [I([0, 1]), X(), 0],
    kw: [[() => [I([0, 1]), X(), { paddingIdx: 1 }], () => [I([0, 1]), X(), 1]]],
  },
  'F.mseLoss': {
    args: () => [X(), Y()],
    full: () => [X(), Y(), { reduction: 'sum' }],
    kw: [[() => [{ input: X(), target: Y(), reduction: 'sum' }], () => [X(), Y(), { reduction: 'sum' }]]],
  },
  'F.l1Loss': { args: () => [X(), Y()], full: () => [X(), Y(), { reduction: 'sum' }] },
  'F.nllLoss': { args: () => [X(), I([0, 1])], full: () => [X(), I([0, 1]), { reduction: 'sum' }] },
  'F.crossEntropy': {
    args: () => [X(), I([0, 1])],
    full: () => [X(), I([0, 1]), { reduction: 'sum' }],
    kw: [[() => [X(), { target: I([0, 1]), labelSmoothing: 0.1 }], () => [X(), I([0, 1]), { labelSmoothing: 0.1 }]]],
  },
  'F.binaryCrossEntropy': { args: () => [Y().sigmoid(), B().float()], full: () => [Y().sigmoid(), B().float(), { reduction: 'sum' }] },
  'F.binaryCrossEntropyWithLogits': { args: () => [Y(), B().float()], full: () => [Y(), B().float(), { reduction: 'sum' }] },

  // nn.init (each fills a fresh tensor).
  'init.calculateGain': {
    args: () => ['relu'],
    full: () => ['leaky_relu', 0.2],
    kw: [[() => ['leaky_relu', { param: 0.2 }], () => ['leaky_relu', 0.2]]],
  },
  'init.calculateFanInAndFanOut': { args: () => [X()] },
  'init.uniform_': { args: () => [X()], full: () => [X(), -1, 1], kw: [[() => [X(), { a: -1, b: 1 }], () => [X(), -1, 1]]] },
  'init.normal_': {
    args: () => [X()],
    full: () => [X(), 1, 2],
    kw: [[() => [X(), { std: 2, generator: gen() }], () => [X(), 0, 2, { generator: gen() }]]],
  },
  'init.constant_': { args: () => [X(), 3], kw: [[() => [X(), { val: 3 }], () => [X(), 3]]] },
  'init.zeros_': { args: () => [X()] },
  'init.ones_': { args: () => [X()] },
  'init.xavierUniform_': { args: () => [X()], full: () => [X(), 2], kw: [[() => [X(), { gain: 2 }], () => [X(), 2]]] },
  'init.xavierNormal_': { args: () => [X()], full: () => [X(), 2], kw: [[() => [X(), { gain: 2 }], () => [X(), 2]]] },
  'init.kaimingUniform_': {
    args: () => [X()],
    full: () => [X(), 0.5, 'fan_out', 'relu'],
    kw: [[() => [X(), { a: Math.sqrt(5), mode: 'fan_out' }], () => [X(), Math.sqrt(5), 'fan_out']]],
  },
  'init.kaimingNormal_': {
    args: () => [X()],
    full: () => [X(), 0.5, 'fan_out', 'relu'],
    kw: [[() => [X(), 0, { nonlinearity: 'relu', generator: gen() }], () => [X(), 0, 'fan_in', 'relu', { generator: gen() }]]],
  },

  // nn.utils.
  'utils.clipGradNorm_': {
    args: () => [GP(), 1],
    full: () => [GP(), 1, 2, false],
    kw: [
      [() => [GP(), { maxNorm: 1, normType: 1 }], () => [GP(), 1, 1]],
      [() => [{ parameters: GP(), maxNorm: 0.5 }], () => [GP(), 0.5]],
    ],
  },
  'utils.clipGradValue_': { args: () => [GP(), 0.5], kw: [[() => [GP(), { clipValue: 0.5 }], () => [GP(), 0.5]]] },

  // Data and files.
  'data.defaultCollate': { args: () => [[[1], [2]]] },
  'data.randomSplit': {
    args: () => [DS(), [6, 4]],
    full: () => [DS(), [6, 4], { generator: gen() }],
    kw: [[() => [DS(), [0.5, 0.5], { generator: gen() }], () => [DS(), [5, 5], { generator: gen() }]]],
  },
  'data.withRandomLabels': { args: () => [DS()], full: () => [DS(), { fraction: 0.5 }] },
  'data.fractionSubset': { args: () => [DS(), 0.5], full: () => [DS(), 0.5, { generator: gen() }] },
  'data.normalize': { args: () => [[0.5], [2]] },
  'data.compose': { args: () => [(v: unknown) => v], surplus: () => [(v: unknown) => v, 7], unknown: () => [(v: unknown) => v, BAD] },
  'data.toTensor': {
    args: () => [{ data: new Uint8Array(4), width: 2, height: 2 }],
    skipChecks: 'a transform value (DataLoader pipelines call it with one sample); its argument is a plain image object',
  },
  'io.serialize': {
    args: () => [{ a: n.zeros(2) }],
    full: () => [{ a: n.zeros(2) }, { note: 'x' }],
    unknown: () => [{ a: n.zeros(2) }, {}, BAD],
  },
  'io.deserialize': { args: () => [SAFE()] },
  'io.deserializeWithMetadata': { args: () => [SAFE()] },
  'io.readHeader': { args: () => [SAFE()] },

  // Autograd.
  backward: {
    args: () => [X().requiresGrad_().sum()],
    full: () => [X().requiresGrad_().sum(), n.tensor(1)],
    kw: [
      [
        () => [X().requiresGrad_().sum(), { gradTensors: n.tensor(2), retainGraph: true }],
        () => [X().requiresGrad_().sum(), n.tensor(2), { retainGraph: true }],
      ],
    ],
  },
  grad: {
    args: () => {
      const x = X().requiresGrad_();
      return [x.square().sum(), [x]];
    },
  },
  gradcheck: {
    args: () => [(a: n.Tensor) => a.square().sum(), [X().double().requiresGrad_()]],
    full: () => [(a: n.Tensor) => a.square().sum(), [X().double().requiresGrad_()], { eps: 1e-6 }],
  },
  noGrad: { args: () => [() => 1] },
  enableGrad: { args: () => [() => 1] },
  isGradEnabled: { args: () => [] },
  autocast: {
    args: () => [{ deviceType: 'cpu', dtype: 'bfloat16' }, () => 1],
    kw: [[() => ['cpu', { dtype: 'bfloat16' }, () => 1], () => ['cpu', 'bfloat16', () => 1]]],
    surplus: () => ['cpu', 'bfloat16', true, () => 1, 7],
    unknown: () => [{ deviceType: 'cpu', bogusOption: 1 }, () => 1],
  },
  isAutocastEnabled: { args: () => [], full: () => ['cpu'], kw: [[() => [{ deviceType: 'cpu' }], () => ['cpu']]] },
  setGradEnabled: { args: () => [true], kw: [[() => [{ mode: true }], () => [true]]] },

  // Devices, backends, dtypes, printing.
  backend: { args: () => [] },
  referenceBackend: { args: () => [] },
  setBackend: { args: () => [n.backend()] },
  defineBackend: {
    args: () => ['forms-test', {}],
    full: () => ['forms-test', {}, n.hostMemory],
    unknown: () => ['forms-test', {}, n.hostMemory, BAD],
  },
  registerDevice: {
    args: () => [],
    full: () => ['x', n.hostMemory, {}],
    skipCall: 'registers a device for the rest of the process',
    unknown: () => ['x', n.hostMemory, {}, BAD],
  },
  getDevice: { args: () => ['cpu'] },
  listDevices: { args: () => [] },
  getDefaultDevice: { args: () => [] },
  setDefaultDevice: { args: () => ['cpu'] },
  fallbacks: { args: () => [] },
  resetFallbacks: { args: () => [] },
  onFallback: { args: () => [null] },
  initWasmBackend: { args: () => [], full: () => [{}], skipCall: 'loads the WebAssembly kernels (the wasm project tests it)' },
  wasmInfo: { args: () => [] },
  initWebGpu: { args: () => [undefined], skipCall: 'acquires a GPU (the WebGPU suites test it)', unknown: () => [{}, BAD] },
  useWebGpu: { args: () => [], full: () => [{}], skipCall: 'needs a GPU context (the WebGPU suites test it)', unknown: () => [{}, BAD] },
  backendInfo: { args: () => [] },
  setNumThreads: { args: () => [], full: () => [2], skipCall: 'changes the kernel thread pools', unknown: () => [2, BAD] },
  useDefaultBackend: { args: () => [] },
  useJsBackend: { args: () => [] },
  useNativeBackend: { args: () => [] },
  useWasmBackend: { args: () => [], skipCall: 'starts the wasm worker threads (the wasm project tests it)' },
  promoteTypes: { args: () => ['int32', 'float32'], kw: [[() => ['int32', { type2: 'float32' }], () => ['int32', 'float32']]] },
  resultType: { args: () => [X(), 1], kw: [[() => [X(), { tensor2: 1.5 }], () => [X(), 1.5]]] },
  formatTensor: { args: () => [X()] },
  getPrintOptions: { args: () => [] },
  setPrintOptions: { args: () => [{ precision: 4 }], kw: [[() => [{ profile: 'default' }], () => [{ profile: 'default' }]]] },
};

/** The functions that are not the package's own (classes, JS builtins) and why. */
const notFunctions = new Set(['MAX_THREADS']);

function exported(): Record<string, (...a: unknown[]) => unknown> {
  const out: Record<string, (...a: unknown[]) => unknown> = {};
  const add = (prefix: string, ns: object) => {
    for (const [k, v] of Object.entries(ns)) {
      if (typeof v === 'function' && !/^[A-Z]/.test(k) && !notFunctions.has(k)) out[prefix + k] = v as (...a: unknown[]) => unknown;
    }
  };
  add('', n);
  add('F.', F);
  add('linalg.', n.linalg);
  add('autograd.', n.autograd);
  add('init.', n.nn.init);
  add('utils.', n.nn.utils);
  add('data.', n.data);
  add('io.', n.io);
  return out;
}
const fns = exported();
/** autograd.* are the top-level functions themselves. */
const rowOf = (name: string): Row | undefined => functions[name.replace(/^autograd\./, '')];

afterAll(() => {
  n.useDefaultBackend();
  n.setPrintOptions({ profile: 'default' });
  n.setGradEnabled(true);
});

describe('every exported function takes PyTorch forms and refuses what it does not understand', () => {
  it('has a row for every exported function, and every row names an export', () => {
    const missing = Object.keys(fns).filter((k) => rowOf(k) === undefined);
    expect(missing).toEqual([]);
    const stale = Object.keys(functions).filter((k) => !(k in fns) && !(`autograd.${k}` in fns));
    expect(stale).toEqual([]);
  });

  const names = Object.keys(fns).filter((k) => rowOf(k) !== undefined);
  it.each(names)('%s', (name) => {
    const f = fns[name];
    const row = rowOf(name) as Row;
    const short = name.replace(/^(F|linalg|autograd|init|utils|data|io)\./, '');
    if (row.skipCall === undefined) expect(() => call(f, row.args())).not.toThrow();
    for (const [byName, positional] of row.kw ?? []) {
      expect(call(f, byName()), `${name}: keyword form`).toEqual(call(f, positional()));
    }
    if (row.skipChecks !== undefined) return;
    const surplus = row.surplus?.() ?? [...(row.full ?? row.args)(), 7];
    expect(() => f(...surplus), `${name}: one surplus argument`).toThrow(short);
    const unknown = row.unknown?.() ?? [...row.args(), BAD];
    expect(() => f(...unknown), `${name}: an unknown option`).toThrow(short);
  });
});

interface MethodRow extends Row {
  /** The tensor the method is called on (default: the first argument of the function's row). */
  self: () => n.Tensor;
}

/** The method row of a function whose first argument is the tensor: the same calls on it. */
function asMethod(name: string): MethodRow {
  const row = functions[name];
  const first = () => row.args()[0] as n.Tensor;
  const rest = (a: Args) => () => a().slice(1);
  const kw = (row.kw ?? []).filter(([byName]) => byName()[0] instanceof n.Tensor).map(([a, b]) => [rest(a), rest(b)] as const);
  return {
    self: first,
    args: rest(row.args),
    ...(row.full ? { full: rest(row.full) } : {}),
    kw,
  };
}

const inPlace = (full: Args, kw?: Row['kw']): MethodRow => ({ self: X, args: full, full, ...(kw ? { kw } : {}) });
const none = (self: () => n.Tensor = X): MethodRow => ({ self, args: () => [] });

/** Every Tensor method; those that are a function applied to the tensor reuse its row. */
const methods: Record<string, MethodRow> = {
  ...Object.fromEntries(
    [
      ...['abs', 'add', 'addcdiv', 'addcmul', 'argmax', 'argmin', 'bmm', 'chunk', 'clamp', 'clone', 'contiguous', 'cos', 'detach'],
      ...['diag', 'diagflat', 'div', 'dot', 'eq', 'exp', 'expm1', 'exponential_', 'flatten', 'gather', 'ge', 'gt', 'index'],
      ...['indexSelect', 'le', 'log', 'log10', 'log1p', 'log2', 'logSoftmax', 'logicalAnd', 'logicalNot', 'logicalOr'],
      ...['logsumexp', 'lt', 'matmul', 'max', 'maximum', 'mean', 'min', 'minimum', 'mm', 'mul', 'multinomial', 'narrow', 'ne'],
      ...['neg', 'norm', 'normal_', 'outer', 'pow', 'prod', 'reciprocal', 'relu', 'rsqrt', 'scatterAdd', 'select', 'sigmoid'],
      ...['sign', 'sin', 'slice', 'softmax', 'split', 'sqrt', 'square', 'squeeze', 'std', 'sub', 'sum', 't', 'tanh'],
      ...['transpose', 'unbind', 'unflatten', 'uniform_', 'unsqueeze', 'var', 'bernoulli_'],
    ].map((k) => [k, asMethod(k)]),
  ),
  // PyTorch's `*size` methods: numbers, one array, or the keyword.
  view: { self: X, args: () => [4], surplus: () => [[4], 7], kw: [[() => [{ size: [4, 1] }], () => [4, 1]]] },
  reshape: { self: X, args: () => [4], surplus: () => [[4], 7], kw: [[() => [{ shape: [4, 1] }], () => [[4, 1]]]] },
  permute: { self: X, args: () => [1, 0], surplus: () => [[1, 0], 7], kw: [[() => [{ dims: [1, 0] }], () => [1, 0]]] },
  expand: { self: V3, args: () => [2, 3], surplus: () => [[2, 3], 7], kw: [[() => [{ size: [2, 3] }], () => [2, 3]]] },
  expandAs: { self: V3, args: () => [X().narrow(1, 0, 1).expand(2, 3)] },
  viewAs: { self: X, args: () => [V3().narrow(0, 0, 1).expand(4)] },
  // Conversions.
  to: { self: X, args: () => ['float64'], full: () => ['cpu', 'float64'], kw: [[() => [{ dtype: 'float64' }], () => ['float64']]] },
  cpu: none(),
  float: none(),
  double: none(),
  int: none(),
  bool: none(),
  type: { self: X, args: () => [], full: () => ['float64'] },
  // In place (each call on a fresh tensor).
  add_: inPlace(() => [Y(), 2], [[() => [Y(), { alpha: 2 }], () => [Y(), 2]]]),
  sub_: inPlace(() => [Y(), 2], [[() => [{ other: Y(), alpha: 2 }], () => [Y(), 2]]]),
  mul_: inPlace(() => [Y()], [[() => [{ other: Y() }], () => [Y()]]]),
  div_: inPlace(() => [Y()]),
  clamp_: inPlace(() => [-1, 1], [[() => [{ max: 1 }], () => [null, 1]]]),
  addcmul_: inPlace(() => [Y(), Y(), 0.5], [[() => [Y(), Y(), { value: 0.5 }], () => [Y(), Y(), 0.5]]]),
  addcdiv_: inPlace(() => [Y(), Y(), 0.5], [[() => [Y(), Y(), { value: 0.5 }], () => [Y(), Y(), 0.5]]]),
  copy_: inPlace(() => [Y()], [[() => [{ src: Y() }], () => [Y()]]]),
  fill_: inPlace(() => [3], [[() => [{ value: 3 }], () => [3]]]),
  zero_: none(),
  // Autograd.
  backward: { self: () => X().requiresGrad_().sum(), args: () => [], full: () => [n.tensor(1), { retainGraph: true }] },
  retainGrad: none(() => X().requiresGrad_().mul(2)),
  requiresGrad_: { self: X, args: () => [], full: () => [true], kw: [[() => [{ requiresGrad: false }], () => [false]]] },
  // Readers.
  item: none(() => n.tensor(2)),
  itemAsync: none(() => n.tensor(2)),
  toArray: none(),
  toArrayAsync: none(),
  dataAsync: none(),
  isContiguous: none(),
  nelement: none(),
  size: { self: X, args: () => [], full: () => [1], kw: [[() => [{ dim: -1 }], () => [-1]]] },
};

/** Methods the table leaves out, and why. */
const notMethods = new Set([
  'constructor',
  'toString', // JavaScript's own (String(x)); it takes no arguments there either
]);

describe('every Tensor method takes PyTorch forms and refuses what it does not understand', () => {
  const proto = n.Tensor.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
  const names = Object.getOwnPropertyNames(proto).filter((k) => {
    const d = Object.getOwnPropertyDescriptor(proto, k);
    return typeof d?.value === 'function' && !k.startsWith('_') && !notMethods.has(k);
  });

  it('has a row for every method, and every row names a method', () => {
    expect(names.filter((k) => !(k in methods))).toEqual([]);
    expect(Object.keys(methods).filter((k) => !names.includes(k))).toEqual([]);
  });

  it.each(names.filter((k) => k in methods))('Tensor.%s', (name) => {
    const row = methods[name];
    const m = proto[name];
    if (row.skipCall === undefined) expect(() => call(m, row.args(), row.self())).not.toThrow();
    for (const [byName, positional] of row.kw ?? []) {
      expect(call(m, byName(), row.self()), `Tensor.${name}: keyword form`).toEqual(call(m, positional(), row.self()));
    }
    const surplus = row.surplus?.() ?? [...(row.full ?? row.args)(), 7];
    expect(() => m.apply(row.self(), surplus), `Tensor.${name}: one surplus argument`).toThrow(name);
    const unknown = row.unknown?.() ?? [...row.args(), BAD];
    expect(() => m.apply(row.self(), unknown), `Tensor.${name}: an unknown option`).toThrow(name);
  });
});

describe('given by name, parameters are checked like positional ones', () => {
  it('a required parameter left out of the options object is an error naming it', () => {
    expect(() => n.cat({ dim: 1 } as never)).toThrow('cat: missing tensors. Accepted forms: cat(tensors, dim?)');
    expect(() => n.gather(X(), { dim: 1 } as never)).toThrow('gather: missing index');
    expect(() => X().narrow({ dim: 0, start: 0 } as never)).toThrow('Tensor.narrow: missing length');
  });

  it('a parameter given positionally and by name is an error', () => {
    expect(() => n.add(X(), Y(), { other: Y() } as never)).toThrow('add: other given both positionally and as an option');
  });

  it('errors list the accepted forms, optional parameters marked', () => {
    expect(() => (n.add as (...a: unknown[]) => unknown)(X(), Y(), { alpa: 2 })).toThrow(
      "add: unknown option 'alpa' (valid options: input, other, alpha). Accepted forms: add(input, other, alpha?), or trailing ones by name in a last options object: add(input, { other, alpha })",
    );
    expect(() => (n.arange as (...a: unknown[]) => unknown)(0, 5, 1, 7)).toThrow(
      'arange: takes at most 3 arguments (start?, end?, step?) but got 4',
    );
  });

  it("arange takes PyTorch's end alone by name", () => {
    expect(n.arange({ end: 3 }).toArray()).toEqual([0, 1, 2]);
  });
});
