// Elementwise float32 kernels with SIMD128 over contiguous rows. Every result equals the
// TypeScript reference's (a double computation rounded once to float32): float32 add, sub, mul,
// div and sqrt of float32 operands are correctly rounded, so they round exactly like it; add/sub
// with alpha ≠ 1 compute in double (f64x2), as the reference does.

// Unary op codes (the order of UNARY_OPS in src/backend/wasm/elementwise.ts).
const NEG = 0;
const ABS = 1;
const SIGN = 2;
const SQRT = 3;
const RECIPROCAL = 4;
const SQUARE = 5;
const RELU = 6;

// @ts-ignore: decorator
@inline
function unaryVec(op: i32, v: v128): v128 {
  const zero = f32x4.splat(0);
  switch (op) {
    case NEG:
      return f32x4.neg(v);
    case ABS:
      return f32x4.abs(v);
    case SIGN: {
      // (0 < v) − (v < 0): 0 for ±0 and NaN.
      const one = f32x4.splat(1);
      return f32x4.sub(v128.and(f32x4.gt(v, zero), one), v128.and(f32x4.lt(v, zero), one));
    }
    case SQRT:
      return f32x4.sqrt(v);
    case RECIPROCAL:
      return f32x4.div(f32x4.splat(1), v);
    case SQUARE:
      return f32x4.mul(v, v);
    default:
      // relu: only negatives become 0 (NaN and −0 pass).
      return v128.bitselect(zero, v, f32x4.lt(v, zero));
  }
}

// @ts-ignore: decorator
@inline
function unaryOne(op: i32, v: f32): f32 {
  switch (op) {
    case NEG:
      return -v;
    case ABS:
      return abs<f32>(v);
    case SIGN:
      return v > 0 ? 1 : v < 0 ? -1 : 0;
    case SQRT:
      return sqrt<f32>(v);
    case RECIPROCAL:
      return 1 / v;
    case SQUARE:
      return v * v;
    default:
      return v < 0 ? 0 : v;
  }
}

/** out[i] = op(x[i]) for n contiguous float32s. */
export function unaryF32(op: i32, x: usize, out: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, unaryVec(op, v128.load(x + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, unaryOne(op, load<f32>(x + o)));
  }
}

// Binary op codes (the order of BINARY_OPS in src/backend/wasm/elementwise.ts).
const ADD = 0;
const SUB = 1;
const MUL = 2;
const DIV = 3;
const MAXIMUM = 4;
const MINIMUM = 5;
const RELU_GRAD = 6;

// @ts-ignore: decorator
@inline
function binaryVec(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case ADD:
      return f32x4.add(a, b);
    case SUB:
      return f32x4.sub(a, b);
    case MUL:
      return f32x4.mul(a, b);
    case DIV:
      return f32x4.div(a, b);
    // wasm's min/max propagate NaN and order −0 below +0, like Math.max/Math.min.
    case MAXIMUM:
      return f32x4.max(a, b);
    case MINIMUM:
      return f32x4.min(a, b);
    default:
      // ReLU's backward: 0 where b ≤ 0, else a (a NaN b passes a).
      return v128.bitselect(f32x4.splat(0), a, f32x4.le(b, f32x4.splat(0)));
  }
}

// @ts-ignore: decorator
@inline
function binaryOne(op: i32, a: f32, b: f32): f32 {
  switch (op) {
    case ADD:
      return a + b;
    case SUB:
      return a - b;
    case MUL:
      return a * b;
    case DIV:
      return a / b;
    case MAXIMUM:
      return a != a || b != b ? NaN : max<f32>(a, b);
    case MINIMUM:
      return a != a || b != b ? NaN : min<f32>(a, b);
    default:
      return b <= 0 ? 0 : a;
  }
}

// One row of `cols` outputs; aStep/bStep are 1 (contiguous) or 0 (one value broadcast).
// @ts-ignore: decorator
@inline
function binaryRow(op: i32, a: usize, aStep: i32, b: usize, bStep: i32, out: usize, cols: i32): void {
  let j = 0;
  if (aStep == 1 && bStep == 1) {
    for (; j + 4 <= cols; j += 4) {
      const o = <usize>j << 2;
      v128.store(out + o, binaryVec(op, v128.load(a + o), v128.load(b + o)));
    }
  } else if (aStep == 1) {
    const bv = v128.load32_splat(b);
    for (; j + 4 <= cols; j += 4) {
      const o = <usize>j << 2;
      v128.store(out + o, binaryVec(op, v128.load(a + o), bv));
    }
  } else if (bStep == 1) {
    const av = v128.load32_splat(a);
    for (; j + 4 <= cols; j += 4) {
      const o = <usize>j << 2;
      v128.store(out + o, binaryVec(op, av, v128.load(b + o)));
    }
  }
  for (; j < cols; j++) {
    store<f32>(out + (<usize>j << 2), binaryOne(op, load<f32>(a + (<usize>(j * aStep) << 2)), load<f32>(b + (<usize>(j * bStep) << 2))));
  }
}

