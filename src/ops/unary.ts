import { record } from '../autograd/record.js';
import type { UnaryOp } from '../backend/backend.js';
import { type DType, defaultFloatDType, isFloating, resultType } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { add, div, ge, le, logicalAnd, mul, reluGrad, sub, where } from './binary.js';
import { contiguous, to } from './convert.js';
import { traced, tracing } from './trace.js';

/** Runs a unary kernel; `dtype` is the output dtype (the input is converted to it first). */
function kernel(op: UnaryOp, x: Tensor, dtype: DType): Tensor {
  const src = contiguous(to(x, dtype));
  const out = Tensor._empty(x.shape, dtype, src._device);
  src._device.kernels.unary(op, src.storage.buffer, src.offset, out.storage.buffer, x.numel);
  return out;
}

// Transcendental ops compute in floating point: integer inputs give float32, like PyTorch.
const floatOf = (x: Tensor): DType => (isFloating(x.dtype) ? x.dtype : defaultFloatDType);

/**
 * A floating-point unary op whose gradient is `grad(g, saved)`, where `saved` is the input or the
 * output (whichever the formula reads, as PyTorch saves it; only that one is version-checked).
 */
function floatUnary(op: UnaryOp, name: string, x: Tensor, saves: 'input' | 'output', grad: (g: Tensor, saved: Tensor) => Tensor): Tensor {
  if (tracing) return traced(op, [x], () => floatUnary(op, name, x, saves, grad));
  const xf = to(x, floatOf(x));
  const out = kernel(op, xf, xf.dtype);
  const saved = saves === 'input' ? xf : out;
  return record(out, name, [xf], (g) => [grad(g, saved)], [saved]);
}

export const exp = (x: Tensor): Tensor => floatUnary('exp', 'ExpBackward0', x, 'output', (g, y) => mul(g, y));
export const log = (x: Tensor): Tensor => floatUnary('log', 'LogBackward0', x, 'input', (g, x0) => div(g, x0));
export const log1p = (x: Tensor): Tensor => floatUnary('log1p', 'Log1PBackward0', x, 'input', (g, x0) => div(g, add(x0, 1)));
export const expm1 = (x: Tensor): Tensor => floatUnary('expm1', 'Expm1Backward0', x, 'output', (g, y) => mul(g, add(y, 1)));
export const sqrt = (x: Tensor): Tensor => floatUnary('sqrt', 'SqrtBackward0', x, 'output', (g, y) => div(g, mul(y, 2)));
export const rsqrt = (x: Tensor): Tensor =>
  floatUnary('rsqrt', 'RsqrtBackward0', x, 'output', (g, y) => mul(mul(g, -0.5), mul(y, mul(y, y))));
export const reciprocal = (x: Tensor): Tensor =>
  floatUnary('reciprocal', 'ReciprocalBackward0', x, 'output', (g, y) => mul(neg(g), mul(y, y)));
export const sin = (x: Tensor): Tensor => floatUnary('sin', 'SinBackward0', x, 'input', (g, x0) => mul(g, cos(x0)));
export const cos = (x: Tensor): Tensor => floatUnary('cos', 'CosBackward0', x, 'input', (g, x0) => mul(g, neg(sin(x0))));
/** σ(x) = 1 / (1 + e^(−x)); its derivative σ(1 − σ) reuses the output. */
export const sigmoid = (x: Tensor): Tensor => floatUnary('sigmoid', 'SigmoidBackward0', x, 'output', (g, y) => mul(g, mul(y, sub(1, y))));
export const tanh = (x: Tensor): Tensor => floatUnary('tanh', 'TanhBackward0', x, 'output', (g, y) => mul(g, sub(1, mul(y, y))));

/** −x (not defined for bool, like PyTorch). */
export function neg(x: Tensor): Tensor {
  if (tracing) return traced('neg', [x], () => neg(x));
  if (x.dtype === 'bool') throw new TypeError('neg: negation of a bool tensor is not supported; use logicalNot instead');
  return record(kernel('neg', x, x.dtype), 'NegBackward0', [x], (g) => [neg(g)]);
}

/** |x|; its gradient is sign(x)·g (0 at x = 0). */
export function abs(x: Tensor): Tensor {
  if (tracing) return traced('abs', [x], () => abs(x));
  return record(kernel('abs', x, x.dtype), 'AbsBackward0', [x], (g) => [mul(g, sign(x))], [x]);
}

/** −1, 0 or 1 by the sign of each element (0 for NaN, like PyTorch). */
export function sign(x: Tensor): Tensor {
  if (tracing) return traced('sign', [x], () => sign(x));
  return record(kernel('sign', x, x.dtype), 'SignBackward0', [x], (g) => [mul(g, 0)]);
}

export function square(x: Tensor): Tensor {
  if (tracing) return traced('square', [x], () => square(x));
  return record(kernel('square', x, x.dtype), 'PowBackward0', [x], (g) => [mul(g, mul(x, 2))], [x]);
}

/** max(x, 0); the gradient passes where the output is positive (PyTorch's threshold_backward). */
export function relu(x: Tensor): Tensor {
  if (tracing) return traced('relu', [x], () => relu(x));
  const out = kernel('relu', x, x.dtype);
  return record(out, 'ReluBackward0', [x], (g) => [reluGrad(g, out)], [out]);
}

/** Logical not of a bool tensor (nonzero → false for numbers). */
export function logicalNot(x: Tensor): Tensor {
  if (tracing) return traced('logicalNot', [x], () => logicalNot(x));
  return kernel('not', x, 'bool');
}

/**
 * Clamps into [min, max]; either bound may be omitted. The result dtype promotes like PyTorch's
 * (an int tensor clamped to 0.5 is float32). The gradient passes where min ≤ x ≤ max.
 */
export function clamp(x: Tensor, min?: number | null, max?: number | null): Tensor {
  if (tracing) return traced('clamp', [x], () => clamp(x, min, max), { min: min ?? null, max: max ?? null });
  const bounds = [min, max].filter((b): b is number => b !== undefined && b !== null);
  if (bounds.length === 0) throw new RangeError('clamp: at least one of min or max must be given');
  const xs = to(x, resultType(x, ...bounds));
  const lo = min ?? Number.NaN;
  const hi = max ?? Number.NaN;
  const src = contiguous(xs);
  const out = Tensor._empty(xs.shape, xs.dtype, src._device);
  src._device.kernels.clamp(src.storage.buffer, src.offset, out.storage.buffer, xs.numel, lo, hi);
  return record(
    out,
    'ClampBackward1',
    [xs],
    (g) => {
      let pass = null as Tensor | null;
      if (min !== undefined && min !== null) pass = ge(xs, min);
      if (max !== undefined && max !== null) pass = pass ? logicalAnd(pass, le(xs, max)) : le(xs, max);
      return [where(pass as Tensor, g, 0)];
    },
    [xs],
  );
}
