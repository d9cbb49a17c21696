import { record } from '../autograd/record.js';
import type { UnaryOp } from '../backend/backend.js';
import { backend } from '../backend/registry.js';
import { type DType, defaultFloatDType, isFloating } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { add, div, gt, logicalAnd, le, ge, mul, sub, where, pow as powBinary } from './binary.js';
import { contiguous, to } from './convert.js';

/** Runs a unary kernel; `dtype` is the output dtype (the input is converted to it first). */
function kernel(op: UnaryOp, x: Tensor, dtype: DType): Tensor {
  const src = contiguous(to(x, dtype));
  const out = Tensor._empty(x.shape, dtype);
  backend().unary(op, src.storage.data, src.offset, out.storage.data, x.numel);
  return out;
}

// Transcendental ops compute in floating point: integer inputs give float32, like PyTorch.
const floatOf = (x: Tensor): DType => (isFloating(x.dtype) ? x.dtype : defaultFloatDType);

function floatUnary(op: UnaryOp, name: string, x: Tensor, grad: (g: Tensor, x: Tensor, out: Tensor) => Tensor): Tensor {
  const xf = to(x, floatOf(x));
  const out = kernel(op, xf, xf.dtype);
  return record(out, name, [xf], (g) => [grad(g, xf, out)], [xf, out]);
}

export const exp = (x: Tensor): Tensor => floatUnary('exp', 'ExpBackward0', x, (g, _x, y) => mul(g, y));
export const log = (x: Tensor): Tensor => floatUnary('log', 'LogBackward0', x, (g, x0) => div(g, x0));
export const log1p = (x: Tensor): Tensor => floatUnary('log1p', 'Log1PBackward0', x, (g, x0) => div(g, add(x0, 1)));
export const expm1 = (x: Tensor): Tensor => floatUnary('expm1', 'Expm1Backward0', x, (g, _x, y) => mul(g, add(y, 1)));
export const sqrt = (x: Tensor): Tensor => floatUnary('sqrt', 'SqrtBackward0', x, (g, _x, y) => div(g, mul(y, 2)));
export const rsqrt = (x: Tensor): Tensor =>
  floatUnary('rsqrt', 'RsqrtBackward0', x, (g, _x, y) => mul(mul(g, -0.5), mul(y, mul(y, y))));
export const reciprocal = (x: Tensor): Tensor =>
  floatUnary('reciprocal', 'ReciprocalBackward0', x, (g, _x, y) => mul(neg(g), mul(y, y)));
export const sin = (x: Tensor): Tensor => floatUnary('sin', 'SinBackward0', x, (g, x0) => mul(g, cos(x0)));
export const cos = (x: Tensor): Tensor => floatUnary('cos', 'CosBackward0', x, (g, x0) => mul(g, neg(sin(x0))));
/** σ(x) = 1 / (1 + e^(−x)); its derivative σ(1 − σ) reuses the output. */
export const sigmoid = (x: Tensor): Tensor =>
  floatUnary('sigmoid', 'SigmoidBackward0', x, (g, _x, y) => mul(g, mul(y, sub(1, y))));
export const tanh = (x: Tensor): Tensor => floatUnary('tanh', 'TanhBackward0', x, (g, _x, y) => mul(g, sub(1, mul(y, y))));

/** −x (not defined for bool, like PyTorch). */
export function neg(x: Tensor): Tensor {
  if (x.dtype === 'bool') throw new TypeError('neg: negation of a bool tensor is not supported; use logicalNot instead');
  return record(kernel('neg', x, x.dtype), 'NegBackward0', [x], (g) => [neg(g)]);
}

/** |x|; its gradient is sign(x)·g (0 at x = 0). */
export function abs(x: Tensor): Tensor {
  return record(kernel('abs', x, x.dtype), 'AbsBackward0', [x], (g) => [mul(g, sign(x))], [x]);
}

/** −1, 0 or 1 by the sign of each element (NaN stays NaN). */
export function sign(x: Tensor): Tensor {
  return record(kernel('sign', x, x.dtype), 'SignBackward0', [x], (g) => [mul(g, 0)]);
}

export function square(x: Tensor): Tensor {
  return record(kernel('square', x, x.dtype), 'PowBackward0', [x], (g) => [mul(g, mul(x, 2))], [x]);
}

/** max(x, 0); the gradient passes where the output is positive (PyTorch's threshold_backward). */
export function relu(x: Tensor): Tensor {
  const out = kernel('relu', x, x.dtype);
  return record(out, 'ReluBackward0', [x], (g) => [mul(g, gt(out, 0))], [out]);
}

/** Logical not of a bool tensor (nonzero → false for numbers). */
export function logicalNot(x: Tensor): Tensor {
  return kernel('not', x, 'bool');
}

/** Clamps into [min, max]; either bound may be omitted. The gradient passes where min ≤ x ≤ max. */
export function clamp(x: Tensor, min?: number | null, max?: number | null): Tensor {
  if ((min ?? null) === null && (max ?? null) === null) {
    throw new RangeError('clamp: at least one of min or max must be given');
  }
  const lo = min ?? Number.NaN;
  const hi = max ?? Number.NaN;
  const src = contiguous(x);
  const out = Tensor._empty(x.shape, x.dtype);
  backend().clamp(src.storage.data, src.offset, out.storage.data, x.numel, lo, hi);
  return record(out, 'ClampBackward1', [x], (g) => {
    let pass = null as Tensor | null;
    if (min !== undefined && min !== null) pass = ge(x, min);
    if (max !== undefined && max !== null) pass = pass ? logicalAnd(pass, le(x, max)) : le(x, max);
    return [where(pass as Tensor, g, 0)];
  }, [x]);
}

/** x ** e for a number exponent (PowBackward0); see `pow` in binary.ts for tensor exponents. */
export function powScalar(x: Tensor, e: number): Tensor {
  if (e === 2) return square(x);
  const out = powBinary(x, e);
  if (!out.requiresGrad) return out;
  // Re-record with the scalar formula: e·x^(e−1), 0 when e = 0.
  out.gradFn = null;
  const xs = to(x, out.dtype);
  return record(out, 'PowBackward0', [xs], (g) => [e === 0 ? mul(g, 0) : mul(mul(g, e), powScalar(xs, e - 1))], [xs]);
}
