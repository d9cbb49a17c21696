import { inBf16 } from '../autocast/bf16.js';
import { type MatmulOperand, matmulBf16 } from '../autocast/dispatch.js';
import { noGrad } from '../autograd/grad-mode.js';
import { record, wantsGrad } from '../autograd/record.js';
import { stridedOf } from '../backend/backend.js';
import { sameDevice } from '../backend/device.js';
import { broadcastShapes, numelOf, shapeStr } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { mul } from './binary.js';
import { contiguous, materialize } from './convert.js';
import { defineOp } from './define.js';
import { tracing } from './trace.js';
import { expand, reshape, squeeze, transpose, unsqueeze } from './views.js';

function checkOperands(a: Tensor, b: Tensor): void {
  if (a.ndim === 0 || b.ndim === 0) {
    throw new RangeError(`matmul: both arguments need at least 1 dimension (got shapes ${shapeStr(a.shape)} and ${shapeStr(b.shape)})`);
  }
  if (a.dtype !== b.dtype) {
    throw new TypeError(`matmul: expected both operands to have the same dtype, got ${a.dtype} and ${b.dtype}`);
  }
  if (a.dtype === 'bool') throw new TypeError('matmul: not implemented for bool tensors');
  const ka = a.shape[a.ndim - 1];
  const kb = b.ndim === 1 ? b.shape[0] : b.shape[b.ndim - 2];
  if (ka !== kb) {
    throw new RangeError(`matmul: shapes ${shapeStr(a.shape)} and ${shapeStr(b.shape)} cannot be multiplied (${ka} ≠ ${kb})`);
  }
  // Batch dims, compared from the right (indices rather than slices: this runs on every product).
  const na = a.ndim - 2;
  const nb = b.ndim - 2;
  for (let i = 1; i <= Math.min(na, nb); i++) {
    const da = a.shape[na - i];
    const db = b.shape[nb - i];
    if (da !== db && da !== 1 && db !== 1) {
      throw new RangeError(
        `matmul: batch dimensions of shapes ${shapeStr(a.shape)} and ${shapeStr(b.shape)} cannot be broadcast ` +
          `(${da} ≠ ${db} at batch dimension ${-i})`,
      );
    }
  }
}

/** Whether `x` with its last two dims swapped is row-major without gaps (a `transpose(-1, -2)` view). */
function isTransposedContiguous(x: Tensor): boolean {
  const n = x.ndim;
  let expected = 1;
  for (let i = n - 1; i >= 0; i--) {
    const d = i === n - 1 ? n - 2 : i === n - 2 ? n - 1 : i;
    const size = x.shape[d];
    if (size !== 1 && x.strides[d] !== expected) return false;
    expected *= size;
  }
  return true;
}

/**
 * How the kernel reads `x`'s matrices: in place when they are row-major, or the transpose of
 * row-major (a `transpose(-1, -2)` view, as backward passes make), else from a contiguous copy.
 * A single matrix used by a whole batch gets batch stride 0.
 */
function batched(x: Tensor, batchShape: readonly number[], full: number): MatmulOperand {
  const n = x.ndim;
  const rows = x.shape[n - 2];
  const cols = x.shape[n - 1];
  let own = 1;
  for (let i = 0; i < n - 2; i++) own *= x.shape[i];
  const stride = own === 1 && full !== 1 ? 0 : rows * cols;
  if (own === full || own === 1) {
    if (x.isContiguous()) return { data: x, stride, trans: false };
    if (isTransposedContiguous(x)) return { data: x, stride, trans: true };
    return { data: contiguous(x), stride, trans: false };
  }
  return { data: materialize(expand(x, [...batchShape, rows, cols])), stride: rows * cols, trans: false };
}

const NO_BATCH: readonly number[] = [];

/**
 * The values of [..., m, k] @ [..., k, n] with broadcast batch dims (both ≥ 2-D), without
 * recording, in a fresh tensor of `shape` (default [...batch, m, n]; the same number of elements).
 */
