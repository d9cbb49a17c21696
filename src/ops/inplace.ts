import { isGradEnabled } from '../autograd/grad-mode.js';
import { record } from '../autograd/record.js';
import { stridedOf } from '../backend/backend.js';
import { sameDevice } from '../backend/device.js';
import { canCast, isFloating, resultType } from '../tensor/dtype.js';
import { broadcastShapes, sameShape, shapeStr } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { add, addcdiv, addcmul, binaryInPlace, div, mul, sub } from './binary.js';
import { materialize, to, toDevice } from './convert.js';
import { zerosLike } from './creation.js';
import { broadcastStrided, type Operand } from './operand.js';
import { sumTo } from './reduce.js';
import { traced, tracing } from './trace.js';
import { clamp } from './unary.js';

/**
 * Refuses in-place writes that would silently break autograd: a leaf that requires grad cannot be
 * modified while grad mode is on (PyTorch's rule), nor can a view whose base requires grad or
 * whose update would have to be recorded (PyTorch rebases the base's history; nabla does not).
 */
function checkWritable(op: string, t: Tensor, recording: boolean): void {
  if (!isGradEnabled()) return;
  if (t.isLeaf && t.requiresGrad) {
    throw new Error(`${op}: a leaf tensor that requires grad is being used in an in-place operation; wrap the update in noGrad(() => …)`);
  }
  if (t._base !== null && (t._base.requiresGrad || recording)) {
    throw new Error(`${op}: in-place modification of a view of a tensor that requires grad is not supported; use the out-of-place op`);
  }
}

/** Writes `values` (same shape as `t`) into `t`'s memory and bumps its version counter. */
function writeInto(op: string, t: Tensor, values: Tensor): void {
  if (!sameShape(values.shape, t.shape)) {
    throw new RangeError(`${op}: output with shape ${shapeStr(t.shape)} doesn't match the broadcast shape ${shapeStr(values.shape)}`);
  }
  if (!canCast(values.dtype, t.dtype)) {
    throw new TypeError(`${op}: result type ${values.dtype} can't be cast to the desired output type ${t.dtype}`);
  }
  sameDevice(op, t, values).kernels.copy(stridedOf(values), stridedOf(t), t.shape);
  t.storage.version++;
}

/**
 * Runs an in-place op as "compute out of place, write back". When the graph is recorded, `t`
 * takes the result's grad_fn, so later ops differentiate through the update (PyTorch's
 * rebase_history); formulas that saved the tensors t was computed from detect the overwrite
 * through the version check.
 */
function inplace(
  op: string,
  t: Tensor,
  others: readonly Operand[],
  compute: (self: Tensor) => Tensor,
  attrs: Record<string, unknown> = {},
): Tensor {
  if (tracing) return traced(op, [t, ...others], () => inplace(op, t, others, compute), attrs);
  const recording = isGradEnabled() && (t.requiresGrad || others.some((o) => o instanceof Tensor && o.requiresGrad));
  checkWritable(op, t, recording);
  let self = t;
  if (recording) {
    // A stand-in for t's value before the update that keeps its history, in its own memory: the
    // formula of the op (mul_, div_, clamp_) may save it, and t's memory is about to change.
    self = materialize(t);
    self.gradFn = t.gradFn;
  }
  const result = compute(self);
  writeInto(op, t, result);
  if (recording) t.gradFn = result.gradFn;
  return t;
}

/**
 * Whether `t op= other` can be computed straight into t's memory: no graph to record (optimizer
 * updates under noGrad), t contiguous and keeping its floating dtype and shape, and `other` not
 * sharing t's memory. Saves a full-size temporary and a copy per update.
 */
function directUpdate(t: Tensor, other: Operand): boolean {
  if (tracing || isGradEnabled() || !isFloating(t.dtype) || !t.isContiguous()) return false;
  if (!(other instanceof Tensor)) return typeof other === 'number';
  if (other.storage === t.storage || resultType(t, other) !== t.dtype) return false;
  const shape = broadcastShapes('in-place', t.shape, other.shape);
  return sameShape(shape, t.shape);
}

function binaryUpdate(op: 'add' | 'sub' | 'mul' | 'div', t: Tensor, other: Operand, alpha: number, compute: (s: Tensor) => Tensor): Tensor {
  if (directUpdate(t, other)) {
    checkWritable(`${op}_`, t, false);
    binaryInPlace(op, t, other, alpha);
    t.storage.version++;
    return t;
  }
  return inplace(`${op}_`, t, [other], compute, op === 'add' || op === 'sub' ? { alpha } : {});
}

