/**
 * Attaches the ops to `Tensor` as methods (`x.add(y)`, `x.sum({ dim: 1 })`), so the class file
 * stays small and every op lives once in src/ops. Importing this module installs them.
 *
 * Most methods are an op with the tensor as its first argument: they are listed once, in
 * `directMethods`, and their types on `Tensor` are derived from the ops' signatures. The rest
 * (PyTorch's size varargs, overloads, conversions) are declared and written out below it.
 */
import { type BackwardOptions, runBackward } from '../autograd/engine.js';
import * as B from '../ops/binary.js';
import * as C from '../ops/convert.js';
import * as I from '../ops/indexing.js';
import * as P from '../ops/inplace.js';
import * as J from '../ops/join.js';
import * as L from '../ops/linalg.js';
import * as N from '../ops/norm.js';
import * as Rnd from '../ops/random.js';
import * as R from '../ops/reduce.js';
import * as S from '../ops/softmax.js';
import * as U from '../ops/unary.js';
import * as V from '../ops/views.js';
import type { Generator } from '../random/generator.js';
import { isOptionsObject } from './args.js';
import type { DType } from './dtype.js';
import { Tensor } from './tensor.js';

type Sizes = readonly number[] | [readonly number[]];
// Accepts both `x.view(2, 3)` and `x.view([2, 3])`, like PyTorch.
const sizes = (args: Sizes): readonly number[] => (Array.isArray(args[0]) ? (args[0] as readonly number[]) : (args as readonly number[]));

/** A method `x.name(...args)` that is `op(x, ...args)`, taking at most `max` arguments. */
interface Direct<F> {
  readonly op: F;
  readonly max: number;
}
const direct = <F>(op: F, max: number): Direct<F> => ({ op, max });
/** No limit: the op reads PyTorch's variable forms (dims, options) and rejects what it does not understand. */
const ANY = Number.POSITIVE_INFINITY;