function product(a: Tensor, b: Tensor, shape?: readonly number[]): Tensor {
  const m = a.shape[a.ndim - 2];
  const k = a.shape[a.ndim - 1];
  const n = b.shape[b.ndim - 1];
  const batchShape = a.ndim === 2 && b.ndim === 2 ? NO_BATCH : broadcastShapes('matmul', a.shape.slice(0, -2), b.shape.slice(0, -2));
  const batch = numelOf(batchShape);
  const dev = sameDevice('matmul', a, b);
  const A = batched(a, batchShape, batch);
  const B = batched(b, batchShape, batch);
  const out = Tensor._empty(shape ?? [...batchShape, m, n], a.dtype, dev);
  if (inBf16(dev, a.dtype)) {
    matmulBf16(dev, A, B, out, batch, m, k, n);
    return out;
  }
  dev.kernels.matmul(A.data._buffer(), A.stride, A.trans, B.data._buffer(), B.stride, B.trans, out.storage.buffer, batch, m, k, n);
  return out;
}

/** [..., m, k] @ [..., k, n] with broadcast batch dims, both ≥ 2-D. */
function matmulNd(a: Tensor, b: Tensor): Tensor {
  const out = product(a, b);
  if (!wantsGrad(a, b)) return out;
  const name = a.ndim === 2 && b.ndim === 2 ? 'MmBackward0' : 'BmmBackward0';
  const bf16 = inBf16(a.storage.device, a.dtype);
  return record(out, name, [a, b], { a, b, bf16 }, [a, b]);
}

/**
 * Matrix product with torch.matmul's rules: 1-D·1-D is a dot product, 2-D·2-D a matrix product,
 * a 1-D operand gains a dim that is removed afterwards, and ≥3-D operands broadcast batch dims.
 */
export const matmul = defineOp('matmul', { inputs: 2 }, (a: Tensor, b: Tensor): Tensor => {
  checkOperands(a, b);
  if (a.ndim === 1 && b.ndim === 1) {
    const out = noGrad(() => product(unsqueeze(a, 0), unsqueeze(b, 1), []));
    return record(out, 'DotBackward0', [a, b], { a, b, bf16: inBf16(a.storage.device, a.dtype) }, [a, b]);
  }
  if (a.ndim === 2 && b.ndim === 1) {
    const out = noGrad(() => product(a, unsqueeze(b, 1), [a.shape[0]]));
    return record(out, 'MvBackward0', [a, b], { a, b, bf16: inBf16(a.storage.device, a.dtype) }, [a, b]);
  }
  if (a.ndim === 1) return squeeze(matmulNd(unsqueeze(a, 0), b), -2);
  if (b.ndim === 1) return squeeze(matmulNd(a, unsqueeze(b, 1)), -1);
  return matmulNd(a, b);
});

/**
 * How the kernel reads the transpose of 2-D `x` without making the view: the flag `batched`
 * would give `transpose(x)`, or null when that view would need a contiguous copy.
 */
function transposedFlag(x: Tensor): boolean | null {
  if (isTransposedContiguous(x)) return false; // the transposed view is row-major
  if (x.isContiguous()) return true;
  return null;
}

/**
 * `op(a) @ op(b)` for 2-D operands, op the transpose where asked: what backward formulas of
 * matrix products compute (`g @ bᵀ`, `aᵀ @ g`). When nothing records or traces, the kernel reads
 * the transposes through its flags, exactly as it reads `transpose` views, without making them;
 * otherwise (and for other ranks, copies, bf16) it is `matmul` of the views.
 */
