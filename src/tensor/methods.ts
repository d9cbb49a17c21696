/**
 * Attaches the ops to `Tensor` as methods (`x.add(y)`, `x.sum({ dim: 1 })`), so the class file
 * stays small and every op lives once in src/ops. Importing this module installs them.
 */
import { type BackwardOptions, runBackward } from '../autograd/engine.js';
import * as B from '../ops/binary.js';
import * as C from '../ops/convert.js';
import * as I from '../ops/indexing.js';
import * as P from '../ops/inplace.js';
import * as J from '../ops/join.js';
import * as L from '../ops/linalg.js';
import * as N from '../ops/norm.js';
import type { Operand } from '../ops/operand.js';
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

declare module './tensor.js' {
  interface Tensor {
    // conversion
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
    clone(): Tensor;
    contiguous(): Tensor;
    detach(): Tensor;
    // views
    view(...shape: Sizes): Tensor;
    reshape(...shape: Sizes): Tensor;
    flatten(startDim?: number, endDim?: number): Tensor;
    unflatten(dim: number, sizes: readonly number[]): Tensor;
    permute(...dims: Sizes): Tensor;
    transpose(dim0: number, dim1: number): Tensor;
    t(): Tensor;
    /** The transpose of a 2-D tensor (`x.T`). */
    readonly T: Tensor;
    expand(...shape: Sizes): Tensor;
    expandAs(other: Tensor): Tensor;
    squeeze(dim?: number): Tensor;
    unsqueeze(dim: number): Tensor;
    narrow(dim: number, start: number, length: number): Tensor;
    select(dim: number, index: number): Tensor;
    slice(dim: number, start?: number, end?: number, step?: number): Tensor;
    split(size: number | readonly number[], dim?: number): Tensor[];
    chunk(chunks: number, dim?: number): Tensor[];
    unbind(dim?: number): Tensor[];
    // elementwise
    add(other: Operand, alpha?: number): Tensor;
    sub(other: Operand, alpha?: number): Tensor;
    mul(other: Operand): Tensor;
    div(other: Operand): Tensor;
    pow(exponent: Operand): Tensor;
    maximum(other: Operand): Tensor;
    minimum(other: Operand): Tensor;
    eq(other: Operand): Tensor;
    ne(other: Operand): Tensor;
    lt(other: Operand): Tensor;
    le(other: Operand): Tensor;
    gt(other: Operand): Tensor;
    ge(other: Operand): Tensor;
    logicalAnd(other: Operand): Tensor;
    logicalOr(other: Operand): Tensor;
    logicalNot(): Tensor;
    neg(): Tensor;
    abs(): Tensor;
    sign(): Tensor;
    exp(): Tensor;
    log(): Tensor;
    log1p(): Tensor;
    expm1(): Tensor;
    sqrt(): Tensor;
    rsqrt(): Tensor;
    reciprocal(): Tensor;
    square(): Tensor;
    sin(): Tensor;
    cos(): Tensor;
    sigmoid(): Tensor;
    tanh(): Tensor;
    relu(): Tensor;
    clamp(min?: number | null, max?: number | null): Tensor;
    // reductions
    /** Sum over `dim` (all dims by default): `sum()`, `sum(1)`, `sum(1, true)`, `sum({ dim: 1, keepdim: true })`. */
    sum(...args: R.ReduceArgs): Tensor;
    mean(...args: R.ReduceArgs): Tensor;
    prod(...args: R.ReduceArgs): Tensor;
    /** The largest element; `max(1)` gives `{ values, indices }` (destructurable); `max(other)` the elementwise maximum. */
    max(): Tensor;
    max(other: Tensor): Tensor;
    max(...args: R.ExtremeDimArgs): R.ValuesIndices;
    min(): Tensor;
    min(other: Tensor): Tensor;
    min(...args: R.ExtremeDimArgs): R.ValuesIndices;
    argmax(...args: R.ArgReduceArgs): Tensor;
    argmin(...args: R.ArgReduceArgs): Tensor;
    var(...args: R.VarArgs): Tensor;
    std(...args: R.VarArgs): Tensor;
    logsumexp(...args: R.ReduceArgs): Tensor;
    softmax(...args: S.SoftmaxArgs): Tensor;
    logSoftmax(...args: S.SoftmaxArgs): Tensor;
    // linear algebra and indexing
    matmul(other: Tensor): Tensor;
    mm(other: Tensor): Tensor;
    bmm(other: Tensor): Tensor;
    dot(other: Tensor): Tensor;
    outer(other: Tensor): Tensor;
    diag(offset?: number): Tensor;
    diagflat(offset?: number): Tensor;
    gather(dim: number, index: Tensor): Tensor;
    indexSelect(dim: number, index: Tensor): Tensor;
    scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor;
    /**
     * Advanced indexing, PyTorch's `x[idx]`: `C.index(X)` is `C[X]`, `x.index([rows, cols])` is
     * `x[rows, cols]`, `x.index([null, idx])` is `x[:, idx]` (int32 index tensors).
     */
    index(indices: Tensor | readonly I.IndexEntry[]): Tensor;
    /** The p-norm over `dim` (all elements by default): `norm()`, `norm(2, 1)`, `norm({ p: 1, dim: 0 })`. */
    norm(...args: N.NormArgs): Tensor;
    log10(): Tensor;
    log2(): Tensor;
    /** `view(other.shape)`. */
    viewAs(other: Tensor): Tensor;
    /** The PyTorch type name (`'torch.FloatTensor'`), or with a dtype, the tensor converted to it. */
    type(): string;
    type(dtype: DType): Tensor;
    /** Fills with samples of the exponential distribution with rate `lambd` (default 1). */
    exponential_(lambd?: number, opts?: { generator?: Generator }): Tensor;
    /** `multinomial(this, numSamples, replacement?)`: category indices drawn from this tensor's weights. */
    multinomial(numSamples: number, replacement?: boolean, opts?: { generator?: Generator }): Tensor;
    multinomial(numSamples: number, opts: Rnd.MultinomialOptions): Tensor;
    // in place
    add_(other: Operand, alpha?: number): Tensor;
    sub_(other: Operand, alpha?: number): Tensor;
    mul_(other: Operand): Tensor;
    div_(other: Operand): Tensor;
    clamp_(min?: number | null, max?: number | null): Tensor;
    addcmul_(t1: Tensor, t2: Tensor, value?: number): Tensor;
    /** this + value · t1 · t2. */
    addcmul(t1: Tensor, t2: Tensor, value?: number): Tensor;
    /** this + value · t1 / t2. */
    addcdiv(t1: Tensor, t2: Tensor, value?: number): Tensor;
    addcdiv_(t1: Tensor, t2: Tensor, value?: number): Tensor;
    copy_(src: Tensor | number): Tensor;
    fill_(value: number | boolean): Tensor;
    zero_(): Tensor;
    /** Fills with uniform samples in [from, to) from `generator` (default: the global one). */
    uniform_(from?: number, to?: number, opts?: { generator?: Generator }): Tensor;
    /** Fills with normal samples. */
    normal_(mean?: number, std?: number, opts?: { generator?: Generator }): Tensor;
    /** Fills with 1 (probability p) or 0. */
    bernoulli_(p?: number, opts?: { generator?: Generator }): Tensor;
    // autograd
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
  clone(this: Tensor) {
    return C.clone(this);
  },
  contiguous(this: Tensor) {
    return C.contiguous(this);
  },
  detach(this: Tensor) {
    return C.detach(this);
  },

