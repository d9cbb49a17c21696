// Single-precision GEMM with SIMD128: C = op(A)·op(B) (+ C when accumulating), row-major, each
// operand with its leading dimension, a transposed operand read in place. Goto/BLIS structure:
// B is packed KC×NC at a time (1 MiB: stays in a 2 MiB L2 next to the A block) into KC×NR column
// panels, A into MC×KC blocks (128 KiB) of MR-row panels, and a 4×8 register-blocked
// micro-kernel keeps eight f32x4 accumulators (KC 512: C's tiles stay in registers over a long k,
// which the skinny GEMMs of conv backward-weights need). Pointers are byte addresses in
// the module's memory; dimensions and leading dimensions count elements. The caller provides
// the packing buffers (packA: packABytes(), packB: packBBytes(n)), so calls on
// different threads never share scratch. packA also holds the spill tile for partial micro-tiles.

export const MR: i32 = 4;
export const NR: i32 = 8;
export const KC: i32 = 512;
export const MC: i32 = 64;
export const NC: i32 = 512;
// A last column block of up to NC/4 more columns joins the one before it instead of going alone:
// a separate sliver (AlexNet's 23×23 = 529-pixel images: 512 + 17) would pack all of A again.
const NC_MAX: i32 = NC + NC / 4;

// Eight accumulators plus two B vectors and one broadcast A value fit the 16 vector registers
// of x86-64. With relaxed SIMD the multiply-add may fuse (one rounding instead of two).
// @ts-ignore: decorator
@inline
function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

// Rows r0..r3 (four floats each) stored transposed: column q goes to d + q·ld bytes.
// @ts-ignore: decorator
@inline
function transpose4(d: usize, ld: usize, r0: v128, r1: v128, r2: v128, r3: v128): void {
  const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
  const t2 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
  const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  v128.store(d, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
  v128.store(d + ld, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7));
  v128.store(d + 2 * ld, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5));
  v128.store(d + 3 * ld, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7));
}

// A (rows ic.., columns pc..) → MR-row panels: panel[p·MR + i] = A(i, p); rows past m are zeros.
function packA(a: usize, lda: i32, transA: bool, ic: i32, mc: i32, pc: i32, kc: i32, dst: usize): void {
  for (let ir = 0; ir < mc; ir += MR) {
    const rows = min(MR, mc - ir);
    const panel = dst + (<usize>(ir * kc) << 2);
    if (!transA && rows == MR) {
      const r0 = a + (<usize>((ic + ir) * lda + pc) << 2);
      const r1 = r0 + (<usize>lda << 2);
      const r2 = r1 + (<usize>lda << 2);
      const r3 = r2 + (<usize>lda << 2);
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        const o = <usize>p << 2;
        transpose4(panel + (<usize>p << 4), MR * 4, v128.load(r0 + o), v128.load(r1 + o), v128.load(r2 + o), v128.load(r3 + o));
      }
      for (; p < kc; p++) {
        const o = <usize>p << 2;
        const d = panel + (<usize>p << 4);
        store<f32>(d, load<f32>(r0 + o));
        store<f32>(d, load<f32>(r1 + o), 4);
        store<f32>(d, load<f32>(r2 + o), 8);
        store<f32>(d, load<f32>(r3 + o), 12);
      }
    } else if (transA && rows == MR) {
      // A(i, p) is stored at a[p·lda + i]: four consecutive floats per p.
      for (let p = 0; p < kc; p++) {
        v128.store(panel + (<usize>p << 4), v128.load(a + (<usize>((pc + p) * lda + ic + ir) << 2)));
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let i = 0; i < MR; i++) {
          let v: f32 = 0;
          if (i < rows) {
            const row = ic + ir + i;
            v = transA ? load<f32>(a + (<usize>((pc + p) * lda + row) << 2)) : load<f32>(a + (<usize>(row * lda + pc + p) << 2));
          }
          store<f32>(panel + (<usize>(p * MR + i) << 2), v);
        }
      }
    }
  }
}

