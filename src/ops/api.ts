/**
 * The public forms of the ops with fixed parameters: each is the op of src/ops (documented there)
 * with PyTorch's parameter names, so that `add(x, y, { alpha: 2 })`, `clamp(x, { max: 0 })` and
 * `cat(ts, { dim: 1 })` work as in PyTorch and a surplus argument or an unknown option is an error
 * naming the op (tensor/keywords.ts). The package exports these; the Tensor methods are made from
 * them (tensor/methods.ts); nabla's own code calls the ops directly.
 *
 * Names follow PyTorch 1.13's signatures in camelCase (`torch.add(input, other, *, alpha=1)`);
 * PyTorch's keyword-only parameters are also taken positionally where nabla always has (`alpha`).
 * Ops whose forms are variable (`sum(x, dim?, keepdim?)`, `zeros(2, 3)`, `view(x, [2, 3])`)
 * parse their arguments themselves and are exported as they are.
 */

import { keywords } from '../tensor/keywords.js';
import type { Tensor } from '../tensor/tensor.js';
import * as B from './binary.js';
import * as C from './convert.js';
import * as Cr from './creation.js';
import * as I from './indexing.js';
import * as P from './inplace.js';
import * as J from './join.js';
import * as L from './linalg.js';
import * as N from './norm.js';
import * as Rnd from './random.js';
import * as U from './unary.js';
import * as V from './views.js';

const CREATE = { options: ['dtype', 'device', 'requiresGrad'] };
const GENERATOR = { options: ['generator'] };

// Elementwise.
/** a + alpha·b, broadcasting. */
export const add = keywords('add', B.add, ['input', 'other', 'alpha?']);
/** a − alpha·b, broadcasting. */
export const sub = keywords('sub', B.sub, ['input', 'other', 'alpha?']);
/** a · b, broadcasting. */
export const mul = keywords('mul', B.mul, ['input', 'other']);
/** True division: integer operands give float32, like `torch.div`. */
export const div = keywords('div', B.div, ['input', 'other']);
/**
 * Elementwise power; either side may be a number. Like PyTorch, a number exponent records
 * PowBackward0, a tensor exponent PowBackward1 and a number base PowBackward2.
 */
export const pow = keywords('pow', B.pow, ['input', 'exponent']);
/** Elementwise maximum (NaN propagates). */
export const maximum = keywords('maximum', B.maximum, ['input', 'other']);
/** Elementwise minimum (NaN propagates). */
export const minimum = keywords('minimum', B.minimum, ['input', 'other']);
/** a == b elementwise, broadcasting (bool). */
export const eq = keywords('eq', B.eq, ['input', 'other']);
/** a != b elementwise, broadcasting (bool). */
export const ne = keywords('ne', B.ne, ['input', 'other']);
/** a < b elementwise, broadcasting (bool). */
export const lt = keywords('lt', B.lt, ['input', 'other']);
/** a ≤ b elementwise, broadcasting (bool). */
export const le = keywords('le', B.le, ['input', 'other']);
/** a > b elementwise, broadcasting (bool). */
export const gt = keywords('gt', B.gt, ['input', 'other']);
/** a ≥ b elementwise, broadcasting (bool). */
export const ge = keywords('ge', B.ge, ['input', 'other']);
/** Elementwise logical and (bool). */
export const logicalAnd = keywords('logicalAnd', B.logicalAnd, ['input', 'other']);
/** Elementwise logical or (bool). */
export const logicalOr = keywords('logicalOr', B.logicalOr, ['input', 'other']);
/** `cond ? x : y` elementwise, broadcasting all three. */
export const where = keywords('where', B.where, ['condition', 'input', 'other']);
/** self + value · t1 · t2, like `torch.addcmul`. */
export const addcmul = keywords('addcmul', B.addcmul, ['input', 'tensor1', 'tensor2', 'value?']);
/** self + value · t1 / t2, like `torch.addcdiv`. */
export const addcdiv = keywords('addcdiv', B.addcdiv, ['input', 'tensor1', 'tensor2', 'value?']);
/**
 * Clamps into [min, max]; either bound may be omitted. The result dtype promotes like PyTorch's
 * (an int tensor clamped to 0.5 is float32). The gradient passes where min ≤ x ≤ max.
 */