/**
 * out[r, j] = a[r·aRow + j·aCol] op b[r·bRow + j·bCol] over rows × cols (out contiguous), with
 * aCol and bCol 1 or 0 (broadcast along the row).
 */
export function binaryF32(op: i32, a: usize, aRow: i32, aCol: i32, b: usize, bRow: i32, bCol: i32, out: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    binaryRow(
      op,
      a + (<usize>(r * aRow) << 2),
      aCol,
      b + (<usize>(r * bRow) << 2),
      bCol,
      out + (<usize>(r * cols) << 2),
      cols,
    );
  }
}

/** out = a ± alpha·b (sub: sign −1) over n contiguous float32s, in double rounded once. */
export function addScaledF32(a: usize, b: usize, out: usize, n: i32, alpha: f64): void {
  const av = f64x2.splat(alpha);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 2;
    const x = f64x2.promote_low_f32x4(v128.load64_zero(a + o));
    const y = f64x2.promote_low_f32x4(v128.load64_zero(b + o));
    v128.store64_lane(out + o, f32x4.demote_f64x2_zero(f64x2.add(x, f64x2.mul(av, y))), 0);
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, <f32>(<f64>load<f32>(a + o) + alpha * <f64>load<f32>(b + o)));
  }
}

/**
 * Reduces contiguous [outer, size, inner] over its middle axis into [outer, inner] (float32),
 * row by row (so memory is read in order) and vectorized across `inner`, so every output
 * accumulates in the reference's order: sums in double (f64x2, in `acc`, inner doubles of
 * scratch) rounded once, max/min NaN-sticky with the first of equal values kept (op 0 sum,
 * 1 max, 2 min).
 */
export function reduceF32(op: i32, x: usize, outer: i32, size: i32, inner: i32, out: usize, acc: usize): void {
  const rowBytes = <usize>inner << 2;
  const vec = inner & ~3;
  for (let o = 0; o < outer; o++) {
    const base = x + <usize>o * <usize>size * rowBytes;
    const dst = out + <usize>o * rowBytes;
    if (op == 0) {
      memory.fill(acc, 0, <usize>inner << 3);
      for (let r = 0; r < size; r++) {
        const row = base + <usize>r * rowBytes;
        let i = 0;
        for (; i < vec; i += 4) {
          const a = acc + (<usize>i << 3);
          const v = v128.load(row + (<usize>i << 2));
          v128.store(a, f64x2.add(v128.load(a), f64x2.promote_low_f32x4(v)));
          v128.store(a, f64x2.add(v128.load(a, 16), f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1))), 16);
        }
        for (; i < inner; i++) {
          const a = acc + (<usize>i << 3);
          store<f64>(a, load<f64>(a) + <f64>load<f32>(row + (<usize>i << 2)));
        }
      }
      for (let i = 0; i < inner; i++) store<f32>(dst + (<usize>i << 2), <f32>load<f64>(acc + (<usize>i << 3)));
    } else {
      const isMax = op == 1;
      const start: f32 = isMax ? -Infinity : Infinity;
      for (let i = 0; i < inner; i++) store<f32>(dst + (<usize>i << 2), start);
      for (let r = 0; r < size; r++) {
        const row = base + <usize>r * rowBytes;
        let i = 0;
        for (; i < vec; i += 4) {
          const d = dst + (<usize>i << 2);
          const a = v128.load(d);
          const v = v128.load(row + (<usize>i << 2));
          // A value replaces the running one when it is NaN or strictly better (so the first of
          // −0/+0 stays, where f32x4.max would pick +0); NaN then stays.
          const better = isMax ? f32x4.gt(v, a) : f32x4.lt(v, a);
          v128.store(d, v128.bitselect(v, a, v128.or(better, f32x4.ne(v, v))));
        }
        for (; i < inner; i++) {
          const d = dst + (<usize>i << 2);
          const a = load<f32>(d);
          const v = load<f32>(row + (<usize>i << 2));
          if (v != v || (isMax ? v > a : v < a)) store<f32>(d, v);
        }
      }
    }
  }
}