export const add_ = (t: Tensor, other: Operand, alpha = 1): Tensor => binaryUpdate('add', t, other, alpha, (s) => add(s, other, alpha));
export const sub_ = (t: Tensor, other: Operand, alpha = 1): Tensor => binaryUpdate('sub', t, other, alpha, (s) => sub(s, other, alpha));
export const mul_ = (t: Tensor, other: Operand): Tensor => binaryUpdate('mul', t, other, 1, (s) => mul(s, other));
export const div_ = (t: Tensor, other: Operand): Tensor => binaryUpdate('div', t, other, 1, (s) => div(s, other));
export const clamp_ = (t: Tensor, min?: number | null, max?: number | null): Tensor =>
  inplace('clamp_', t, [], (s) => clamp(s, min, max), { min: min ?? null, max: max ?? null });

/** t += value · t1 · t2 (optimizers' second-moment updates). */
export const addcmul_ = (t: Tensor, t1: Tensor, t2: Tensor, value = 1): Tensor =>
  inplace('addcmul_', t, [t1, t2], (s) => addcmul(s, t1, t2, value), { value });

/** t += value · t1 / t2 (Adam's update). */
export const addcdiv_ = (t: Tensor, t1: Tensor, t2: Tensor, value = 1): Tensor =>
  inplace('addcdiv_', t, [t1, t2], (s) => addcdiv(s, t1, t2, value), { value });

/**
 * Records that `t` was overwritten (copy_, fill_): its old value gets a zero gradient (PyTorch's
 * CopyBackwards/FillBackward keep the old history in the graph), `src` (if any) the gradient.
 */
function overwritten(t: Tensor, name: string, src: Tensor | null): void {
  if (!isGradEnabled()) return;
  let old: Tensor | null = null;
  if (t.gradFn !== null) {
    // A stand-in for t's old value that keeps its history; its data is never read.
    old = new Tensor(t.storage, t.shape, t.strides, t.offset, t.dtype);
    old.gradFn = t.gradFn;
    t.gradFn = null;
  }
  const srcShape = src?.shape ?? [];
  const srcDtype = src?.dtype ?? t.dtype;
  record(t, name, [old, src], (g) => [old ? zerosLike(g) : null, src ? sumTo(to(g, srcDtype), srcShape) : null]);
}

/** Copies `src` (broadcast, converted to t's dtype) into `t`; gradients flow to `src`. */
export function copy_(t: Tensor, source: Tensor | number): Tensor {
  if (typeof source === 'number') return fill_(t, source);
  if (tracing) return traced('copy_', [t, source], () => copy_(t, source));
  // Like PyTorch's copy_, the source may live on another device: it is moved first.
  const src = source._device === t._device ? source : toDevice(source, t._device, 'copy_');
  checkWritable('copy_', t, isGradEnabled() && (src.requiresGrad || t.requiresGrad));
  // Explicit copies may narrow dtypes (float → int), unlike arithmetic in-place ops.
  const shape = broadcastShapes('copy_', src.shape, t.shape);
  if (!sameShape(shape, t.shape)) {
    throw new RangeError(`copy_: source of shape ${shapeStr(src.shape)} cannot be broadcast to ${shapeStr(t.shape)}`);
  }
  t._device.kernels.copy(broadcastStrided(src, t.shape), stridedOf(t), t.shape);
  t.storage.version++;
  overwritten(t, 'CopyBackwards', src);
  return t;
}

/** Sets every element to `value`. */
export function fill_(t: Tensor, value: number | boolean, name = 'FillBackward2'): Tensor {
  if (tracing) return traced(name === 'ZeroBackward0' ? 'zero_' : 'fill_', [t], () => fill_(t, value, name));
  checkWritable(name === 'ZeroBackward0' ? 'zero_' : 'fill_', t, isGradEnabled() && t.requiresGrad);
  t._device.kernels.fill(stridedOf(t), t.shape, Number(value));
  t.storage.version++;
  overwritten(t, name, null);
  return t;
}

/** Sets every element to zero. */
export const zero_ = (t: Tensor): Tensor => fill_(t, 0, 'ZeroBackward0');
