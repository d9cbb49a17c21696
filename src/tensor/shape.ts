/** Shape arithmetic shared by tensors and ops: sizes, strides, broadcasting, dim wrapping. */

export function numelOf(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

/** Row-major (C-contiguous) strides for `shape`. */
export function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

/** Whether a view with these shape/strides is laid out row-major without gaps. */
export function isContiguous(shape: readonly number[], strides: readonly number[]): boolean {
  let expected = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] !== 1 && strides[i] !== expected) return false;
    expected *= shape[i];
  }
  return true;
}

export function shapeStr(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Wraps a possibly negative `dim` into [0, ndim), naming `op` in the error. */
export function normalizeDim(op: string, dim: number, ndim: number): number {
  // A 0-d tensor accepts dim 0 and -1, like PyTorch.
  const n = Math.max(ndim, 1);
  if (!Number.isInteger(dim) || dim < -n || dim >= n) {
    throw new RangeError(`${op}: dimension ${dim} out of range (expected to be in range of [${-n}, ${n - 1}])`);
  }
  return dim < 0 ? dim + n : dim;
}

/** Normalizes a dim list (or all dims when undefined), rejecting repeats. */
export function normalizeDims(op: string, dims: number | readonly number[] | undefined, ndim: number): number[] {
  if (dims === undefined) return Array.from({ length: ndim }, (_, i) => i);
  const list = typeof dims === 'number' ? [dims] : dims;
  const out = list.map((d) => normalizeDim(op, d, ndim));
  if (new Set(out).size !== out.length) {
    throw new RangeError(`${op}: dim ${list.join(', ')} appears multiple times in the list of dims`);
  }
  // A 0-d tensor has nothing to reduce over, even when dim 0 is named.
  return ndim === 0 ? [] : out.sort((a, b) => a - b);
}

/** NumPy/PyTorch broadcasting of two shapes; throws naming `op` and both shapes. */
export function broadcastShapes(op: string, a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    // Missing leading dims are 1 (indices checked: reading a[-1] leaves V8's fast path).
    const ia = a.length - n + i;
    const ib = b.length - n + i;
    const da = ia >= 0 ? a[ia] : 1;
    const db = ib >= 0 ? b[ib] : 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new RangeError(
        `${op}: shapes ${shapeStr(a)} and ${shapeStr(b)} cannot be broadcast together ` + `(size ${da} ≠ ${db} at dimension ${i - n})`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Validates a user-given shape: non-negative integers. Resolves one -1 against `numel` if given. */
export function checkShape(op: string, shape: readonly number[], numel?: number): number[] {
  let infer = -1;
  let known = 1;
  shape.forEach((s, i) => {
    if (s === -1 && numel !== undefined) {
      if (infer >= 0) throw new RangeError(`${op}: only one dimension can be inferred (-1) in ${shapeStr(shape)}`);
      infer = i;
    } else if (!Number.isInteger(s) || s < 0) {
      throw new RangeError(`${op}: invalid shape ${shapeStr(shape)} (sizes must be non-negative integers)`);
    } else {
      known *= s;
    }
  });
  const out = [...shape];
  if (infer >= 0 && numel !== undefined) {
    if (known === 0 || numel % known !== 0) {
      throw new RangeError(`${op}: shape ${shapeStr(shape)} is invalid for input of size ${numel}`);
    }
    out[infer] = numel / known;
  }
  if (numel !== undefined && numelOf(out) !== numel) {
    throw new RangeError(`${op}: shape ${shapeStr(shape)} is invalid for input of size ${numel}`);
  }
  return out;
}