export const clamp = keywords('clamp', U.clamp, ['input', 'min?', 'max?']);
/** |x|; its gradient is sign(x)·g (0 at x = 0). */
export const abs = keywords('abs', U.abs, ['input']);
/** Elementwise cosine. */
export const cos = keywords('cos', U.cos, ['input']);
/** Elementwise eˣ. */
export const exp = keywords('exp', U.exp, ['input']);
/** Elementwise eˣ − 1, accurate near 0. */
export const expm1 = keywords('expm1', U.expm1, ['input']);
/** Elementwise natural logarithm. */
export const log = keywords('log', U.log, ['input']);
/** Elementwise ln(1 + x), accurate near 0. */
export const log1p = keywords('log1p', U.log1p, ['input']);
/** log base 2 (`torch.log2`); integer inputs give float32. */
export const log2 = keywords('log2', N.log2, ['input']);
/** log base 10 (`torch.log10`); integer inputs give float32. */
export const log10 = keywords('log10', N.log10, ['input']);
/** Logical not of a bool tensor (nonzero → false for numbers). */
export const logicalNot = keywords('logicalNot', U.logicalNot, ['input']);
/** −x (not defined for bool, like PyTorch). */
export const neg = keywords('neg', U.neg, ['input']);
/** Elementwise 1 / x. */
export const reciprocal = keywords('reciprocal', U.reciprocal, ['input']);
/** max(x, 0); the gradient passes where the output is positive (PyTorch's threshold_backward). */
export const relu = keywords('relu', U.relu, ['input']);
/** Elementwise 1 / √x. */
export const rsqrt = keywords('rsqrt', U.rsqrt, ['input']);
/** σ(x) = 1 / (1 + e^(−x)); its derivative σ(1 − σ) reuses the output. */
export const sigmoid = keywords('sigmoid', U.sigmoid, ['input']);
/** −1, 0 or 1 by the sign of each element (0 for NaN, like PyTorch). */
export const sign = keywords('sign', U.sign, ['input']);
/** Elementwise sine. */
export const sin = keywords('sin', U.sin, ['input']);
/** Elementwise square root. */
export const sqrt = keywords('sqrt', U.sqrt, ['input']);
/** Elementwise x² (int32 results outside its range are an error). */
export const square = keywords('square', U.square, ['input']);
/** Elementwise hyperbolic tangent. */
export const tanh = keywords('tanh', U.tanh, ['input']);

// Copies and conversions.
/** A copy with its own storage; gradients flow back to `x`. */
export const clone = keywords('clone', C.clone, ['input']);
/** `x` itself when contiguous, otherwise a contiguous copy. */
export const contiguous = keywords('contiguous', C.contiguous, ['input']);
/**
 * A tensor sharing `x`'s storage (and version counter) but cut from the graph (PyTorch's
 * `detach()`). It may be modified in place even when `x` requires grad; a backward that needs the
 * old values then fails the version check.
 */
export const detach = keywords('detach', C.detach, ['input']);
/** Converts to `dtype` (returns `x` itself when it already has it), like `x.to(dtype)`. */
export const to = keywords('to', C.to, ['input', 'dtype']);

// Creation.
/**
 * Creates a tensor from nested arrays, a number, or a TypedArray (copied). Numbers give float32
 * (`tensor([1, 2])` is float32, as `torch.tensor([1.0, 2.0])`; JS cannot tell 1 from 1.0) and
 * all-boolean data gives bool, unless `dtype` is given: `tensor([1, 2], { dtype: 'int32' })` for
 * indices and labels. A TypedArray keeps its element type, except that a Uint8Array (image bytes)
 * becomes int32 — pass `{ dtype: 'bool' }` for a mask.
 * @example tensor([[1, 2], [3, 4]], { dtype: 'float64', requiresGrad: true })
 */
export const tensor = keywords('tensor', Cr.tensor, ['data'], CREATE);
/**
 * Wraps a TypedArray without copying (like `torch.from_numpy`): the tensor and the array share
 * memory, so it is always on 'cpu'. `shape` defaults to 1-D.
 */
export const fromTypedArray = keywords('fromTypedArray', Cr.fromTypedArray, ['data', 'shape?'], { options: ['dtype', 'requiresGrad'] });
/** A tensor filled with `value`; the dtype follows the value (number → float32, boolean → bool). */
export const full = keywords('full', Cr.full, ['size', 'fillValue'], CREATE);
/** Zeros with the input's shape (and dtype and device unless given). */
export const zerosLike = keywords('zerosLike', Cr.zerosLike, ['input'], CREATE);
/** Ones with the input's shape (and dtype and device unless given). */
export const onesLike = keywords('onesLike', Cr.onesLike, ['input'], CREATE);
/** An uninitialised tensor with the input's shape (nabla zero-fills it). */
export const emptyLike = keywords('emptyLike', Cr.emptyLike, ['input'], CREATE);
/** `fillValue` with the input's shape (and dtype and device unless given). */
export const fullLike = keywords('fullLike', Cr.fullLike, ['input', 'fillValue'], CREATE);
/** PyTorch's `arange(start=0, end, step=1)`: `arange(5)`, `arange(1, 4)`, also `arange({ end: 5 })`. */
const arange4 = (start?: number, end?: number, step?: number, opts?: Cr.CreateOptions) =>
  start === undefined && end !== undefined ? Cr.arange(0, end, step, opts) : Cr.arange(start as number, end, step, opts);
