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
export const add = keywords('add', B.add, ['input', 'other', 'alpha?']);
export const sub = keywords('sub', B.sub, ['input', 'other', 'alpha?']);
export const mul = keywords('mul', B.mul, ['input', 'other']);
export const div = keywords('div', B.div, ['input', 'other']);
export const pow = keywords('pow', B.pow, ['input', 'exponent']);
export const maximum = keywords('maximum', B.maximum, ['input', 'other']);
export const minimum = keywords('minimum', B.minimum, ['input', 'other']);
export const eq = keywords('eq', B.eq, ['input', 'other']);
export const ne = keywords('ne', B.ne, ['input', 'other']);
export const lt = keywords('lt', B.lt, ['input', 'other']);
export const le = keywords('le', B.le, ['input', 'other']);
export const gt = keywords('gt', B.gt, ['input', 'other']);
export const ge = keywords('ge', B.ge, ['input', 'other']);
export const logicalAnd = keywords('logicalAnd', B.logicalAnd, ['input', 'other']);
export const logicalOr = keywords('logicalOr', B.logicalOr, ['input', 'other']);
export const where = keywords('where', B.where, ['condition', 'input', 'other']);
export const addcmul = keywords('addcmul', B.addcmul, ['input', 'tensor1', 'tensor2', 'value?']);
export const addcdiv = keywords('addcdiv', B.addcdiv, ['input', 'tensor1', 'tensor2', 'value?']);
export const clamp = keywords('clamp', U.clamp, ['input', 'min?', 'max?']);
export const abs = keywords('abs', U.abs, ['input']);
export const cos = keywords('cos', U.cos, ['input']);
export const exp = keywords('exp', U.exp, ['input']);
export const expm1 = keywords('expm1', U.expm1, ['input']);
export const log = keywords('log', U.log, ['input']);
export const log1p = keywords('log1p', U.log1p, ['input']);
export const log2 = keywords('log2', N.log2, ['input']);
export const log10 = keywords('log10', N.log10, ['input']);
export const logicalNot = keywords('logicalNot', U.logicalNot, ['input']);
export const neg = keywords('neg', U.neg, ['input']);
export const reciprocal = keywords('reciprocal', U.reciprocal, ['input']);
export const relu = keywords('relu', U.relu, ['input']);
export const rsqrt = keywords('rsqrt', U.rsqrt, ['input']);
export const sigmoid = keywords('sigmoid', U.sigmoid, ['input']);
export const sign = keywords('sign', U.sign, ['input']);
export const sin = keywords('sin', U.sin, ['input']);
export const sqrt = keywords('sqrt', U.sqrt, ['input']);
export const square = keywords('square', U.square, ['input']);
export const tanh = keywords('tanh', U.tanh, ['input']);

// Copies and conversions.
export const clone = keywords('clone', C.clone, ['input']);
export const contiguous = keywords('contiguous', C.contiguous, ['input']);
export const detach = keywords('detach', C.detach, ['input']);
export const to = keywords('to', C.to, ['input', 'dtype']);

// Creation.
export const tensor = keywords('tensor', Cr.tensor, ['data'], CREATE);
export const fromTypedArray = keywords('fromTypedArray', Cr.fromTypedArray, ['data', 'shape?'], { options: ['dtype', 'requiresGrad'] });
export const full = keywords('full', Cr.full, ['size', 'fillValue'], CREATE);
export const zerosLike = keywords('zerosLike', Cr.zerosLike, ['input'], CREATE);
export const onesLike = keywords('onesLike', Cr.onesLike, ['input'], CREATE);
export const emptyLike = keywords('emptyLike', Cr.emptyLike, ['input'], CREATE);
export const fullLike = keywords('fullLike', Cr.fullLike, ['input', 'fillValue'], CREATE);
/** PyTorch's `arange(start=0, end, step=1)`: `arange(5)`, `arange(1, 4)`, also `arange({ end: 5 })`. */
const arange4 = (start?: number, end?: number, step?: number, opts?: Cr.CreateOptions) =>
  start === undefined && end !== undefined ? Cr.arange(0, end, step, opts) : Cr.arange(start as number, end, step, opts);
export const arange = keywords('arange', arange4, ['start?', 'end?', 'step?'], CREATE);
export const linspace = keywords('linspace', Cr.linspace, ['start', 'end', 'steps'], CREATE);
export const eye = keywords('eye', Cr.eye, ['n', 'm?'], CREATE);