  view(this: Tensor, ...s: Sizes) {
    return V.view(this, sizes(s));
  },
  reshape(this: Tensor, ...s: Sizes) {
    return V.reshape(this, sizes(s));
  },
  flatten(this: Tensor, a?: number, b?: number) {
    return V.flatten(this, a, b);
  },
  unflatten(this: Tensor, d: number, s: readonly number[]) {
    return V.unflatten(this, d, s);
  },
  permute(this: Tensor, ...d: Sizes) {
    return V.permute(this, sizes(d));
  },
  transpose(this: Tensor, a: number, b: number) {
    return V.transpose(this, a, b);
  },
  t(this: Tensor) {
    return V.t(this);
  },
  expand(this: Tensor, ...s: Sizes) {
    return V.expand(this, sizes(s));
  },
  expandAs(this: Tensor, o: Tensor) {
    return V.expand(this, o.shape);
  },
  squeeze(this: Tensor, d?: number) {
    return V.squeeze(this, d);
  },
  unsqueeze(this: Tensor, d: number) {
    return V.unsqueeze(this, d);
  },
  narrow(this: Tensor, d: number, s: number, l: number) {
    return V.narrow(this, d, s, l);
  },
  select(this: Tensor, d: number, i: number) {
    return V.select(this, d, i);
  },
  slice(this: Tensor, d: number, s?: number, e?: number, st?: number) {
    return V.slice(this, d, s, e, st);
  },
  split(this: Tensor, s: number | readonly number[], d?: number) {
    return J.split(this, s, d);
  },
  chunk(this: Tensor, c: number, d?: number) {
    return J.chunk(this, c, d);
  },
  unbind(this: Tensor, d?: number) {
    return J.unbind(this, d);
  },

