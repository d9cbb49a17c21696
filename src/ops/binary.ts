import { record, wantsGrad } from '../autograd/record.js';
import { type BinaryOp, stridedOf } from '../backend/backend.js';
import { sameDevice } from '../backend/device.js';
import { type DType, isFloating } from '../tensor/dtype.js';
import { checkInt32 } from '../tensor/int-range.js';
import { broadcastShapes, sameShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { materialize } from './convert.js';
import { defineOp } from './define.js';
import { asTensor, broadcastStrided, commonDType, type Operand } from './operand.js';
import { tracing } from './trace.js';
import { square } from './unary.js';

/** int32 ops whose result can leave the int32 range: computed wide and checked, never wrapped. */
const WIDENED: ReadonlySet<BinaryOp> = new Set<BinaryOp>(['add', 'sub', 'mul', 'pow']);

/** Runs a broadcasting binary kernel on operands already converted to one dtype. */
function kernel(op: BinaryOp, a: Tensor, b: Tensor, outDType: DType, alpha = 1): Tensor {
  // Operands of one shape (most calls) share it with the result: shapes are never mutated.
  const shape = sameShape(a.shape, b.shape) ? a.shape : broadcastShapes(op, a.shape, b.shape);
  const dev = sameDevice(op, a, b);
  const out = Tensor._empty(shape, outDType, dev);
  if (outDType === 'int32' && WIDENED.has(op) && dev.memory.readSync !== undefined) {
    // float64 holds every int32 sum, difference and (rounded) product exactly enough to tell
    // whether the true result fits; nabla's int32 stands for PyTorch's int64, so it must. The
    // check reads the result: a device without synchronous reads computes in int32 unchecked.
    const wide = Tensor._empty(shape, 'float64', dev);
    dev.kernels.binary(
      op,
      broadcastStrided(materialize(a, 'float64'), shape),
      broadcastStrided(materialize(b, 'float64'), shape),
      shape,
      wide.storage.buffer,
      alpha,
    );
    checkInt32(op, wide.data);
    dev.kernels.copy(stridedOf(wide), stridedOf(out), shape);
    return out;
  }
  dev.kernels.binary(op, broadcastStrided(a, shape), broadcastStrided(b, shape), shape, out.storage.buffer, alpha);
  return out;
}

/**
 * add/sub's alpha as PyTorch applies it: cast to the computation's dtype (float32 rounds it);
 * integral tensors refuse a fractional alpha.
 */
function castAlpha(op: string, alpha: number, dtype: DType): number {
  if (!isFloating(dtype) && !Number.isInteger(alpha)) {
    throw new TypeError(`${op}: for integral input tensors, alpha must not be a fractional number (got ${alpha})`);
  }
  return dtype === 'float32' ? Math.fround(alpha) : alpha;
}

/**
 * Writes `out op other` into `out`'s own memory (add/sub with alpha, mul, div), for in-place
 * updates that need no graph. The caller checks that `out` is contiguous, keeps its dtype and
 * shape, and does not overlap `other`.
 */
export function binaryInPlace(op: 'add' | 'sub' | 'mul' | 'div', out: Tensor, other: Operand, alpha = 1): void {
  const b = asTensor(other, out.dtype, out._device);
  const dev = sameDevice(`${op}_`, out, b);
  if (out.dtype === 'int32' && WIDENED.has(op)) {
    dev.kernels.copy(stridedOf(kernel(op, out, b, 'int32', castAlpha(op, alpha, 'int32'))), stridedOf(out), out.shape);
    return;
  }
  const a = stridedOf(out);
  dev.kernels.binary(op, a, broadcastStrided(b, out.shape), out.shape, out._buffer(), castAlpha(op, alpha, out.dtype));
}

/** Converts both operands to their common dtype (or `force`), naming the op in errors. */
function operands(op: string, x: Operand, y: Operand, force?: DType, on?: Tensor): [Tensor, Tensor, DType] {
  const dtype = force ?? commonDType(x, y);
  if (op === 'sub' && dtype === 'bool') {
    throw new TypeError('sub: subtraction of bool tensors is not supported; use ne (logical xor) or logicalNot instead');
  }
  // A JS number joins the tensor's device (PyTorch's wrapped scalars).
  const device = typeof x === 'object' ? x._device : typeof y === 'object' ? y._device : on?._device;
  return [asTensor(x, dtype, device), asTensor(y, dtype, device), dtype];
}

const addReport = { inputs: 2, attrs: (...a: unknown[]) => ({ alpha: a[2] ?? 1 }) };

/** a + alpha·b, broadcasting. */
export const add = defineOp('add', addReport, (x: Operand, y: Operand, alpha: number = 1): Tensor => {
  const [a, b, dt] = operands('add', x, y);
  const out = kernel('add', a, b, dt, castAlpha('add', alpha, dt));
  return wantsGrad(a, b) ? record(out, 'AddBackward0', [a, b], { a, b, alpha }) : out;
});

const subReport = { inputs: 2, attrs: (...a: unknown[]) => ({ alpha: a[2] ?? 1 }) };

/** a − alpha·b, broadcasting. */
export const sub = defineOp('sub', subReport, (x: Operand, y: Operand, alpha: number = 1): Tensor => {
  const [a, b, dt] = operands('sub', x, y);
  const out = kernel('sub', a, b, dt, castAlpha('sub', alpha, dt));
  if (!wantsGrad(a, b)) return out;
  return record(out, typeof x === 'number' ? 'RsubBackward1' : 'SubBackward0', [a, b], { a, b, alpha });
});

export const mul = defineOp('mul', { inputs: 2 }, (x: Operand, y: Operand): Tensor => {
  const [a, b, dt] = operands('mul', x, y);
  const out = kernel('mul', a, b, dt);
  if (!wantsGrad(a, b)) return out;
  // Each input's gradient reads the other input; only those are saved (and version-checked).
  const saved = [...(a.requiresGrad ? [b] : []), ...(b.requiresGrad ? [a] : [])];
  return record(out, 'MulBackward0', [a, b], { a, b }, saved);
});

/**
 * `owned · other`, where `owned` is a fresh intermediate that only the caller holds (a backward
 * formula's factor, e.g. σ's y·(1 − y)): when nothing records or traces and the product keeps
 * owned's shape and floating dtype, it is written into owned's memory, one tensor fewer;
 * otherwise it is `mul(owned, other)`. The values are mul's either way (a product does not
 * depend on the order of its factors).
 */
export function mulOwned(owned: Tensor, other: Tensor): Tensor {
  if (
    tracing ||
    wantsGrad(owned, other) ||
    owned.dtype !== other.dtype ||
    !isFloating(owned.dtype) ||
    owned.storage === other.storage ||
    owned._base !== null ||
    owned.offset !== 0 ||
    !sameShape(owned.shape, other.shape) ||
    !owned.isContiguous()
  ) {
    return mul(owned, other);
  }
  binaryInPlace('mul', owned, other);
  return owned;
}

/** True division: integer operands give float32, like `torch.div`. */
export const div = defineOp('div', { inputs: 2 }, (x: Operand, y: Operand): Tensor => {
  const common = commonDType(x, y);
  const [a, b, dt] = operands('div', x, y, isFloating(common) ? common : 'float32');
  const out = kernel('div', a, b, dt);
  return wantsGrad(a, b) ? record(out, 'DivBackward0', [a, b], { a, b }, b.requiresGrad ? [a, b] : [b]) : out;
});

const powReport = { inputs: 2, attrs: (...a: unknown[]) => ({ exponent: typeof a[1] === 'number' ? a[1] : null }) };

/**
 * Elementwise power; either side may be a number. Like PyTorch, a number exponent records
 * PowBackward0, a tensor exponent PowBackward1 and a number base PowBackward2.
 */
export const pow = defineOp('pow', powReport, (x: Operand, y: Operand): Tensor => {
  if (x instanceof Tensor && typeof y === 'number') return powScalar(x, y);
  const [a, b, dt] = operands('pow', x, y);
  if (dt === 'int32') checkIntExponent(b);
  const out = kernel('pow', a, b, dt);
  return record(out, x instanceof Tensor ? 'PowBackward1' : 'PowBackward2', [a, b], { a, b, out }, [a, b, out]);
});

/** x ** e for a number exponent; the gradient e·x^(e−1) is taken as 0 when e = 0. */
function powScalar(x: Tensor, e: number): Tensor {
  if (e === 2 && x.dtype !== 'int32') return square(x);
  const [a, b, dt] = operands('pow', x, e);
  if (dt === 'int32') checkIntExponent(b);
  return record(kernel('pow', a, b, dt), 'PowBackward0', [a], { x: a, e }, [a]);
}

/** PyTorch refuses negative exponents of integers (the result would be a fraction). */
function checkIntExponent(e: Tensor): void {
  if (e._device.memory.readSync === undefined) return; // unreadable inside a synchronous op
  const d = e.contiguous().data;
  for (let i = 0; i < d.length; i++) {
    if (d[i] < 0) throw new RangeError('pow: Integers to negative integer powers are not allowed.');
  }
}

function extremum(op: 'maximum' | 'minimum', x: Operand, y: Operand): Tensor {
  const [a, b, dt] = operands(op, x, y);
  const name = op === 'maximum' ? 'MaximumBackward0' : 'MinimumBackward0';
  return record(kernel(op, a, b, dt), name, [a, b], { a, b }, [a, b]);
}

/** Elementwise maximum (NaN propagates). */
export const maximum = defineOp('maximum', { inputs: 2 }, (x: Operand, y: Operand): Tensor => extremum('maximum', x, y));

/** Elementwise minimum (NaN propagates). */
export const minimum = defineOp('minimum', { inputs: 2 }, (x: Operand, y: Operand): Tensor => extremum('minimum', x, y));

function compare(op: 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'and' | 'or', x: Operand, y: Operand): Tensor {
  const [a, b] = operands(op, x, y);
  return kernel(op, a, b, 'bool');
}

export const eq = defineOp('eq', { inputs: 2 }, (x: Operand, y: Operand): Tensor => compare('eq', x, y));
export const ne = defineOp('ne', { inputs: 2 }, (x: Operand, y: Operand): Tensor => compare('ne', x, y));
export const lt = defineOp('lt', { inputs: 2 }, (x: Operand, y: Operand): Tensor => compare('lt', x, y));
export const le = defineOp('le', { inputs: 2 }, (x: Operand, y: Operand): Tensor => compare('le', x, y));
export const gt = defineOp('gt', { inputs: 2 }, (x: Operand, y: Operand): Tensor => compare('gt', x, y));
export const ge = defineOp('ge', { inputs: 2 }, (x: Operand, y: Operand): Tensor => compare('ge', x, y));
export const logicalAnd = defineOp('logicalAnd', { inputs: 2 }, (x: Operand, y: Operand): Tensor => compare('and', x, y));
export const logicalOr = defineOp('logicalOr', { inputs: 2 }, (x: Operand, y: Operand): Tensor => compare('or', x, y));

/** `cond ? x : y` elementwise, broadcasting all three. */
export const where = defineOp('where', { inputs: 3 }, (cond: Tensor, x: Operand, y: Operand): Tensor => {
  if (cond.dtype !== 'bool') throw new TypeError(`where: condition must be a bool tensor (got ${cond.dtype})`);
  const [a, b, dt] = operands('where', x, y, undefined, cond);
  const shape = broadcastShapes('where', broadcastShapes('where', cond.shape, a.shape), b.shape);
  const dev = sameDevice('where', cond, a, b);
  const out = Tensor._empty(shape, dt, dev);
  dev.kernels.where(broadcastStrided(cond, shape), broadcastStrided(a, shape), broadcastStrided(b, shape), shape, out.storage.buffer);
  return record(out, 'WhereBackward0', [a, b], { cond, a, b });
});

// PyTorch's CPU kernels scale t1 first: self + (value·t1)·t2 and self + (value·t1)/t2, each step
// rounded in the tensor's dtype. Keeping that order keeps optimizer updates bit-compatible.

/** self + value · t1 · t2, like `torch.addcmul`. */
export function addcmul(self: Tensor, t1: Tensor, t2: Tensor, value = 1): Tensor {
  return add(self, mul(value === 1 ? t1 : mul(t1, value), t2));
}

/** self + value · t1 / t2, like `torch.addcdiv`. */
export function addcdiv(self: Tensor, t1: Tensor, t2: Tensor, value = 1): Tensor {
  return add(self, div(value === 1 ? t1 : mul(t1, value), t2));
}

/**
 * ReLU's gradient from its output (PyTorch's threshold_backward): 0 where `out` ≤ 0, else `g`, in
 * one pass. Differentiable in `g`, so second derivatives through ReLU stay exact.
 */
export function reluGrad(g: Tensor, out: Tensor): Tensor {
  return record(kernel('reluGrad', g, out, g.dtype), 'ThresholdBackwardBackward0', [g], { out }, [out]);
}