// B (rows pc.., columns jc..) → NR-column panels: panel[p·NR + j] = B(p, j); columns past n are zeros.
function packB(b: usize, ldb: i32, transB: bool, pc: i32, kc: i32, jc: i32, nc: i32, dst: usize): void {
  for (let jr = 0; jr < nc; jr += NR) {
    const cols = min(NR, nc - jr);
    const panel = dst + (<usize>(jr * kc) << 2);
    if (!transB && cols == NR) {
      for (let p = 0; p < kc; p++) {
        const src = b + (<usize>((pc + p) * ldb + jc + jr) << 2);
        const d = panel + (<usize>p << 5);
        v128.store(d, v128.load(src));
        v128.store(d, v128.load(src, 16), 16);
      }
    } else if (transB && cols == NR) {
      // B(p, j) is stored at b[j·ldb + p]: eight strided rows, read along p.
      const c0 = b + (<usize>((jc + jr) * ldb + pc) << 2);
      const step = <usize>ldb << 2;
      let p = 0;
      // Four p at a time: a v128 from each of the eight rows, two 4×4 transposes.
      for (; p + 4 <= kc; p += 4) {
        const s = c0 + (<usize>p << 2);
        const d = panel + (<usize>p << 5);
        transpose4(d, NR * 4, v128.load(s), v128.load(s + step), v128.load(s + 2 * step), v128.load(s + 3 * step));
        transpose4(d + 16, NR * 4, v128.load(s + 4 * step), v128.load(s + 5 * step), v128.load(s + 6 * step), v128.load(s + 7 * step));
      }
      for (; p < kc; p++) {
        const s = c0 + (<usize>p << 2);
        const d = panel + (<usize>p << 5);
        store<f32>(d, load<f32>(s));
        store<f32>(d, load<f32>(s + step), 4);
        store<f32>(d, load<f32>(s + 2 * step), 8);
        store<f32>(d, load<f32>(s + 3 * step), 12);
        store<f32>(d, load<f32>(s + 4 * step), 16);
        store<f32>(d, load<f32>(s + 5 * step), 20);
        store<f32>(d, load<f32>(s + 6 * step), 24);
        store<f32>(d, load<f32>(s + 7 * step), 28);
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let j = 0; j < NR; j++) {
          let v: f32 = 0;
          if (j < cols) {
            const col = jc + jr + j;
            v = transB ? load<f32>(b + (<usize>(col * ldb + pc + p) << 2)) : load<f32>(b + (<usize>((pc + p) * ldb + col) << 2));
          }
          store<f32>(panel + (<usize>(p * NR + j) << 2), v);
        }
      }
    }
  }
}

// C[MR×NR] (+)= Apanel · Bpanel over kc; rows/cols < MR/NR write only that corner of C.
function micro(kc: i32, pa: usize, pb: usize, c: usize, ldc: i32, rows: i32, cols: i32, accumulate: bool, t: usize): void {
  let c00 = f32x4.splat(0);
  let c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0);
  let c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0);
  let c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0);
  let c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = madd(a, b0, c00);
    c01 = madd(a, b1, c01);
    a = v128.load32_splat(pa, 4);
    c10 = madd(a, b0, c10);
    c11 = madd(a, b1, c11);
    a = v128.load32_splat(pa, 8);
    c20 = madd(a, b0, c20);
    c21 = madd(a, b1, c21);
    a = v128.load32_splat(pa, 12);
    c30 = madd(a, b0, c30);
    c31 = madd(a, b1, c31);
    pa += 16;
    pb += 32;
  }
  const ld = <usize>ldc << 2;
  if (rows == MR && cols == NR) {
    let r = c;
    if (accumulate) {
      v128.store(r, f32x4.add(v128.load(r), c00));
      v128.store(r, f32x4.add(v128.load(r, 16), c01), 16);
      r += ld;
      v128.store(r, f32x4.add(v128.load(r), c10));
      v128.store(r, f32x4.add(v128.load(r, 16), c11), 16);
      r += ld;
      v128.store(r, f32x4.add(v128.load(r), c20));
      v128.store(r, f32x4.add(v128.load(r, 16), c21), 16);
      r += ld;
      v128.store(r, f32x4.add(v128.load(r), c30));
      v128.store(r, f32x4.add(v128.load(r, 16), c31), 16);
    } else {
      v128.store(r, c00);
      v128.store(r, c01, 16);
      r += ld;
      v128.store(r, c10);
      v128.store(r, c11, 16);
      r += ld;
      v128.store(r, c20);
      v128.store(r, c21, 16);
      r += ld;
      v128.store(r, c30);
      v128.store(r, c31, 16);
    }
    return;
  }
  // Partial tile: spill to the caller's scratch tile t (thread-private), copy the corner.
  v128.store(t, c00);
  v128.store(t, c01, 16);
  v128.store(t, c10, 32);
  v128.store(t, c11, 48);
  v128.store(t, c20, 64);
  v128.store(t, c21, 80);
  v128.store(t, c30, 96);
  v128.store(t, c31, 112);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const dst = c + <usize>i * ld + (<usize>j << 2);
      const v = load<f32>(t + (<usize>(i * NR + j) << 2));
      store<f32>(dst, accumulate ? load<f32>(dst) + v : v);
    }
  }
}