export const arange = keywords('arange', arange4, ['start?', 'end?', 'step?'], CREATE);
/** `steps` evenly spaced values from `start` to `end` inclusive (float32 unless given). */
export const linspace = keywords('linspace', Cr.linspace, ['start', 'end', 'steps'], CREATE);
/** The n×m identity (m defaults to n). */
export const eye = keywords('eye', Cr.eye, ['n', 'm?'], CREATE);

// Randomness.
/** A random permutation of 0..n−1 (int32), the same as `torch.randperm(n)` for the same seed. */
export const randperm = keywords('randperm', Rnd.randperm, ['n'], { options: ['generator', 'device'] });
/** 0/1 samples with the probabilities in `probs` (same dtype as probs), like `torch.bernoulli`. */
export const bernoulli = keywords('bernoulli', Rnd.bernoulli, ['input'], GENERATOR);
/** Fills `t` with 0/1 samples that are 1 with probability `p`, like `Tensor.bernoulli_(p)`. */
export const bernoulli_ = keywords('bernoulli_', Rnd.bernoulli_, ['input', 'p?'], GENERATOR);
/** Fills `t` with samples of the exponential distribution with rate `lambd`, like `Tensor.exponential_`. */
export const exponential_ = keywords('exponential_', Rnd.exponential_, ['input', 'lambd?'], GENERATOR);
/** Fills `t` with normal samples, like `Tensor.normal_`. */
export const normal_ = keywords('normal_', Rnd.normal_, ['input', 'mean?', 'std?'], GENERATOR);
/** Fills `t` with uniform samples in [from, to), like `Tensor.uniform_`. */
export const uniform_ = keywords('uniform_', Rnd.uniform_, ['input', 'from?', 'to?'], GENERATOR);
/** Its `replacement` and `generator` are read by `multinomial` itself. */
export const multinomial = keywords('multinomial', Rnd.multinomial, ['input', 'numSamples'], { variadic: true });

// Indexing.
/** out[i][j][k] = x[i][index[i][j][k]][k] for dim 1 (and likewise for other dims). */
export const gather = keywords('gather', I.gather, ['input', 'dim', 'index']);
/** Rows (or slices along `dim`) of `x` picked by the 1-D int32 `index`. */
export const indexSelect = keywords('indexSelect', I.indexSelect, ['input', 'dim', 'index']);
/**
 * A copy of `x` with `src` added at `index` along `dim` (out-of-place `scatter_add`):
 * out[i][index[i][j][k]][k] += src[i][j][k] for dim 1. Like PyTorch, `index` may be smaller than
 * `x` in the other dims and smaller than `src` in every dim; only that part of `src` is used.
 */
export const scatterAdd = keywords('scatterAdd', I.scatterAdd, ['input', 'dim', 'index', 'src']);
/**
 * Advanced (integer-array) indexing, PyTorch's `x[idx]`, which JS cannot overload:
 * `C.index(X)` is `C[X]` (rows of C picked by the int32 tensor X, result shape
 * `[...X.shape, ...C.shape.slice(1)]`); `x.index([rows, cols])` is `x[rows, cols]` (index tensors
 * broadcast together); leading nulls skip dims, `x.index([null, idx])` is `x[:, idx]`. Negative
 * indices count from the end. Gradients flow back to `x` (summed over repeated indices).
 */
export const index = keywords('index', I.index, ['input', 'indices']);
/** One-hot encoding of int32 class indices: shape [...index.shape, numClasses], int32. */
export const oneHot = keywords('oneHot', I.oneHot, ['tensor', 'numClasses?']);

// Joining and splitting.
/** Concatenates tensors along `dim` (all other sizes must match; dtypes promote). */
export const cat = keywords('cat', J.cat, ['tensors', 'dim?']);
/** Stacks equally shaped tensors along a new dim. */
export const stack = keywords('stack', J.stack, ['tensors', 'dim?']);
/**
 * Splits into views along `dim`: pieces of `size` elements (the last may be smaller), or pieces
 * with the given list of sizes.
 */
export const split = keywords('split', J.split, ['tensor', 'splitSizeOrSections', 'dim?']);
/** Splits into `chunks` views of ceil(size/chunks) elements (fewer when it divides unevenly). */
export const chunk = keywords('chunk', J.chunk, ['input', 'chunks', 'dim?']);
/** All slices along `dim`, each with that dim removed. */
export const unbind = keywords('unbind', J.unbind, ['input', 'dim?']);

// Linear algebra.
/**
 * Matrix product with torch.matmul's rules: 1-D·1-D is a dot product, 2-D·2-D a matrix product,
 * a 1-D operand gains a dim that is removed afterwards, and ≥3-D operands broadcast batch dims.
 */
