import { noGrad } from '../autograd/grad-mode.js';
import { record } from '../autograd/record.js';
import { kinds, parseArgs } from '../tensor/args.js';
import { defaultFloatDType, isFloating } from '../tensor/dtype.js';
import { normalizeDims } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { div, eq, mul, pow, where } from './binary.js';
import { to } from './convert.js';
import { max, min, sum } from './reduce.js';
import { abs, log } from './unary.js';
import { reshape } from './views.js';

/** Options of `linalg.vectorNorm`: the order, the dims (all by default) and keepdim. */
export interface VectorNormOptions {
  /** The order p: any number, `Infinity` or `-Infinity` (default 2). */
  ord?: number;
  dim?: number | readonly number[] | null;
  keepdim?: boolean;
}

/** `vectorNorm(x, ord?, dim?, keepdim?)` or `vectorNorm(x, { ord, dim, keepdim })`. */
export type VectorNormArgs =
  | [opts?: VectorNormOptions]
  | [ord: number, dim?: number | readonly number[] | null, keepdim?: boolean]
  | [ord: number, opts: { dim?: number | readonly number[] | null; keepdim?: boolean }];

/** The largest (or smallest) element of `a` over `dims`, kept as size 1. */
function extremeOver(a: Tensor, dims: number[], largest: boolean): Tensor {
  let m = a;
  for (const d of dims) m = largest ? max(m, d, true).values : min(m, d, true).values;
  return m;
}

function vectorNormOf(fn: string, x: Tensor, ord: number, dimArg: number | readonly number[] | null | undefined, keepdim: boolean): Tensor {
  if (!isFloating(x.dtype)) {
    throw new TypeError(`${fn}: expected a floating-point input, but got ${x.dtype} (convert with .float())`);
  }
  const dims = normalizeDims(fn, dimArg ?? undefined, x.ndim);
  const keptShape = x.shape.map((s, i) => (dims.includes(i) ? 1 : s));
  const outShape = keepdim ? keptShape : x.shape.filter((_, i) => !dims.includes(i));
  const finish = (kept: Tensor) => reshape(kept, outShape);
  const a = abs(x);
  if (ord === Number.POSITIVE_INFINITY || ord === Number.NEGATIVE_INFINITY) {
    return finish(extremeOver(a, dims, ord > 0));
  }
  if (ord === 0) return finish(noGrad(() => sum(to(where(eq(x, 0), 0, 1), x.dtype), { dim: dims, keepdim: true })));
  if (ord === 1) return finish(sum(a, { dim: dims, keepdim: true }));
  // General p: (Σ|x|^p)^(1/p); d/dx = sign(x)|x|^(p−1) / norm^(p−1), 0 where the norm is 0 (as PyTorch).
  const out = noGrad(() => {
    const s = sum(ord === 2 ? mul(x, x) : pow(a, ord), { dim: dims, keepdim: true });
    return ord === 2 ? pow(s, 0.5) : pow(s, 1 / ord);
  });
  const kept = record(out, 'LinalgVectorNormBackward0', [x], { x, a, out, ord }, [x, out]);
  return finish(kept);
}

/**
 * The vector p-norm over `dim` (all elements by default), like `torch.linalg.vector_norm`:
 * `vectorNorm(x)`, `vectorNorm(x, 1)`, `vectorNorm(x, 2, 1)`, `vectorNorm(x, { ord: Infinity, dim: 1 })`.
 */
export function vectorNorm(x: Tensor, ...args: VectorNormArgs): Tensor {
  const a = parseArgs<VectorNormOptions>('vectorNorm', args, {
    positional: [
      ['ord', kinds.number],
      ['dim', kinds.dims],
      ['keepdim', kinds.bool],
    ],
    usage: 'vectorNorm(x, ord?, dim?, keepdim?) or vectorNorm(x, { ord, dim, keepdim })',
  });
  return vectorNormOf('vectorNorm', x, a.ord ?? 2, a.dim, a.keepdim ?? false);
}

/** `norm(x, p?, dim?, keepdim?)` or `norm(x, { p, dim, keepdim })`; p is a number or 'fro'. */
export type NormArgs =
  | [opts?: { p?: number | 'fro'; dim?: number | readonly number[] | null; keepdim?: boolean }]
  | [p: number | 'fro', dim?: number | readonly number[] | null, keepdim?: boolean]
  | [p: number | 'fro', opts: { dim?: number | readonly number[] | null; keepdim?: boolean }];

/**
 * PyTorch's `torch.norm`/`Tensor.norm`: the vector p-norm of the elements over `dim` (all by
 * default); `'fro'` is the 2-norm. `x.norm(2, 1)` is the per-row Euclidean norm.
 */
export function norm(x: Tensor, ...args: NormArgs): Tensor {
  const a = parseArgs<{ p?: number | 'fro'; dim?: number | readonly number[] | null; keepdim?: boolean }>('norm', args, {
    positional: [
      ['p', { desc: "a number or 'fro'", ok: (v) => typeof v === 'number' || v === 'fro' }],
      ['dim', kinds.dims],
      ['keepdim', kinds.bool],
    ],
    usage: "norm(p?, dim?, keepdim?) or norm({ p, dim, keepdim }); p is a number or 'fro'",
  });
  const p = a.p === undefined || a.p === 'fro' ? 2 : a.p;
  return vectorNormOf('norm', x, p, a.dim, a.keepdim ?? false);
}

const floatOf = (x: Tensor): Tensor => (isFloating(x.dtype) ? x : to(x, defaultFloatDType));

/** log base 10 (`torch.log10`); integer inputs give float32. */
export function log10(x: Tensor): Tensor {
  const xf = floatOf(x);
  const out = noGrad(() => div(log(xf), Math.LN10));
  return record(out, 'Log10Backward0', [xf], { xf }, [xf]);
}

/** log base 2 (`torch.log2`); integer inputs give float32. */
export function log2(x: Tensor): Tensor {
  const xf = floatOf(x);
  const out = noGrad(() => div(log(xf), Math.LN2));
  return record(out, 'Log2Backward0', [xf], { xf }, [xf]);
}
