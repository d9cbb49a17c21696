/**
 * Attaches the ops to `Tensor` as methods (`x.add(y)`, `x.sum({ dim: 1 })`), so the class file
 * stays small and every op lives once in src/ops. Importing this module installs them.
 *
 * Most methods are an op with the tensor as its first argument: they are listed once, in
 * `keywordMethods` (the public ops of ops/api.ts, which take PyTorch's keyword names) or
 * `variadicMethods`, and their types on `Tensor` are derived from the ops' signatures. The rest
 * (PyTorch's size varargs, overloads, conversions) are declared and written out below them.
 */
import { type BackwardOptions, runBackward } from '../autograd/engine.js';
import * as A from '../ops/api.js';
import * as C from '../ops/convert.js';
import * as N from '../ops/norm.js';
import * as R from '../ops/reduce.js';
import * as S from '../ops/softmax.js';
import * as V from '../ops/views.js';
import { isOptionsObject } from './args.js';
import type { DType } from './dtype.js';
import { keywords, type MethodOf, methodOf } from './keywords.js';
import { Tensor } from './tensor.js';

type Sizes = readonly number[] | [readonly number[]] | [opts: { size: readonly number[] }];

/**
 * PyTorch's `*size` of `x.view(2, 3)`, `x.view([2, 3])` or `x.view({ size: [2, 3] })` (the keyword
 * is `key`). Anything more is an error naming the method.
 */
function sizes(name: string, key: string, args: readonly unknown[]): readonly number[] {
  const usage = `Accepted forms: x.${name}(2, 3), x.${name}([2, 3]) or x.${name}({ ${key}: [2, 3] })`;
  const first = args[0];
  if (isOptionsObject(first)) {
    const keys = Object.keys(first);
    if (args.length > 1 || keys.length !== 1 || keys[0] !== key) {
      const problem =
        args.length > 1
          ? 'the options object must be the only argument'
          : `unknown option(s) ${keys.filter((k) => k !== key).join(', ') || `(expected '${key}')`}`;
      throw new TypeError(`Tensor.${name}: ${problem}. ${usage}`);
    }
    return first[key] as readonly number[];
  }
  if (Array.isArray(first)) {
    if (args.length > 1) throw new TypeError(`Tensor.${name}: give the sizes as numbers or as one array, not both. ${usage}`);
    return first;
  }
  return args as readonly number[];
}

/** Methods whose ops read PyTorch's variable forms (dims, options) themselves and reject what they do not understand. */
const variadicMethods = {
  /** Sum over `dim` (all dims by default): `sum()`, `sum(1)`, `sum(1, true)`, `sum({ dim: 1, keepdim: true })`. */
  sum: R.sum,
  mean: R.mean,
  prod: R.prod,
  argmax: R.argmax,
  argmin: R.argmin,
  var: R.variance,
  std: R.std,
  logsumexp: R.logsumexp,
  softmax: S.softmax,
  logSoftmax: S.logSoftmax,
  /** The p-norm over `dim` (all elements by default): `norm()`, `norm(2, 1)`, `norm({ p: 1, dim: 0 })`. */
  norm: N.norm,
};

/**
 * The methods that are a public op (ops/api.ts) applied to the tensor: `x.add(y, { alpha: 2 })` is
 * `add(x, y, { alpha: 2 })`, with the same parameter names and checks.
 */