export const matmul = keywords('matmul', L.matmul, ['input', 'other']);
/** 2-D matrix product. */
export const mm = keywords('mm', L.mm, ['input', 'mat2']);
/** Batched 3-D matrix product. */
export const bmm = keywords('bmm', L.bmm, ['input', 'mat2']);
/** Dot product of two 1-D tensors. */
export const dot = keywords('dot', L.dot, ['input', 'other']);
/** Outer product of two 1-D tensors: [n] ⊗ [m] → [n, m]. */
export const outer = keywords('outer', L.outer, ['input', 'vec2']);
/**
 * `diag(v)` of a 1-D tensor is the square matrix with v on diagonal `offset`; `diag(M)` of a 2-D
 * tensor is the 1-D diagonal `offset` of M.
 */
export const diag = keywords('diag', L.diag, ['input', 'diagonal?']);
/** The flattened input as diagonal `offset` of a square matrix. */
export const diagflat = keywords('diagflat', L.diagflat, ['input', 'offset?']);

// Views.
/** Broadcasts to `shape` without copying (-1 keeps a size); new dims are prepended. */
export const expand = keywords('expand', V.expand, ['input', 'size']);
/** Merges dims `startDim`..`endDim` into one. */
export const flatten = keywords('flatten', V.flatten, ['input', 'startDim?', 'endDim?']);
/** Splits dim `dim` into `sizes` (one may be -1). */
export const unflatten = keywords('unflatten', V.unflatten, ['input', 'dim', 'sizes']);
/** `length` elements from `start` along `dim`, as a view. */
export const narrow = keywords('narrow', V.narrow, ['input', 'dim', 'start', 'length']);
/** Reorders dims: `permute(x, [2, 0, 1])`. */
export const permute = keywords('permute', V.permute, ['input', 'dims']);
/** Like `view`, but copies when the layout forbids a view. */
export const reshape = keywords('reshape', V.reshape, ['input', 'shape']);
/** A view with a new shape (one dim may be -1); throws if the memory layout forbids it. */
export const view = keywords('view', V.view, ['input', 'size']);
/** The slice at `index` along `dim`, with that dim removed. */
export const select = keywords('select', V.select, ['input', 'dim', 'index']);
/** `x[..., start:end:step]` along `dim` (Python's slice), as `slice(x, dim, start, end, step)`. */
export const slice = keywords('slice', V.slice, ['input', 'dim', 'start?', 'end?', 'step?']);
/** Removes size-1 dims (all, or the given one). */
export const squeeze = keywords('squeeze', V.squeeze, ['input', 'dim?']);
/** Inserts a size-1 dim at `dim` (which may be ndim or negative). */
export const unsqueeze = keywords('unsqueeze', V.unsqueeze, ['input', 'dim']);
/** The transpose of a ≤2-D tensor, like `Tensor.t()`. */
export const t = keywords('t', V.t, ['input']);
/** Without `transpose`'s internal last parameter (the gradient's name). */
const transpose3: (input: Tensor, dim0: number, dim1: number) => Tensor = V.transpose;
export const transpose = keywords('transpose', transpose3, ['input', 'dim0', 'dim1']);

// In place.
/** In place: self += alpha · other. */
export const add_ = keywords('add_', P.add_, ['input', 'other', 'alpha?']);
/** In place: self −= alpha · other. */
export const sub_ = keywords('sub_', P.sub_, ['input', 'other', 'alpha?']);
/** In place: self *= other. */
export const mul_ = keywords('mul_', P.mul_, ['input', 'other']);
/** In place: self /= other. */
export const div_ = keywords('div_', P.div_, ['input', 'other']);
/** In place: clamps self to [min, max]. */
export const clamp_ = keywords('clamp_', P.clamp_, ['input', 'min?', 'max?']);
/** t += value · t1 · t2 (optimizers' second-moment updates). */
export const addcmul_ = keywords('addcmul_', P.addcmul_, ['input', 'tensor1', 'tensor2', 'value?']);
/** t += value · t1 / t2 (Adam's update). */
export const addcdiv_ = keywords('addcdiv_', P.addcdiv_, ['input', 'tensor1', 'tensor2', 'value?']);
/** Copies `src` (broadcast, converted to t's dtype) into `t`; gradients flow to `src`. */
export const copy_ = keywords('copy_', P.copy_, ['input', 'src']);
/** Sets every element to zero. */
export const zero_ = keywords('zero_', P.zero_, ['input']);
/** Without `fill_`'s internal last parameter (the gradient's name). */
const fill2: (input: Tensor, value: number | boolean) => Tensor = P.fill_;
export const fill_ = keywords('fill_', fill2, ['input', 'value']);