  add(this: Tensor, o: Operand, alpha?: number) {
    return B.add(this, o, alpha);
  },
  sub(this: Tensor, o: Operand, alpha?: number) {
    return B.sub(this, o, alpha);
  },
  mul(this: Tensor, o: Operand) {
    return B.mul(this, o);
  },
  div(this: Tensor, o: Operand) {
    return B.div(this, o);
  },
  pow(this: Tensor, e: Operand) {
    return B.pow(this, e);
  },
  maximum(this: Tensor, o: Operand) {
    return B.maximum(this, o);
  },
  minimum(this: Tensor, o: Operand) {
    return B.minimum(this, o);
  },
  eq(this: Tensor, o: Operand) {
    return B.eq(this, o);
  },
  ne(this: Tensor, o: Operand) {
    return B.ne(this, o);
  },
  lt(this: Tensor, o: Operand) {
    return B.lt(this, o);
  },
  le(this: Tensor, o: Operand) {
    return B.le(this, o);
  },
  gt(this: Tensor, o: Operand) {
    return B.gt(this, o);
  },
  ge(this: Tensor, o: Operand) {
    return B.ge(this, o);
  },
  logicalAnd(this: Tensor, o: Operand) {
    return B.logicalAnd(this, o);
  },
  logicalOr(this: Tensor, o: Operand) {
    return B.logicalOr(this, o);
  },
  logicalNot(this: Tensor) {
    return U.logicalNot(this);
  },
  neg(this: Tensor) {
    return U.neg(this);
  },
  abs(this: Tensor) {
    return U.abs(this);
  },
  sign(this: Tensor) {
    return U.sign(this);
  },
  exp(this: Tensor) {
    return U.exp(this);
  },
  log(this: Tensor) {
    return U.log(this);
  },
  log1p(this: Tensor) {
    return U.log1p(this);
  },
  expm1(this: Tensor) {
    return U.expm1(this);
  },
  sqrt(this: Tensor) {
    return U.sqrt(this);
  },
  rsqrt(this: Tensor) {
    return U.rsqrt(this);
  },
  reciprocal(this: Tensor) {
    return U.reciprocal(this);
  },
  square(this: Tensor) {
    return U.square(this);
  },
  sin(this: Tensor) {
    return U.sin(this);
  },
  cos(this: Tensor) {
    return U.cos(this);
  },
  sigmoid(this: Tensor) {
    return U.sigmoid(this);
  },
  tanh(this: Tensor) {
    return U.tanh(this);
  },
  relu(this: Tensor) {
    return U.relu(this);
  },
  clamp(this: Tensor, lo?: number | null, hi?: number | null) {
    return U.clamp(this, lo, hi);
  },

  sum(this: Tensor, ...a: R.ReduceArgs) {
    return R.sum(this, ...a);
  },
  mean(this: Tensor, ...a: R.ReduceArgs) {
    return R.mean(this, ...a);
  },
  prod(this: Tensor, ...a: R.ReduceArgs) {
    return R.prod(this, ...a);
  },
  max(this: Tensor, ...a: unknown[]) {
    return (R.max as (x: Tensor, ...a: unknown[]) => Tensor | R.ValuesIndices)(this, ...a);
  },
  min(this: Tensor, ...a: unknown[]) {
    return (R.min as (x: Tensor, ...a: unknown[]) => Tensor | R.ValuesIndices)(this, ...a);
  },
  argmax(this: Tensor, ...a: R.ArgReduceArgs) {
    return R.argmax(this, ...a);
  },
  argmin(this: Tensor, ...a: R.ArgReduceArgs) {
    return R.argmin(this, ...a);
  },
  var(this: Tensor, ...a: R.VarArgs) {
    return R.variance(this, ...a);
  },
  std(this: Tensor, ...a: R.VarArgs) {
    return R.std(this, ...a);
  },
  logsumexp(this: Tensor, ...a: R.ReduceArgs) {
    return R.logsumexp(this, ...a);
  },
  softmax(this: Tensor, ...a: S.SoftmaxArgs) {
    return S.softmax(this, ...a);
  },
  logSoftmax(this: Tensor, ...a: S.SoftmaxArgs) {
    return S.logSoftmax(this, ...a);
  },