// Randomness.
export const randperm = keywords('randperm', Rnd.randperm, ['n'], { options: ['generator', 'device'] });
export const bernoulli = keywords('bernoulli', Rnd.bernoulli, ['input'], GENERATOR);
export const bernoulli_ = keywords('bernoulli_', Rnd.bernoulli_, ['input', 'p?'], GENERATOR);
export const exponential_ = keywords('exponential_', Rnd.exponential_, ['input', 'lambd?'], GENERATOR);
export const normal_ = keywords('normal_', Rnd.normal_, ['input', 'mean?', 'std?'], GENERATOR);
export const uniform_ = keywords('uniform_', Rnd.uniform_, ['input', 'from?', 'to?'], GENERATOR);
/** Its `replacement` and `generator` are read by `multinomial` itself. */
export const multinomial = keywords('multinomial', Rnd.multinomial, ['input', 'numSamples'], { variadic: true });

// Indexing.
export const gather = keywords('gather', I.gather, ['input', 'dim', 'index']);
export const indexSelect = keywords('indexSelect', I.indexSelect, ['input', 'dim', 'index']);
export const scatterAdd = keywords('scatterAdd', I.scatterAdd, ['input', 'dim', 'index', 'src']);
export const index = keywords('index', I.index, ['input', 'indices']);
export const oneHot = keywords('oneHot', I.oneHot, ['tensor', 'numClasses?']);

// Joining and splitting.
export const cat = keywords('cat', J.cat, ['tensors', 'dim?']);
export const stack = keywords('stack', J.stack, ['tensors', 'dim?']);
export const split = keywords('split', J.split, ['tensor', 'splitSizeOrSections', 'dim?']);
export const chunk = keywords('chunk', J.chunk, ['input', 'chunks', 'dim?']);
export const unbind = keywords('unbind', J.unbind, ['input', 'dim?']);

// Linear algebra.
export const matmul = keywords('matmul', L.matmul, ['input', 'other']);
export const mm = keywords('mm', L.mm, ['input', 'mat2']);
export const bmm = keywords('bmm', L.bmm, ['input', 'mat2']);
export const dot = keywords('dot', L.dot, ['input', 'other']);
export const outer = keywords('outer', L.outer, ['input', 'vec2']);
export const diag = keywords('diag', L.diag, ['input', 'diagonal?']);
export const diagflat = keywords('diagflat', L.diagflat, ['input', 'offset?']);

// Views.
export const expand = keywords('expand', V.expand, ['input', 'size']);
export const flatten = keywords('flatten', V.flatten, ['input', 'startDim?', 'endDim?']);
export const unflatten = keywords('unflatten', V.unflatten, ['input', 'dim', 'sizes']);
export const narrow = keywords('narrow', V.narrow, ['input', 'dim', 'start', 'length']);
export const permute = keywords('permute', V.permute, ['input', 'dims']);
export const reshape = keywords('reshape', V.reshape, ['input', 'shape']);
export const view = keywords('view', V.view, ['input', 'size']);
export const select = keywords('select', V.select, ['input', 'dim', 'index']);
/** `x[..., start:end:step]` along `dim` (Python's slice), as `slice(x, dim, start, end, step)`. */
export const slice = keywords('slice', V.slice, ['input', 'dim', 'start?', 'end?', 'step?']);
export const squeeze = keywords('squeeze', V.squeeze, ['input', 'dim?']);
export const unsqueeze = keywords('unsqueeze', V.unsqueeze, ['input', 'dim']);
export const t = keywords('t', V.t, ['input']);
/** Without `transpose`'s internal last parameter (the gradient's name). */
const transpose3: (input: Tensor, dim0: number, dim1: number) => Tensor = V.transpose;
export const transpose = keywords('transpose', transpose3, ['input', 'dim0', 'dim1']);

// In place.
export const add_ = keywords('add_', P.add_, ['input', 'other', 'alpha?']);
export const sub_ = keywords('sub_', P.sub_, ['input', 'other', 'alpha?']);
export const mul_ = keywords('mul_', P.mul_, ['input', 'other']);
export const div_ = keywords('div_', P.div_, ['input', 'other']);
export const clamp_ = keywords('clamp_', P.clamp_, ['input', 'min?', 'max?']);
export const addcmul_ = keywords('addcmul_', P.addcmul_, ['input', 'tensor1', 'tensor2', 'value?']);
export const addcdiv_ = keywords('addcdiv_', P.addcdiv_, ['input', 'tensor1', 'tensor2', 'value?']);
export const copy_ = keywords('copy_', P.copy_, ['input', 'src']);
export const zero_ = keywords('zero_', P.zero_, ['input']);
/** Without `fill_`'s internal last parameter (the gradient's name). */
const fill2: (input: Tensor, value: number | boolean) => Tensor = P.fill_;
export const fill_ = keywords('fill_', fill2, ['input', 'value']);