const keywordMethods = {
  clone: A.clone,
  contiguous: A.contiguous,
  detach: A.detach,
  flatten: A.flatten,
  unflatten: A.unflatten,
  t: A.t,
  transpose: A.transpose,
  squeeze: A.squeeze,
  unsqueeze: A.unsqueeze,
  narrow: A.narrow,
  select: A.select,
  slice: A.slice,
  split: A.split,
  chunk: A.chunk,
  unbind: A.unbind,
  add: A.add,
  sub: A.sub,
  mul: A.mul,
  div: A.div,
  pow: A.pow,
  maximum: A.maximum,
  minimum: A.minimum,
  eq: A.eq,
  ne: A.ne,
  lt: A.lt,
  le: A.le,
  gt: A.gt,
  ge: A.ge,
  logicalAnd: A.logicalAnd,
  logicalOr: A.logicalOr,
  logicalNot: A.logicalNot,
  neg: A.neg,
  abs: A.abs,
  sign: A.sign,
  exp: A.exp,
  log: A.log,
  log1p: A.log1p,
  expm1: A.expm1,
  sqrt: A.sqrt,
  rsqrt: A.rsqrt,
  reciprocal: A.reciprocal,
  square: A.square,
  sin: A.sin,
  cos: A.cos,
  sigmoid: A.sigmoid,
  tanh: A.tanh,
  relu: A.relu,
  clamp: A.clamp,
  matmul: A.matmul,
  mm: A.mm,
  bmm: A.bmm,
  dot: A.dot,
  outer: A.outer,
  diag: A.diag,
  diagflat: A.diagflat,
  gather: A.gather,
  indexSelect: A.indexSelect,
  scatterAdd: A.scatterAdd,
  /**
   * Advanced indexing, PyTorch's `x[idx]`: `C.index(X)` is `C[X]`, `x.index([rows, cols])` is
   * `x[rows, cols]`, `x.index([null, idx])` is `x[:, idx]` (int32 index tensors).
   */
  index: A.index,
  log10: A.log10,
  log2: A.log2,
  /** Fills with samples of the exponential distribution with rate `lambd` (default 1). */
  exponential_: A.exponential_,
  add_: A.add_,
  sub_: A.sub_,
  mul_: A.mul_,
  div_: A.div_,
  clamp_: A.clamp_,
  addcmul_: A.addcmul_,
  /** this + value · t1 · t2. */
  addcmul: A.addcmul,
  /** this + value · t1 / t2. */
  addcdiv: A.addcdiv,
  addcdiv_: A.addcdiv_,
  copy_: A.copy_,
  zero_: A.zero_,
  fill_: A.fill_,
  /** Fills with uniform samples in [from, to) from `generator` (default: the global one). */
  uniform_: A.uniform_,
  /** Fills with normal samples. */
  normal_: A.normal_,
  /** Fills with 1 (probability p) or 0. */
  bernoulli_: A.bernoulli_,
  /** `multinomial(this, numSamples, replacement?)`: category indices drawn from this tensor's weights. */
  multinomial: A.multinomial,
};

/** `op(self, ...args)` as a method: `(...args)`. */
type VariadicMethodOf<F> = F extends (self: Tensor, ...args: infer P) => infer R ? (...args: P) => R : never;
/** The types of the op methods on `Tensor`, derived from the ops' signatures. */
type DirectMethods = { [K in keyof typeof variadicMethods]: VariadicMethodOf<(typeof variadicMethods)[K]> } & {
  [K in keyof typeof keywordMethods]: MethodOf<(typeof keywordMethods)[K]>;
};

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
    return V.view(this, sizes('view', 'size', s));
  },
  reshape(this: Tensor, ...s: Sizes) {
    return V.reshape(this, sizes('reshape', 'shape', s));
  },
  permute(this: Tensor, ...d: Sizes) {
    return V.permute(this, sizes('permute', 'dims', d));
  },
  expand(this: Tensor, ...s: Sizes) {
    return V.expand(this, sizes('expand', 'size', s));
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

for (const [name, op] of Object.entries(variadicMethods) as [string, (...args: unknown[]) => unknown][]) {
  const method = function (this: Tensor, ...args: unknown[]) {
    return op(this, ...args);
  };
  Object.defineProperty(proto, name, { value: method, writable: true, configurable: true });
}
for (const [name, op] of Object.entries(keywordMethods)) {
  Object.defineProperty(proto, name, { value: methodOf(op, name), writable: true, configurable: true });
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

const VARIADIC = new Set(['to', 'view', 'reshape', 'permute', 'expand', 'max', 'min']);
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
};
for (const [name, max] of Object.entries(OWN)) {
  install(name, max, (proto as unknown as Record<string, (...args: unknown[]) => unknown>)[name]);
}
// The two that take a PyTorch keyword: `x.size({ dim: 1 })`, `x.requiresGrad_({ requiresGrad: false })`
// (at run time; their types are the class's own, in tensor.ts).
const ownSize = proto.size as (this: Tensor, dim?: number) => number | readonly number[];
const ownRequiresGrad = proto.requiresGrad_ as (this: Tensor, on?: boolean) => Tensor;
const size = keywords('size', (x: Tensor, dim?: number) => ownSize.call(x, dim), ['input', 'dim?']);
const requiresGrad_ = keywords('requiresGrad_', (x: Tensor, requiresGrad?: boolean) => ownRequiresGrad.call(x, requiresGrad), [
  'input',
  'requiresGrad?',
]);
Object.defineProperty(proto, 'size', { value: methodOf(size, 'size'), writable: true, configurable: true });
Object.defineProperty(proto, 'requiresGrad_', { value: methodOf(requiresGrad_, 'requiresGrad_'), writable: true, configurable: true });
