import type { SavedRule } from '../autograd/derivatives/unary.js';
import { record, wantsGrad } from '../autograd/record.js';
import type { UnaryOp } from '../backend/backend.js';
import { type DType, defaultFloatDType, isFloating, resultType } from '../tensor/dtype.js';
import { checkInt32 } from '../tensor/int-range.js';
import { Tensor } from '../tensor/tensor.js';
import { contiguous, to } from './convert.js';
import { defineOp } from './define.js';
import type { OpName } from './trace.js';

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
 * A floating-point unary op whose rule `name` reads `saved`: the input or the output (whichever
 * the formula reads, as PyTorch saves it; only that one is version-checked).
 */
function floatUnary(op: UnaryOp & OpName, name: SavedRule, x: Tensor, saves: 'input' | 'output'): Tensor {
  const xf = to(x, floatOf(x));
  const out = kernel(op, xf, xf.dtype);
  if (!wantsGrad(xf)) return out;
  const saved = saves === 'input' ? xf : out;
  return record(out, name, [xf], { saved }, [saved]);
}

export const exp = defineOp('exp', {}, (x: Tensor): Tensor => floatUnary('exp', 'ExpBackward0', x, 'output'));
export const log = defineOp('log', {}, (x: Tensor): Tensor => floatUnary('log', 'LogBackward0', x, 'input'));
export const log1p = defineOp('log1p', {}, (x: Tensor): Tensor => floatUnary('log1p', 'Log1PBackward0', x, 'input'));
export const expm1 = defineOp('expm1', {}, (x: Tensor): Tensor => floatUnary('expm1', 'Expm1Backward0', x, 'output'));
export const sqrt = defineOp('sqrt', {}, (x: Tensor): Tensor => floatUnary('sqrt', 'SqrtBackward0', x, 'output'));
export const rsqrt = defineOp('rsqrt', {}, (x: Tensor): Tensor => floatUnary('rsqrt', 'RsqrtBackward0', x, 'output'));
export const reciprocal = defineOp('reciprocal', {}, (x: Tensor): Tensor => floatUnary('reciprocal', 'ReciprocalBackward0', x, 'output'));
export const sin = defineOp('sin', {}, (x: Tensor): Tensor => floatUnary('sin', 'SinBackward0', x, 'input'));
export const cos = defineOp('cos', {}, (x: Tensor): Tensor => floatUnary('cos', 'CosBackward0', x, 'input'));
/** σ(x) = 1 / (1 + e^(−x)); its derivative σ(1 − σ) reuses the output. */
export const sigmoid = defineOp('sigmoid', {}, (x: Tensor): Tensor => floatUnary('sigmoid', 'SigmoidBackward0', x, 'output'));
export const tanh = defineOp('tanh', {}, (x: Tensor): Tensor => floatUnary('tanh', 'TanhBackward0', x, 'output'));

/** −x (not defined for bool, like PyTorch). */
export const neg = defineOp('neg', {}, (x: Tensor): Tensor => {
  if (x.dtype === 'bool') throw new TypeError('neg: negation of a bool tensor is not supported; use logicalNot instead');
  return record(kernel('neg', x, x.dtype), 'NegBackward0', [x], null);
});

/** |x|; its gradient is sign(x)·g (0 at x = 0). */
export const abs = defineOp('abs', {}, (x: Tensor): Tensor => {
  return record(kernel('abs', x, x.dtype), 'AbsBackward0', [x], { x }, [x]);
});

/** −1, 0 or 1 by the sign of each element (0 for NaN, like PyTorch). */
export const sign = defineOp('sign', {}, (x: Tensor): Tensor => {
  return record(kernel('sign', x, x.dtype), 'SignBackward0', [x], null);
});

export const square = defineOp('square', {}, (x: Tensor): Tensor => {
  if (x.dtype === 'int32' && x._device.memory.readSync !== undefined) {
    // Like mul: computed wide and checked, since nabla's int32 stands for PyTorch's int64.
    const wide = kernel('square', x, 'float64');
    checkInt32('square', wide.data);
    return to(wide, 'int32');
  }
  const out = kernel('square', x, x.dtype);
  return wantsGrad(x) ? record(out, 'PowBackward0', [x], { x, e: 2 }, [x]) : out;
});

/** max(x, 0); the gradient passes where the output is positive (PyTorch's threshold_backward). */
export const relu = defineOp('relu', {}, (x: Tensor): Tensor => {
  const out = kernel('relu', x, x.dtype);
  return record(out, 'ReluBackward0', [x], { out }, [out]);
});

/** Logical not of a bool tensor (nonzero → false for numbers). */
export const logicalNot = defineOp('logicalNot', {}, (x: Tensor): Tensor => {
  return kernel('not', x, 'bool');
});

const clampReport = { attrs: (...a: unknown[]) => ({ min: a[1] ?? null, max: a[2] ?? null }) };

/**
 * Clamps into [min, max]; either bound may be omitted. The result dtype promotes like PyTorch's
 * (an int tensor clamped to 0.5 is float32). The gradient passes where min ≤ x ≤ max.
 */
export const clamp = defineOp('clamp', clampReport, (x: Tensor, min?: number | null, max?: number | null): Tensor => {
  const bounds = [min, max].filter((b): b is number => b !== undefined && b !== null);
  if (bounds.length === 0) throw new RangeError('clamp: at least one of min or max must be given');
  const xs = to(x, resultType(x, ...bounds));
  const lo = min ?? Number.NaN;
  const hi = max ?? Number.NaN;
  const src = contiguous(xs);
  const out = Tensor._empty(xs.shape, xs.dtype, src._device);
  src._device.kernels.clamp(src.storage.buffer, src.offset, out.storage.buffer, xs.numel, lo, hi);
  return record(out, 'ClampBackward1', [xs], { xs, min, max }, [xs]);
});