export function matmulT(a: Tensor, transA: boolean, b: Tensor, transB: boolean): Tensor {
  if (!tracing && a.ndim === 2 && b.ndim === 2 && a.dtype === b.dtype && a.dtype !== 'bool' && !wantsGrad(a, b)) {
    const m = a.shape[transA ? 1 : 0];
    const k = a.shape[transA ? 0 : 1];
    const n = b.shape[transB ? 0 : 1];
    const ta = transA ? transposedFlag(a) : a.isContiguous() ? false : isTransposedContiguous(a) ? true : null;
    const tb = transB ? transposedFlag(b) : b.isContiguous() ? false : isTransposedContiguous(b) ? true : null;
    const dev = sameDevice('matmul', a, b);
    if (k === b.shape[transB ? 1 : 0] && ta !== null && tb !== null && !inBf16(dev, a.dtype)) {
      const out = Tensor._empty([m, n], a.dtype, dev);
      dev.kernels.matmul(
        a._buffer(),
        a.shape[0] * a.shape[1],
        ta,
        b._buffer(),
        b.shape[0] * b.shape[1],
        tb,
        out.storage.buffer,
        1,
        m,
        k,
        n,
      );
      return out;
    }
  }
  return matmul(transA ? transpose(a, -1, -2) : a, transB ? transpose(b, -1, -2) : b);
}

/** 2-D matrix product. */
export function mm(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 2 || b.ndim !== 2)
    throw new RangeError(`mm: expects 2-D tensors (got shapes ${shapeStr(a.shape)} and ${shapeStr(b.shape)})`);
  return matmul(a, b);
}

/** Batched 3-D matrix product. */
export function bmm(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 3 || b.ndim !== 3 || a.shape[0] !== b.shape[0]) {
    throw new RangeError(`bmm: expects 3-D tensors with equal batch sizes (got shapes ${shapeStr(a.shape)} and ${shapeStr(b.shape)})`);
  }
  return matmul(a, b);
}

/** Dot product of two 1-D tensors. */
export function dot(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 1 || b.ndim !== 1)
    throw new RangeError(`dot: expects 1-D tensors (got shapes ${shapeStr(a.shape)} and ${shapeStr(b.shape)})`);
  return matmul(a, b);
}

/** Outer product of two 1-D tensors: [n] ⊗ [m] → [n, m]. */
export function outer(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 1 || b.ndim !== 1)
    throw new RangeError(`outer: expects 1-D tensors (got shapes ${shapeStr(a.shape)} and ${shapeStr(b.shape)})`);
  return mul(unsqueeze(a, 1), b);
}

/**
 * `diag(v)` of a 1-D tensor is the square matrix with v on diagonal `offset`; `diag(M)` of a 2-D
 * tensor is the 1-D diagonal `offset` of M.
 */
export const diag = defineOp('diag', { attrs: (...a) => ({ offset: a[1] ?? 0 }) }, (x: Tensor, offset: number = 0): Tensor => {
  if (x.ndim !== 1 && x.ndim !== 2) throw new RangeError(`diag: expects a 1-D or 2-D tensor (got shape ${shapeStr(x.shape)})`);
  const r0 = offset < 0 ? -offset : 0; // first row of the diagonal
  const c0 = Math.max(offset, 0); // first column
  const src = stridedOf(x);
  let out: Tensor;
  // The diagonal is a strided view (one step down and one right per element): a copy kernel moves it.
  if (x.ndim === 1) {
    const n = x.shape[0] + Math.abs(offset);
    out = Tensor._empty([n, n], x.dtype, x._device);
    x._device.kernels.copy(src, { buf: out.storage.buffer, offset: r0 * n + c0, strides: [n + 1] }, x.shape);
  } else {
    const [rows, cols] = x.shape;
    const len = Math.max(0, Math.min(rows - r0, cols - c0));
    out = Tensor._empty([len], x.dtype, x._device);
    const [s0, s1] = x.strides;
    x._device.kernels.copy({ buf: src.buf, offset: x.offset + r0 * s0 + c0 * s1, strides: [s0 + s1] }, stridedOf(out), [len]);
  }
  const inShape = x.shape;
  return record(out, 'DiagBackward0', [x], { inShape, offset });
});

/** The flattened input as diagonal `offset` of a square matrix. */
export function diagflat(x: Tensor, offset = 0): Tensor {
  return diag(reshape(x, [-1]), offset);
}