  matmul(this: Tensor, o: Tensor) {
    return L.matmul(this, o);
  },
  mm(this: Tensor, o: Tensor) {
    return L.mm(this, o);
  },
  bmm(this: Tensor, o: Tensor) {
    return L.bmm(this, o);
  },
  dot(this: Tensor, o: Tensor) {
    return L.dot(this, o);
  },
  outer(this: Tensor, o: Tensor) {
    return L.outer(this, o);
  },
  diag(this: Tensor, k?: number) {
    return L.diag(this, k);
  },
  diagflat(this: Tensor, k?: number) {
    return L.diagflat(this, k);
  },
  gather(this: Tensor, d: number, i: Tensor) {
    return I.gather(this, d, i);
  },
  indexSelect(this: Tensor, d: number, i: Tensor) {
    return I.indexSelect(this, d, i);
  },
  scatterAdd(this: Tensor, d: number, i: Tensor, s: Tensor) {
    return I.scatterAdd(this, d, i, s);
  },
  index(this: Tensor, i: Tensor | readonly I.IndexEntry[]) {
    return I.index(this, i);
  },
  norm(this: Tensor, ...a: N.NormArgs) {
    return N.norm(this, ...a);
  },
  log10(this: Tensor) {
    return N.log10(this);
  },
  log2(this: Tensor) {
    return N.log2(this);
  },
  viewAs(this: Tensor, o: Tensor) {
    return V.view(this, o.shape);
  },
  type(this: Tensor, dtype?: DType) {
    if (dtype === undefined) return TYPE_NAMES[this.dtype];
    const byName = Object.entries(TYPE_NAMES).find(([, n]) => n === dtype);
    return C.to(this, (byName?.[0] ?? dtype) as DType);
  },
  exponential_(this: Tensor, l?: number, o?: { generator?: Generator }) {
    return Rnd.exponential_(this, l, o);
  },
  multinomial(this: Tensor, n: number, ...a: [boolean?, { generator?: Generator }?] | [Rnd.MultinomialOptions]) {
    return Rnd.multinomial(this, n, ...(a as [boolean?, { generator?: Generator }?]));
  },

  add_(this: Tensor, o: Operand, alpha?: number) {
    return P.add_(this, o, alpha);
  },
  sub_(this: Tensor, o: Operand, alpha?: number) {
    return P.sub_(this, o, alpha);
  },
  mul_(this: Tensor, o: Operand) {
    return P.mul_(this, o);
  },
  div_(this: Tensor, o: Operand) {
    return P.div_(this, o);
  },
  clamp_(this: Tensor, lo?: number | null, hi?: number | null) {
    return P.clamp_(this, lo, hi);
  },
  addcmul_(this: Tensor, a: Tensor, b: Tensor, v?: number) {
    return P.addcmul_(this, a, b, v);
  },
  addcmul(this: Tensor, a: Tensor, b: Tensor, v?: number) {
    return B.addcmul(this, a, b, v);
  },
  addcdiv(this: Tensor, a: Tensor, b: Tensor, v?: number) {
    return B.addcdiv(this, a, b, v);
  },
  addcdiv_(this: Tensor, a: Tensor, b: Tensor, v?: number) {
    return P.addcdiv_(this, a, b, v);
  },
  copy_(this: Tensor, s: Tensor | number) {
    return P.copy_(this, s);
  },
  fill_(this: Tensor, v: number | boolean) {
    return P.fill_(this, v);
  },
  zero_(this: Tensor) {
    return P.zero_(this);
  },
  uniform_(this: Tensor, a?: number, b?: number, o?: { generator?: Generator }) {
    return Rnd.uniform_(this, a, b, o);
  },
  normal_(this: Tensor, m?: number, s?: number, o?: { generator?: Generator }) {
    return Rnd.normal_(this, m, s, o);
  },
  bernoulli_(this: Tensor, p?: number, o?: { generator?: Generator }) {
    return Rnd.bernoulli_(this, p, o);
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
// dims, options) check their arguments themselves and are installed as they are.
const VARIADIC = new Set([
  'to',
  'view',
  'reshape',
  'permute',
  'expand',
  'sum',
  'mean',
  'prod',
  'max',
  'min',
  'argmax',
  'argmin',
  'var',
  'std',
  'logsumexp',
  'softmax',
  'logSoftmax',
  'norm',
  'multinomial',
]);
for (const [name, impl] of Object.entries(methods) as [string, (...args: unknown[]) => unknown][]) {
  if (VARIADIC.has(name)) {
    Object.defineProperty(proto, name, { value: impl, writable: true, configurable: true });
    continue;
  }
  const max = impl.length;
  const checked = function (this: Tensor) {
    // biome-ignore lint/complexity/noArguments: counting arguments without allocating a rest array
    const n = arguments.length;
    if (n > max) {
      throw new TypeError(
        `${name}: takes at most ${max} argument${max === 1 ? '' : 's'} but got ${n} (see its TSDoc or COMPAT.md for the accepted forms)`,
      );
    }
    // biome-ignore lint/complexity/noArguments: forwarding every argument without copying
    return impl.apply(this, arguments as unknown as unknown[]);
  };
  Object.defineProperty(proto, name, { value: checked, writable: true, configurable: true });
}
