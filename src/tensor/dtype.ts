/** Element types nabla tensors can hold. PyTorch's int64 maps to `int32`. */
export type DType = 'float32' | 'float64' | 'int32' | 'bool';

/** The TypedArray that stores each dtype (bool is one byte per element, 0 or 1). */
export interface TypedArrayFor {
  float32: Float32Array;
  float64: Float64Array;
  int32: Int32Array;
  bool: Uint8Array;
}

/** Any storage array a tensor may own. */
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

/** The dtype used when none is given and the data is floating point. */
export const defaultFloatDType: DType = 'float32';

const ctors = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  bool: Uint8Array,
} as const;

/** Throws a TypeError naming `fn` unless `dtype` is one of nabla's dtypes. */
export function checkDType(fn: string, dtype: unknown): asserts dtype is DType {
  if (typeof dtype === 'string' && Object.hasOwn(ctors, dtype)) return;
  const hint =
    dtype === 'int64' || dtype === 'long' || dtype === 'int'
      ? " (PyTorch's int64/long maps to 'int32' in nabla)"
      : dtype === 'float16' || dtype === 'half' || dtype === 'bfloat16'
        ? " (half precision is not supported; use 'float32')"
        : dtype === 'float' || dtype === 'double'
          ? ` (write '${dtype === 'float' ? 'float32' : 'float64'}')`
          : '';
  throw new TypeError(
    `${fn}: unsupported dtype ${typeof dtype === 'string' ? `'${dtype}'` : String(dtype)}${hint}; valid dtypes are 'float32', 'float64', 'int32' and 'bool'`,
  );
}

/** Allocates a zero-filled array of `n` elements for `dtype`. */
export function allocate<D extends DType>(dtype: D, n: number): TypedArrayFor[D] {
  // One constructor call site per dtype (monomorphic), rather than a looked-up constructor.
  switch (dtype as DType) {
    case 'float32':
      return new Float32Array(n) as TypedArrayFor[D];
    case 'float64':
      return new Float64Array(n) as TypedArrayFor[D];
    case 'int32':
      return new Int32Array(n) as TypedArrayFor[D];
    case 'bool':
      return new Uint8Array(n) as TypedArrayFor[D];
  }
  checkDType('allocate', dtype);
  throw new Error('unreachable');
}

/** The dtype whose storage is `arr`. */
export function dtypeOfArray(arr: TypedArray): DType {
  if (arr instanceof Float32Array) return 'float32';
  if (arr instanceof Float64Array) return 'float64';
  if (arr instanceof Int32Array) return 'int32';
  return 'bool';
}

export function isFloating(d: DType): boolean {
  return d === 'float32' || d === 'float64';
}

/** PyTorch's name for a dtype, for messages and printing. */
export function torchName(d: DType): string {
  return `torch.${d}`;
}

// Category order of PyTorch's type promotion: bool < integral < floating.
function category(d: DType): number {
  return d === 'bool' ? 0 : d === 'int32' ? 1 : 2;
}

/** The result dtype of combining two tensors of these dtypes (both dimensioned). */
export function promoteTypes(a: DType, b: DType): DType {
  if (a === b) return a;
  const ca = category(a);
  const cb = category(b);
  if (ca !== cb) return ca > cb ? a : b;
  // Both floating and different: float64 wins.
  return 'float64';
}

/** An operand for type promotion: a tensor's dtype and rank, or a JS number/boolean. */
export type PromotionOperand = { dtype: DType; ndim: number } | number | boolean;

/**
 * PyTorch's result_type: dimensioned tensors take priority over 0-d tensors, which take priority
 * over Python scalars, except that a lower-priority operand of a higher category lifts the result
 * to that category (int tensor + 2.5 → float32, float32 tensor + float64 0-d tensor → float32).
 */
export function resultType(...ops: PromotionOperand[]): DType {
  let dim: DType | null = null;
  let zero: DType | null = null;
  let scalar: DType | null = null;
  const join = (cur: DType | null, d: DType) => (cur === null ? d : promoteTypes(cur, d));
  for (const op of ops) {
    if (typeof op === 'number') {
      scalar = join(scalar, Number.isInteger(op) ? 'int32' : defaultFloatDType);
    } else if (typeof op === 'boolean') {
      scalar = join(scalar, 'bool');
    } else if (op.ndim === 0) {
      zero = join(zero, op.dtype);
    } else {
      dim = join(dim, op.dtype);
    }
  }
  let out = dim ?? zero ?? scalar ?? defaultFloatDType;
  for (const lower of [zero, scalar]) {
    if (lower !== null && category(lower) > category(out)) {
      out = category(lower) === 2 ? (lower === zero ? lower : defaultFloatDType) : lower;
    }
  }
  return out;
}

/** Whether a value of dtype `from` may be written into a tensor of dtype `to` (in-place ops). */
export function canCast(from: DType, to: DType): boolean {
  return category(from) <= category(to);
}