/** The methods that are an op applied to the tensor, with their argument limits. */
const directMethods = {
  clone: direct(C.clone, 0),
  contiguous: direct(C.contiguous, 0),
  detach: direct(C.detach, 0),
  flatten: direct(V.flatten, 2),
  unflatten: direct(V.unflatten, 2),
  t: direct(V.t, 0),
  squeeze: direct(V.squeeze, 1),
  unsqueeze: direct(V.unsqueeze, 1),
  narrow: direct(V.narrow, 3),
  select: direct(V.select, 2),
  slice: direct(V.slice, 4),
  split: direct(J.split, 2),
  chunk: direct(J.chunk, 2),
  unbind: direct(J.unbind, 1),
  add: direct(B.add, 2),
  sub: direct(B.sub, 2),
  mul: direct(B.mul, 1),
  div: direct(B.div, 1),
  pow: direct(B.pow, 1),
  maximum: direct(B.maximum, 1),
  minimum: direct(B.minimum, 1),
  eq: direct(B.eq, 1),
  ne: direct(B.ne, 1),
  lt: direct(B.lt, 1),
  le: direct(B.le, 1),
  gt: direct(B.gt, 1),
  ge: direct(B.ge, 1),
  logicalAnd: direct(B.logicalAnd, 1),
  logicalOr: direct(B.logicalOr, 1),
  logicalNot: direct(U.logicalNot, 0),
  neg: direct(U.neg, 0),
  abs: direct(U.abs, 0),
  sign: direct(U.sign, 0),
  exp: direct(U.exp, 0),
  log: direct(U.log, 0),
  log1p: direct(U.log1p, 0),
  expm1: direct(U.expm1, 0),
  sqrt: direct(U.sqrt, 0),
  rsqrt: direct(U.rsqrt, 0),
  reciprocal: direct(U.reciprocal, 0),
  square: direct(U.square, 0),
  sin: direct(U.sin, 0),
  cos: direct(U.cos, 0),
  sigmoid: direct(U.sigmoid, 0),
  tanh: direct(U.tanh, 0),
  relu: direct(U.relu, 0),
  clamp: direct(U.clamp, 2),
  /** Sum over `dim` (all dims by default): `sum()`, `sum(1)`, `sum(1, true)`, `sum({ dim: 1, keepdim: true })`. */
  sum: direct(R.sum, ANY),
  mean: direct(R.mean, ANY),
  prod: direct(R.prod, ANY),
  argmax: direct(R.argmax, ANY),
  argmin: direct(R.argmin, ANY),
  var: direct(R.variance, ANY),
  std: direct(R.std, ANY),
  logsumexp: direct(R.logsumexp, ANY),
  softmax: direct(S.softmax, ANY),
  logSoftmax: direct(S.logSoftmax, ANY),
  matmul: direct(L.matmul, 1),
  mm: direct(L.mm, 1),
  bmm: direct(L.bmm, 1),
  dot: direct(L.dot, 1),
  outer: direct(L.outer, 1),
  diag: direct(L.diag, 1),
  diagflat: direct(L.diagflat, 1),
  gather: direct(I.gather, 2),
  indexSelect: direct(I.indexSelect, 2),
  scatterAdd: direct(I.scatterAdd, 3),
  /**
   * Advanced indexing, PyTorch's `x[idx]`: `C.index(X)` is `C[X]`, `x.index([rows, cols])` is
   * `x[rows, cols]`, `x.index([null, idx])` is `x[:, idx]` (int32 index tensors).
   */
  index: direct(I.index, 1),
  /** The p-norm over `dim` (all elements by default): `norm()`, `norm(2, 1)`, `norm({ p: 1, dim: 0 })`. */
  norm: direct(N.norm, ANY),
  log10: direct(N.log10, 0),
  log2: direct(N.log2, 0),
  /** Fills with samples of the exponential distribution with rate `lambd` (default 1). */
  exponential_: direct(Rnd.exponential_, 2),
  add_: direct(P.add_, 2),
  sub_: direct(P.sub_, 2),
  mul_: direct(P.mul_, 1),
  div_: direct(P.div_, 1),
  clamp_: direct(P.clamp_, 2),
  addcmul_: direct(P.addcmul_, 3),
  /** this + value · t1 · t2. */
  addcmul: direct(B.addcmul, 3),
  /** this + value · t1 / t2. */
  addcdiv: direct(B.addcdiv, 3),
  addcdiv_: direct(P.addcdiv_, 3),
  copy_: direct(P.copy_, 1),
  zero_: direct(P.zero_, 0),
  /** Fills with uniform samples in [from, to) from `generator` (default: the global one). */
  uniform_: direct(Rnd.uniform_, 3),
  /** Fills with normal samples. */
  normal_: direct(Rnd.normal_, 3),
  /** Fills with 1 (probability p) or 0. */
  bernoulli_: direct(Rnd.bernoulli_, 2),
};

/** `op(self, ...args)` as a method: `(...args)`. */
type MethodOf<F> = F extends (self: Tensor, ...args: infer P) => infer R ? (...args: P) => R : never;
/** The types of `directMethods` on `Tensor`, derived from the ops' signatures. */
type DirectMethods = { [K in keyof typeof directMethods]: MethodOf<(typeof directMethods)[K]['op']> };

