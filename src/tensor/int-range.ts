/**
 * nabla's integer dtype is int32 (PyTorch's int64 maps to it), so values PyTorch would hold in
 * 64 bits must be refused, never wrapped: creation from numbers, scalar operands, integer
 * arithmetic and integer sums all check their results with these helpers.
 */
export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;

/** The error for an integer value that int32 cannot hold. */
export function int32RangeError(op: string, value: number): RangeError {
  return new RangeError(
    `${op}: ${value} is outside nabla's int32 range [${INT32_MIN}, ${INT32_MAX}] (nabla stores PyTorch's int64 as int32 and never wraps); use dtype 'float64' for larger values`,
  );
}

/** Throws {@link int32RangeError} for the first value int32 cannot hold (NaN and ±Infinity included). */
export function checkInt32(op: string, values: ArrayLike<number | boolean>): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'boolean') continue;
    if (!(v >= INT32_MIN && v <= INT32_MAX)) throw int32RangeError(op, v);
  }
}