/**
 * C (m×n, leading dimension ldc) = op(A) (m×k) · op(B) (k×n), plus C's old values when
 * `accumulate`. A is stored m×k (lda ≥ k) or, transposed, k×m (lda ≥ m); likewise B.
 */
export function sgemm(
  m: i32,
  n: i32,
  k: i32,
  a: usize,
  lda: i32,
  transA: bool,
  b: usize,
  ldb: i32,
  transB: bool,
  c: usize,
  ldc: i32,
  accumulate: bool,
  pa: usize,
  pb: usize,
): void {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    if (!accumulate) for (let i = 0; i < m; i++) memory.fill(c + (<usize>(i * ldc) << 2), 0, <usize>n << 2);
    return;
  }
  const edge = pa + (<usize>(MC * KC) << 2);
  for (let jc = 0; jc < n; ) {
    const nc = n - jc <= NC_MAX ? n - jc : NC;
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      packB(b, ldb, transB, pc, kc, jc, nc, pb);
      const acc = accumulate || pc > 0;
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packA(a, lda, transA, ic, mc, pc, kc, pa);
        for (let jr = 0; jr < nc; jr += NR) {
          const pbj = pb + (<usize>(jr * kc) << 2);
          const cols = min(NR, nc - jr);
          for (let ir = 0; ir < mc; ir += MR) {
            micro(kc, pa + (<usize>(ir * kc) << 2), pbj, c + (<usize>((ic + ir) * ldc + jc + jr) << 2), ldc, min(MR, mc - ir), cols, acc, edge);
          }
        }
      }
    }
    jc += nc;
  }
}

/** Bytes of packing scratch sgemm needs for A (independent of the shape). */
export function packABytes(): i32 {
  return (MC * KC + MR * NR) << 2;
}

/** Bytes of packing scratch sgemm needs for B when C has n columns. */
export function packBBytes(n: i32): i32 {
  const nc = min(n, NC_MAX);
  return (KC * (((nc + NR - 1) / NR) * NR)) << 2;
}

/**
 * sgemm for matrices [b0, b1) of a batch: matrix i reads A at a + i·aStride, B at b + i·bStride
 * and writes C at c + i·cStride (strides in elements; 0 broadcasts one matrix).
 */
export function sgemmBatch(
  b0: i32,
  b1: i32,
  m: i32,
  n: i32,
  k: i32,
  a: usize,
  aStride: i32,
  lda: i32,
  transA: bool,
  b: usize,
  bStride: i32,
  ldb: i32,
  transB: bool,
  c: usize,
  cStride: i32,
  ldc: i32,
  pa: usize,
  pb: usize,
): void {
  for (let i = b0; i < b1; i++) {
    sgemm(
      m, n, k,
      a + (<usize>i * <usize>aStride << 2), lda, transA,
      b + (<usize>i * <usize>bStride << 2), ldb, transB,
      c + (<usize>i * <usize>cStride << 2), ldc, false, pa, pb,
    );
  }
}