declare module './tensor.js' {
  interface Tensor extends DirectMethods {
    /**
     * Converts to a dtype and/or moves to a device, in PyTorch's forms: `x.to('float64')`,
     * `x.to('webgpu')`, `x.to('webgpu', 'float64')`, `x.to({ device, dtype })`, `x.to(other)`.
     * Returns this tensor when nothing changes; gradients flow back through the copy.
     */
    to(...args: C.ToArgs): Tensor;
    /** This tensor on 'cpu' (itself when already there), like PyTorch's `x.cpu()`. */
    cpu(): Tensor;
    float(): Tensor;
    double(): Tensor;
    int(): Tensor;
    bool(): Tensor;
    view(...shape: Sizes): Tensor;
    reshape(...shape: Sizes): Tensor;
    permute(...dims: Sizes): Tensor;
    transpose(dim0: number, dim1: number): Tensor;
    /** The transpose of a 2-D tensor (`x.T`). */
    readonly T: Tensor;
    expand(...shape: Sizes): Tensor;
    expandAs(other: Tensor): Tensor;
    /** The largest element; `max(1)` gives `{ values, indices }` (destructurable); `max(other)` the elementwise maximum. */
    max(): Tensor;
    max(other: Tensor): Tensor;
    max(...args: R.ExtremeDimArgs): R.ValuesIndices;
    min(): Tensor;
    min(other: Tensor): Tensor;
    min(...args: R.ExtremeDimArgs): R.ValuesIndices;
    /** `view(other.shape)`. */
    viewAs(other: Tensor): Tensor;
    /** The PyTorch type name (`'torch.FloatTensor'`), or with a dtype, the tensor converted to it. */
    type(): string;
    type(dtype: DType): Tensor;
    /** `multinomial(this, numSamples, replacement?)`: category indices drawn from this tensor's weights. */
    multinomial(numSamples: number, replacement?: boolean, opts?: { generator?: Generator }): Tensor;
    multinomial(numSamples: number, opts: Rnd.MultinomialOptions): Tensor;
    fill_(value: number | boolean): Tensor;
    /**
     * Backpropagates from this tensor (a scalar, or pass `gradient` of the same shape), adding
     * into the leaves' `.grad` (only into `inputs`' when given).
     * @example loss.backward(); loss.backward({ createGraph: true }); y.backward(g, { inputs: [w] })
     */
    backward(opts?: BackwardOptions): void;
    backward(gradient: Tensor | null | undefined, opts?: BackwardOptions): void;
    /** Keeps `.grad` for this non-leaf tensor during backward. */
    retainGrad(): this;
  }
}

/** PyTorch's legacy type names, which `x.type()` returns (int32 stands in for int64 as everywhere). */
const TYPE_NAMES: Record<DType, string> = {
  float32: 'torch.FloatTensor',
  float64: 'torch.DoubleTensor',
  int32: 'torch.LongTensor',
  bool: 'torch.BoolTensor',
};

const proto = Tensor.prototype;
Object.defineProperty(proto, 'T', {
  get(this: Tensor) {
    return V.t(this);
  },
});

const methods = {
  to(this: Tensor, ...args: C.ToArgs) {
    return C.convertTo(this, args);
  },
  cpu(this: Tensor) {
    return C.toDevice(this, 'cpu', 'cpu');
  },
  float(this: Tensor) {
    return C.to(this, 'float32');
  },
  double(this: Tensor) {
    return C.to(this, 'float64');
  },
  int(this: Tensor) {
    return C.to(this, 'int32');
  },
  bool(this: Tensor) {
    return C.to(this, 'bool');
  },
  view(this: Tensor, ...s: Sizes) {
    return V.view(this, sizes(s));
  },
  reshape(this: Tensor, ...s: Sizes) {
    return V.reshape(this, sizes(s));
  },
  permute(this: Tensor, ...d: Sizes) {
    return V.permute(this, sizes(d));
  },
  transpose(this: Tensor, a: number, b: number) {
    return V.transpose(this, a, b);
  },
  expand(this: Tensor, ...s: Sizes) {
    return V.expand(this, sizes(s));
  },
  expandAs(this: Tensor, o: Tensor) {
    return V.expand(this, o.shape);
  },
  max(this: Tensor, ...a: unknown[]) {
    return (R.max as (x: Tensor, ...a: unknown[]) => Tensor | R.ValuesIndices)(this, ...a);
  },
  min(this: Tensor, ...a: unknown[]) {
    return (R.min as (x: Tensor, ...a: unknown[]) => Tensor | R.ValuesIndices)(this, ...a);
  },
  viewAs(this: Tensor, o: Tensor) {
    return V.view(this, o.shape);
  },
  type(this: Tensor, dtype?: DType) {
    if (dtype === undefined) return TYPE_NAMES[this.dtype];
    const byName = Object.entries(TYPE_NAMES).find(([, n]) => n === dtype);
    return C.to(this, (byName?.[0] ?? dtype) as DType);
  },
  multinomial(this: Tensor, n: number, ...a: [boolean?, { generator?: Generator }?] | [Rnd.MultinomialOptions]) {
    return Rnd.multinomial(this, n, ...(a as [boolean?, { generator?: Generator }?]));
  },
  fill_(this: Tensor, v: number | boolean) {
    return P.fill_(this, v);
  },
  backward(this: Tensor, gradient?: Tensor | null | BackwardOptions, opts?: BackwardOptions) {
    if (isOptionsObject(gradient)) {
      if (opts !== undefined) throw new TypeError('backward: give the options once: t.backward(gradient, { … }) or t.backward({ … })');
      runBackward([this], [null], gradient as BackwardOptions);
      return;
    }
    if (gradient != null && !(gradient instanceof Tensor)) {
      throw new TypeError(
        `backward: gradient must be a Tensor (got ${typeof gradient}). Accepted forms: t.backward(), t.backward(gradient), t.backward({ retainGraph, createGraph, inputs }), t.backward(gradient, { … })`,
      );
    }
    runBackward([this], [gradient ?? null], opts);
  },
  retainGrad(this: Tensor) {
    if (!this.requiresGrad) throw new Error("retainGrad: can't retain grad on a tensor that doesn't require grad");
    if (this.gradFn) this.gradFn.retained = this;
    return this;
  },
};

