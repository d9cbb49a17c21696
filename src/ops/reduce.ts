import { noGrad } from '../autograd/grad-mode.js';
import { record } from '../autograd/record.js';
import type { ArgReduceOp, ReduceOp } from '../backend/backend.js';
import { stridedOf } from '../backend/backend.js';
import { kinds, parseArgs } from '../tensor/args.js';
import { type DType, defaultFloatDType, isFloating } from '../tensor/dtype.js';
import { checkInt32 } from '../tensor/int-range.js';
import { normalizeDims, numelOf, sameShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { add, div, eq, maximum, minimum, mul, sub, where } from './binary.js';
import { contiguous, detach, to } from './convert.js';
import { scatterAdd } from './indexing.js';
import { traced, tracing } from './trace.js';
import { abs, exp, log, sqrt } from './unary.js';
import { expand, permute, reshape } from './views.js';

/** Options of reductions: the dims to reduce (all when omitted) and whether to keep them as 1s. */
export interface ReduceOptions {
  dim?: number | readonly number[] | null;
  keepdim?: boolean;
}

/** A dim, several dims, or null for all of them. */
export type DimArg = number | readonly number[] | null;

/**
 * The argument forms of `sum`/`mean`/`prod`/`logsumexp`, as PyTorch's: `(dim?, keepdim?)`,
 * `(dim, { keepdim })` or `({ dim, keepdim })`.
 */
export type ReduceArgs = [opts?: ReduceOptions] | [dim: DimArg, keepdim?: boolean] | [dim: DimArg, opts: { keepdim?: boolean }];

/** The argument forms of `argmax`/`argmin`. */
export type ArgReduceArgs =
  | [opts?: { dim?: number | null; keepdim?: boolean }]
  | [dim: number | null, keepdim?: boolean]
  | [dim: number | null, opts: { keepdim?: boolean }];

const reduceSpec = (fn: string) => ({
  positional: [
    ['dim', kinds.dims],
    ['keepdim', kinds.bool],
  ] as const,
  usage: `${fn}(dim?, keepdim?), ${fn}(dim, { keepdim }) or ${fn}({ dim, keepdim })`,
});
const reduceSpecs = new Map<string, ReturnType<typeof reduceSpec>>();

/** Reads the reduction argument forms into `{ dim, keepdim }` (dim undefined: all dims). */
export function reduceArgs(fn: string, args: readonly unknown[]): { dim?: number | readonly number[]; keepdim?: boolean } {
  if (args.length === 0) return {};
  if (args.length === 1 && typeof args[0] === 'number' && Number.isInteger(args[0])) return { dim: args[0] };
  let spec = reduceSpecs.get(fn);
  if (spec === undefined) {
    spec = reduceSpec(fn);
    reduceSpecs.set(fn, spec);
  }
  const a = parseArgs(fn, args, spec);
  return { dim: (a.dim ?? undefined) as number | readonly number[] | undefined, keepdim: a.keepdim as boolean | undefined };
}

interface Plan {
  dims: number[];
  keptShape: number[]; // reduced dims as 1
  outShape: number[]; // reduced dims removed unless keepdim
  outer: number;
  size: number;
  inner: number;
  src: Tensor; // contiguous, laid out as [outer, size, inner]
}

/** Lays `x` out as [outer, size, inner] with the reduced dims in the middle. */
function plan(op: string, x: Tensor, opts: { dim?: number | readonly number[]; keepdim?: boolean }): Plan {
  // An empty dim list reduces over all dims, as in PyTorch 1.13.
  const all = Array.isArray(opts.dim) && opts.dim.length === 0;
  const dims = normalizeDims(op, all ? undefined : opts.dim, x.ndim);
  const keptShape = x.shape.map((s, i) => (dims.includes(i) ? 1 : s));
  const outShape = opts.keepdim ? keptShape : x.shape.filter((_, i) => !dims.includes(i));
  const size = numelOf(dims.map((d) => x.shape[d]));
  const adjacent = dims.length === 0 || dims[dims.length - 1] - dims[0] === dims.length - 1;
  let src = contiguous(x);
  let outer: number;
  let inner: number;
  if (adjacent) {
    outer = numelOf(x.shape.slice(0, dims[0] ?? 0));
    inner = dims.length === 0 ? 1 : numelOf(x.shape.slice(dims[dims.length - 1] + 1));
  } else {
    // Move the reduced dims last so one [outer, size, 1] pass covers them.
    const kept = x.shape.map((_, i) => i).filter((i) => !dims.includes(i));
    src = contiguous(permute(detach(x), [...kept, ...dims]));
    outer = numelOf(kept.map((i) => x.shape[i]));
    inner = 1;
  }
  return { dims, keptShape, outShape, outer, size, inner, src };
}

function runReduce(op: ReduceOp, p: Plan, dtype: DType): Tensor {
  const dev = p.src._device;
  const out = Tensor._empty(p.outShape, dtype, dev);
  if (dtype === 'int32' && (op === 'sum' || op === 'prod') && dev.memory.readSync !== undefined) {
    // Integer sums and products are taken in float64 and checked: int32 stands for PyTorch's
    // int64 here and must not wrap (a device without synchronous reads cannot check them).
    const wide = Tensor._empty(p.outShape, 'float64', dev);
    dev.kernels.reduce(op, to(p.src, 'float64')._buffer(), p.outer, p.size, p.inner, wide.storage.buffer);
    checkInt32(op, wide.data);
    dev.kernels.copy(stridedOf(wide), stridedOf(out), p.outShape);
    return out;
  }
  const src = to(p.src, dtype);
  dev.kernels.reduce(op, src._buffer(), p.outer, p.size, p.inner, out.storage.buffer);
  return out;
}

function runArg(op: ArgReduceOp, p: Plan): Tensor {
  const out = Tensor._empty(p.outShape, 'int32', p.src._device);
  p.src._device.kernels.argReduce(op, p.src._buffer(), p.outer, p.size, p.inner, out.storage.buffer);
  return out;
}

/** Sums over `dim` (all dims by default). Bool and int32 sum to int32. */
export function sum(x: Tensor, ...args: ReduceArgs): Tensor {
  const opts = reduceArgs('sum', args);
  if (tracing) return traced('sum', [x], () => sum(x, opts), { dim: opts.dim, keepdim: opts.keepdim ?? false });
  const p = plan('sum', x, opts);
  const dtype = x.dtype === 'bool' ? 'int32' : x.dtype;
  const out = runReduce('sum', p, dtype);
  const inShape = x.shape;
  // PyTorch's sum(x) is SumBackward0; with dims (keepdim needs them there) SumBackward1.
  const name = opts.dim === undefined && !opts.keepdim ? 'SumBackward0' : 'SumBackward1';
  return record(out, name, [x], (g) => [expand(reshape(g, p.keptShape), inShape)]);
}

/** Mean over `dim` (all dims by default); floating dtypes only, like PyTorch. */
export function mean(x: Tensor, ...args: ReduceArgs): Tensor {
  const opts = reduceArgs('mean', args);
  if (tracing) return traced('mean', [x], () => mean(x, opts), { dim: opts.dim, keepdim: opts.keepdim ?? false });
  if (!isFloating(x.dtype)) {
    throw new TypeError(`mean: could not infer output dtype; input dtype ${x.dtype} is not floating point (convert with .to('float32'))`);
  }
  const p = plan('mean', x, opts);
  const out = noGrad(() => div(runReduce('sum', p, x.dtype), p.size));
  const inShape = x.shape;
  const name = opts.dim === undefined && !opts.keepdim ? 'MeanBackward0' : 'MeanBackward1';
  return record(out, name, [x], (g) => [div(expand(reshape(g, p.keptShape), inShape), p.size)]);
}

/** Product over `dim` (all dims by default). */
export function prod(x: Tensor, ...args: ReduceArgs): Tensor {
  const opts = reduceArgs('prod', args);
  if (tracing) return traced('prod', [x], () => prod(x, opts), { dim: opts.dim, keepdim: opts.keepdim ?? false });
  const p = plan('prod', x, opts);
  const out = runReduce('prod', p, x.dtype === 'bool' ? 'int32' : x.dtype);
  const name = opts.dim === undefined ? 'ProdBackward0' : 'ProdBackward1';
  return record(
    out,
    name,
    [x],
    (g) => {
      // d/dx_i Πx is the product of the other elements: Π/x_i without zeros; with one zero, the
      // product of the nonzero elements at the zero and 0 elsewhere; with more zeros, 0 everywhere.
      const kept = { dim: p.dims, keepdim: true };
      const isZero = eq(x, 0);
      const zeros = sum(isZero, kept);
      const safe = where(isZero, 1, x); // no 0/0 in either branch, so double backward stays finite
      const nonzero = prod(safe, kept);
      const d = where(isZero, where(eq(zeros, 1), nonzero, 0), where(eq(zeros, 0), div(nonzero, safe), 0));
      return [mul(reshape(g, p.keptShape), d)];
    },
    [x],
  );
}

/**
 * Values and int32 indices of a max/min over one dim. Like PyTorch's named tuple it can be read by
 * name (`r.values`) or destructured (`const [values, indices] = x.max(1)`, `r[0]`).
 */
export interface ValuesIndices extends Iterable<Tensor> {
  readonly values: Tensor;
  readonly indices: Tensor;
  readonly 0: Tensor;
  readonly 1: Tensor;
}

/** Builds a {@link ValuesIndices}. */
export function valuesIndices(values: Tensor, indices: Tensor): ValuesIndices {
  return {
    values,
    indices,
    0: values,
    1: indices,
    *[Symbol.iterator]() {
      yield values;
      yield indices;
    },
  };
}

/** The argument forms of `max`/`min` that reduce along a dim. */
export type ExtremeDimArgs =
  | [dim: number, keepdim?: boolean]
  | [dim: number, opts: { keepdim?: boolean }]
  | [opts: { dim: number; keepdim?: boolean }];

function checkNonEmpty(op: string, x: Tensor, p: Plan): void {
  if (p.size === 0) throw new RangeError(`${op}: cannot reduce over an empty dimension (input shape [${x.shape.join(', ')}])`);
}

function extremeAll(op: 'max' | 'min', x: Tensor): Tensor {
  if (tracing) return traced(op, [x], () => extremeAll(op, x), { dim: undefined, keepdim: false });
  const p = plan(op, x, {});
  checkNonEmpty(op, x, p);
  const out = runReduce(op, p, x.dtype);
  // The gradient is shared evenly among tied extreme elements, as PyTorch does for max().
  return record(
    out,
    op === 'max' ? 'MaxBackward1' : 'MinBackward1',
    [x],
    (g) => {
      const mask = to(eq(x, out), x.dtype);
      return [mul(div(mask, sum(mask)), g)];
    },
    [x, out],
  );
}

function extremeDim(op: 'max' | 'min', x: Tensor, dim: number, keepdim: boolean): ValuesIndices {
  if (tracing) return traced(op, [x], () => extremeDim(op, x, dim, keepdim), { dim, keepdim });
  const p = plan(op, x, { dim, keepdim });
  checkNonEmpty(op, x, p);
  const indices = runArg(op === 'max' ? 'argmax' : 'argmin', p);
  const values = gatherValues(x, p, indices);
  const d = p.dims[0] ?? 0; // a 0-d input has no dims to reduce
  const inShape = x.shape;
  record(values, op === 'max' ? 'MaxBackward0' : 'MinBackward0', [x], (g) => [
    scatterAdd(Tensor._empty(inShape, g.dtype, g._device), d, reshape(indices, p.keptShape), reshape(g, p.keptShape)),
  ]);
  return valuesIndices(values, indices);
}

function gatherValues(x: Tensor, p: Plan, indices: Tensor): Tensor {
  const values = Tensor._empty(p.outShape, x.dtype, x._device);
  // indices is [outer, inner]: a gather of one index along the reduced (middle) axis.
  x._device.kernels.gather(p.src._buffer(), p.outer, p.size, p.inner, indices._buffer(), 1, values.storage.buffer);
  return values;
}

function extreme(op: 'max' | 'min', x: Tensor, args: readonly unknown[]): Tensor | ValuesIndices {
  // max(x, other) is the elementwise maximum, as in PyTorch.
  if (args[0] instanceof Tensor && args.length === 1) return op === 'max' ? maximum(x, args[0]) : minimum(x, args[0]);
  const a = parseArgs(op, args, {
    positional: [
      ['dim', kinds.int],
      ['keepdim', kinds.bool],
    ],
    usage: `${op}(), ${op}(other: Tensor), ${op}(dim, keepdim?), ${op}(dim, { keepdim }) or ${op}({ dim, keepdim })`,
  });
  if (a.dim === undefined) {
    if (a.keepdim !== undefined) throw new TypeError(`${op}: keepdim needs a dim (${op}(dim, keepdim))`);
    return extremeAll(op, x);
  }
  return extremeDim(op, x, a.dim as number, (a.keepdim as boolean | undefined) ?? false);
}

/**
 * The largest element; with a dim, `{ values, indices }` along it (`max(1)`, `max(1, true)`,
 * `max({ dim: 1 })`); with a tensor, the elementwise maximum.
 */
export function max(x: Tensor): Tensor;
export function max(x: Tensor, other: Tensor): Tensor;
export function max(x: Tensor, ...args: ExtremeDimArgs): ValuesIndices;
export function max(x: Tensor, ...args: unknown[]): Tensor | ValuesIndices {
  return extreme('max', x, args);
}

/** The smallest element; with a dim, `{ values, indices }` along it; with a tensor, the elementwise minimum. */
export function min(x: Tensor): Tensor;
export function min(x: Tensor, other: Tensor): Tensor;
export function min(x: Tensor, ...args: ExtremeDimArgs): ValuesIndices;
export function min(x: Tensor, ...args: unknown[]): Tensor | ValuesIndices {
  return extreme('min', x, args);
}

function argExtreme(op: ArgReduceOp, x: Tensor, opts: { dim?: number; keepdim?: boolean }): Tensor {
  if (tracing) return traced(op, [x], () => argExtreme(op, x, opts), { dim: opts.dim, keepdim: opts.keepdim ?? false });
  if (opts.dim === undefined) {
    const flat = reshape(detach(x), [-1]);
    const p = plan(op, flat, { dim: 0 });
    checkNonEmpty(op, x, p);
    const i = runArg(op, p);
    // keepdim without a dim keeps every dim as size 1, like PyTorch.
    return opts.keepdim
      ? reshape(
          i,
          x.shape.map(() => 1),
        )
      : i;
  }
  const p = plan(op, x, { dim: opts.dim, keepdim: opts.keepdim });
  checkNonEmpty(op, x, p);
  return runArg(op, p);
}

function argArgs(op: ArgReduceOp, args: readonly unknown[]): { dim?: number; keepdim?: boolean } {
  const a = parseArgs(op, args, {
    positional: [
      ['dim', kinds.intOrNull],
      ['keepdim', kinds.bool],
    ],
    usage: `${op}(dim?, keepdim?), ${op}(dim, { keepdim }) or ${op}({ dim, keepdim })`,
  });
  return { dim: (a.dim ?? undefined) as number | undefined, keepdim: a.keepdim as boolean | undefined };
}

/** Index of the first maximum (over the flattened tensor, or along `dim`: `argmax(1)`), as int32. */
export function argmax(x: Tensor, ...args: ArgReduceArgs): Tensor {
  return argExtreme('argmax', x, argArgs('argmax', args));
}

/** Index of the first minimum (over the flattened tensor, or along `dim`: `argmin(1)`), as int32. */
export function argmin(x: Tensor, ...args: ArgReduceArgs): Tensor {
  return argExtreme('argmin', x, argArgs('argmin', args));
}

/** Options of var/std: `correction` is subtracted from N in the divisor (1 = unbiased, default). */
export interface VarOptions extends ReduceOptions {
  correction?: number;
  /** PyTorch's older flag: true is correction 1, false correction 0. */
  unbiased?: boolean;
}

/** The argument forms of `var`/`std`, as PyTorch 1.13's: `(dim?, unbiased?, keepdim?)`, `(unbiased)`, options. */
export type VarArgs =
  | [opts?: VarOptions]
  | [unbiased: boolean]
  | [dim: DimArg, unbiased?: boolean, keepdim?: boolean]
  | [dim: DimArg, opts: { unbiased?: boolean; correction?: number; keepdim?: boolean }];

function varArgs(fn: string, args: readonly unknown[]): VarOptions & { dim?: number | readonly number[] } {
  // x.std(false) is std(unbiased=False) in PyTorch.
  const a =
    typeof args[0] === 'boolean'
      ? parseArgs(fn, args, { positional: [['unbiased', kinds.bool]], usage: `${fn}(unbiased)` })
      : parseArgs(fn, args, {
          positional: [
            ['dim', kinds.dims],
            ['unbiased', kinds.bool],
            ['keepdim', kinds.bool],
          ],
          keywords: [['correction', kinds.number]],
          usage: `${fn}(dim?, unbiased?, keepdim?), ${fn}(unbiased), ${fn}(dim, { correction, keepdim }) or ${fn}({ dim, correction, unbiased, keepdim })`,
        });
  if (a.unbiased !== undefined && a.correction !== undefined) throw new TypeError(`${fn}: give either unbiased or correction, not both`);
  const correction = (a.correction as number | undefined) ?? (a.unbiased === false ? 0 : 1);
  return { dim: (a.dim ?? undefined) as number | readonly number[] | undefined, keepdim: a.keepdim as boolean | undefined, correction };
}

/** x − mean(x) over `dims` (kept as size 1). */
const centered = (x: Tensor, dims: number[]): Tensor => sub(x, mean(x, { dim: dims, keepdim: true }));

/** Σ (x − mean)² / (N − correction) over the planned dims, without recording. */
function varianceOf(x: Tensor, p: Plan, opts: VarOptions): { v: Tensor; divisor: number } {
  const divisor = Math.max(0, p.size - (opts.correction ?? 1));
  return noGrad(() => {
    const c = centered(x, p.dims);
    return { v: div(sum(mul(c, c), { dim: p.dims, keepdim: opts.keepdim }), divisor), divisor };
  });
}

/** Variance with Bessel's correction by default (`correction: 0` for the population variance). */
export function variance(x: Tensor, ...args: VarArgs): Tensor {
  const opts = varArgs('var', args);
  if (tracing) return traced('var', [x], () => variance(x, opts), { dim: opts.dim, keepdim: opts.keepdim ?? false });
  const xf = isFloating(x.dtype) ? x : to(x, defaultFloatDType);
  const p = plan('var', xf, opts);
  const { v, divisor } = varianceOf(xf, p, opts);
  // d var / dx = 2 (x − mean) / (N − correction).
  return record(v, 'VarBackward0', [xf], (g) => [mul(reshape(g, p.keptShape), div(mul(centered(xf, p.dims), 2), divisor))], [xf]);
}

/** Standard deviation: the square root of `variance`. */
export function std(x: Tensor, ...args: VarArgs): Tensor {
  const opts = varArgs('std', args);
  if (tracing) return traced('std', [x], () => std(x, opts), { dim: opts.dim, keepdim: opts.keepdim ?? false });
  const xf = isFloating(x.dtype) ? x : to(x, defaultFloatDType);
  const p = plan('std', xf, opts);
  const { v, divisor } = varianceOf(xf, p, opts);
  const out: Tensor = noGrad(() => sqrt(v));
  // d std / dx = (x − mean) / ((N − correction) · std).
  return record(
    out,
    'StdBackward0',
    [xf],
    (g) => [mul(div(reshape(g, p.keptShape), mul(reshape(out, p.keptShape), divisor)), centered(xf, p.dims))],
    [xf, out],
  );
}

/** The max over `dims` (kept as size 1), without recording; ±inf maxima become 0. */
export function stableShift(x: Tensor, dims: readonly number[]): Tensor {
  return noGrad(() => {
    let m = detach(x);
    for (const d of [...dims].reverse()) m = max(m, { dim: d, keepdim: true }).values;
    // Shifting by ±inf would turn inf inputs into NaN; shift those by 0 instead.
    return where(eq(abs(m), Number.POSITIVE_INFINITY), 0, m);
  });
}

/** log Σ exp(x) over `dim`, computed stably by subtracting the max first. */
export function logsumexp(x: Tensor, ...args: ReduceArgs): Tensor {
  const opts = reduceArgs('logsumexp', args);
  if (tracing) return traced('logsumexp', [x], () => logsumexp(x, opts), { dim: opts.dim, keepdim: opts.keepdim ?? false });
  const xf = isFloating(x.dtype) ? x : to(x, defaultFloatDType);
  const dims = normalizeDims('logsumexp', opts.dim, xf.ndim);
  const m = stableShift(xf, dims);
  const keptShape = m.shape;
  const shift = opts.keepdim
    ? m
    : reshape(
        m,
        keptShape.filter((_, i) => !dims.includes(i)),
      );
  const out = noGrad(() => add(log(sum(exp(sub(xf, m)), { dim: dims, keepdim: opts.keepdim })), shift));
  // d/dx log Σ exp(x) = exp(x − logsumexp(x)), the softmax.
  return record(out, 'LogsumexpBackward0', [xf], (g) => [mul(reshape(g, keptShape), exp(sub(xf, reshape(out, keptShape))))], [xf, out]);
}

/** Sums `g` down to `shape`: the adjoint of broadcasting. */
export function sumTo(g: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.ndim - shape.length;
  const dims: number[] = [];
  for (let i = 0; i < g.ndim; i++) if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) dims.push(i);
  const s = dims.length > 0 ? sum(g, { dim: dims, keepdim: true }) : g;
  return sameShape(s.shape, shape) ? s : reshape(s, shape);
}