// JS drops surplus arguments silently; a PyTorch user who passes one (`x.transpose(0, 1, 2)`,
// `x.add(y, 2, 3)`) gets an error instead. Methods that take PyTorch's variable forms (sizes,
// dims, options) check their arguments themselves.
function tooMany(name: string, max: number, n: number): TypeError {
  return new TypeError(
    `${name}: takes at most ${max} argument${max === 1 ? '' : 's'} but got ${n} (see its TSDoc or COMPAT.md for the accepted forms)`,
  );
}

for (const [name, { op, max }] of Object.entries(directMethods) as [string, Direct<(...args: unknown[]) => unknown>][]) {
  const method = function (this: Tensor, ...args: unknown[]) {
    if (args.length > max) throw tooMany(name, max, args.length);
    return op(this, ...args);
  };
  Object.defineProperty(proto, name, { value: method, writable: true, configurable: true });
}

/** `impl` as the method `name`, refusing more than `max` arguments. */
function install(name: string, max: number, impl: (...args: unknown[]) => unknown): void {
  const checked = function (this: Tensor) {
    // biome-ignore lint/complexity/noArguments: counting arguments without allocating a rest array
    const n = arguments.length;
    if (n > max) throw tooMany(name, max, n);
    // biome-ignore lint/complexity/noArguments: forwarding every argument without copying
    return impl.apply(this, arguments as unknown as unknown[]);
  };
  Object.defineProperty(proto, name, { value: checked, writable: true, configurable: true });
}

const VARIADIC = new Set(['to', 'view', 'reshape', 'permute', 'expand', 'max', 'min', 'multinomial']);
for (const [name, impl] of Object.entries(methods) as [string, (...args: unknown[]) => unknown][]) {
  if (VARIADIC.has(name)) Object.defineProperty(proto, name, { value: impl, writable: true, configurable: true });
  else install(name, impl.length, impl);
}

// Tensor's own methods (tensor.ts), with how many arguments each takes.
const OWN: Record<string, number> = {
  item: 0,
  itemAsync: 0,
  toArray: 0,
  toArrayAsync: 0,
  dataAsync: 0,
  isContiguous: 0,
  nelement: 0,
  size: 1,
  requiresGrad_: 1,
};
for (const [name, max] of Object.entries(OWN)) {
  install(name, max, (proto as unknown as Record<string, (...args: unknown[]) => unknown>)[name]);
}
