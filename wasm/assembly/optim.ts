// Fused optimizer steps over one float32 tensor (four elements at a time with SIMD128, the
// exact fused multiply-adds on f64x2 lanes), following the TypeScript reference
// (src/backend/js/optim.ts) and so PyTorch 1.13's single-tensor optimizers operation for
// operation: float32 arithmetic (correctly rounded, like the reference's Math.fround of a double
// result), and fused multiply-adds where ATen fuses them, computed exactly by fma32 below. No
// relaxed-SIMD madd here: its fusing is up to the engine, so results would vary.

/**
 * x·y + z rounded once to float32. The product of two float32s is exact in double; the double
 * sum differs from the exact one only when it lands on a float32 midpoint, and then the sum's
 * rounding error (TwoSum) says which way the exact value lies. The reference's fma32, line by line.
 */
// @ts-ignore: decorator
@inline
function fma32(x: f32, y: f32, z32: f32): f32 {
  const z = <f64>z32;
  const p = <f64>x * <f64>y;
  const s = p + z;
  const r = <f32>s;
  const d = s - <f64>r;
  if (d == 0) return r;
  const other = <f64>r + 2 * d;
  if (<f64><f32>other != other) return r;
  const bp = s - z;
  const e = p - bp + (z - (s - bp));
  if (e == 0) return r;
  return e > 0 == d > 0 ? <f32>other : r;
}

// fma32 on two lanes: x, y, z float32 values promoted to f64x2; the result demoted (lanes 0, 1).
// @ts-ignore: decorator
@inline
function fma2(x: v128, y: v128, z: v128): v128 {
  const zero = f64x2.splat(0);
  const p = f64x2.mul(x, y);
  const s = f64x2.add(p, z);
  const r = f32x4.demote_f64x2_zero(s);
  const rd = f64x2.promote_low_f32x4(r);
  const d = f64x2.sub(s, rd);
  const other = f64x2.add(rd, f64x2.add(d, d));
  const bp = f64x2.sub(s, z);
  const e = f64x2.add(f64x2.sub(p, bp), f64x2.sub(z, f64x2.sub(s, bp)));
  // other where d ≠ 0, other is a float32, e ≠ 0 and e, d have the same sign; else r.
  let take = v128.and(f64x2.ne(d, zero), f64x2.eq(f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(other)), other));
  take = v128.and(take, f64x2.ne(e, zero));
  take = v128.andnot(take, v128.xor(f64x2.gt(e, zero), f64x2.gt(d, zero)));
  return f32x4.demote_f64x2_zero(v128.bitselect(other, rd, take));
}

/** fma32 on four float32 lanes, exactly as the scalar fma32 on each. */
// @ts-ignore: decorator
@inline
function fma4(x: v128, y: v128, z: v128): v128 {
  const lo = fma2(f64x2.promote_low_f32x4(x), f64x2.promote_low_f32x4(y), f64x2.promote_low_f32x4(z));
  const xh = i32x4.shuffle(x, x, 2, 3, 0, 1);
  const yh = i32x4.shuffle(y, y, 2, 3, 0, 1);
  const zh = i32x4.shuffle(z, z, 2, 3, 0, 1);
  const hi = fma2(f64x2.promote_low_f32x4(xh), f64x2.promote_low_f32x4(yh), f64x2.promote_low_f32x4(zh));
  return i32x4.shuffle(lo, hi, 0, 1, 4, 5);
}

// @ts-ignore: decorator
@inline
function at(p: usize, i: i32): usize {
  return p + (<usize>i << 2);
}

/** SGD on n elements: p params, g grads, b momentum buffer (0: none; `init`: set it to d). */
export function sgdStepF32(
  p: usize,
  g: usize,
  b: usize,
  n: i32,
  init: bool,
  lr: f32,
  momentum: f32,
  keep: f32,
  weightDecay: f32,
  nesterov: bool,
  maximize: bool,
): void {
  const decay = weightDecay != 0;
  const step = -lr;
  const wdv = f32x4.splat(weightDecay);
  const keepv = f32x4.splat(keep);
  const momv = f32x4.splat(momentum);
  const stepv = f32x4.splat(step);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    let d = v128.load(at(g, i));
    if (maximize) d = f32x4.neg(d);
    const pv = v128.load(at(p, i));
    if (decay) d = fma4(pv, wdv, d);
    if (b != 0) {
      const v = init ? d : fma4(d, keepv, f32x4.mul(v128.load(at(b, i)), momv));
      v128.store(at(b, i), v);
      d = nesterov ? fma4(v, momv, d) : v;
    }
    v128.store(at(p, i), fma4(d, stepv, pv));
  }
  for (; i < n; i++) {
    let d = load<f32>(at(g, i));
    if (maximize) d = -d;
    if (decay) d = fma32(load<f32>(at(p, i)), weightDecay, d);
    if (b != 0) {
      const v = init ? d : fma32(d, keep, load<f32>(at(b, i)) * momentum);
      store<f32>(at(b, i), v);
      d = nesterov ? fma32(v, momentum, d) : v;
    }
    store<f32>(at(p, i), fma32(d, step, load<f32>(at(p, i))));
  }
}

/**
 * Adam/AdamW on n elements (m, v moments; mx AMSGrad's max, 0: none). The float32 scalars are
 * the reference's: decay = fround(1 − lr·wd) (shrink: AdamW), c1 = fround(1 − β1), c2 likewise,
 * step = fround(−stepSize), bc = fround(√(1 − β2^t)).
 */
export function adamStepF32(
  p: usize,
  g: usize,
  m: usize,
  v: usize,
  mx: usize,
  n: i32,
  l2: bool,
  wd: f32,
  shrink: bool,
  decay: f32,
  b1: f32,
  c1: f32,
  b2: f32,
  c2: f32,
  eps: f32,
  step: f32,
  bc: f32,
  maximize: bool,
): void {
  const wdv = f32x4.splat(wd);
  const decayv = f32x4.splat(decay);
  const b1v = f32x4.splat(b1);
  const c1v = f32x4.splat(c1);
  const b2v = f32x4.splat(b2);
  const c2v = f32x4.splat(c2);
  const epsv = f32x4.splat(eps);
  const stepv = f32x4.splat(step);
  const bcv = f32x4.splat(bc);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    let gi = v128.load(at(g, i));
    if (maximize) gi = f32x4.neg(gi);
    let pi = v128.load(at(p, i));
    if (shrink) pi = f32x4.mul(pi, decayv);
    else if (l2) gi = fma4(pi, wdv, gi);
    const mi = fma4(gi, c1v, f32x4.mul(v128.load(at(m, i)), b1v));
    v128.store(at(m, i), mi);
    let vi = fma4(f32x4.mul(c2v, gi), gi, f32x4.mul(v128.load(at(v, i)), b2v));
    v128.store(at(v, i), vi);
    if (mx != 0) {
      const a = v128.load(at(mx, i));
      vi = v128.bitselect(a, vi, v128.or(f32x4.gt(a, vi), f32x4.ne(a, a)));
      v128.store(at(mx, i), vi);
    }
    const denom = f32x4.add(f32x4.div(f32x4.sqrt(vi), bcv), epsv);
    v128.store(at(p, i), f32x4.add(pi, f32x4.div(f32x4.mul(stepv, mi), denom)));
  }
  for (; i < n; i++) {
    let gi = load<f32>(at(g, i));
    if (maximize) gi = -gi;
    let pi = load<f32>(at(p, i));
    if (shrink) pi = pi * decay;
    else if (l2) gi = fma32(pi, wd, gi);
    const mi = fma32(gi, c1, load<f32>(at(m, i)) * b1);
    store<f32>(at(m, i), mi);
    let vi = fma32(c2 * gi, gi, load<f32>(at(v, i)) * b2);
    store<f32>(at(v, i), vi);
    if (mx != 0) {
      // torch.maximum: NaN if either is NaN.
      const a = load<f32>(at(mx, i));
      vi = a > vi || a != a ? a : vi;
      store<f32>(at(mx, i), vi);
    }
    const denom = sqrt<f32>(vi) / bc + eps;
    store<f32>(at(p, i), pi + (step * mi) / denom);
  }
}

/** Adadelta on n elements (s square averages, u accumulated deltas). */
export function adadeltaStepF32(
  p: usize,
  g: usize,
  s: usize,
  u: usize,
  n: i32,
  wd: f32,
  rho: f32,
  c: f32,
  eps: f32,
  step: f32,
  maximize: bool,
): void {
  const decay = wd != 0;
  const wdv = f32x4.splat(wd);
  const rhov = f32x4.splat(rho);
  const cv = f32x4.splat(c);
  const epsv = f32x4.splat(eps);
  const stepv = f32x4.splat(step);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    let gi = v128.load(at(g, i));
    if (maximize) gi = f32x4.neg(gi);
    const pv = v128.load(at(p, i));
    if (decay) gi = fma4(pv, wdv, gi);
    const si = fma4(f32x4.mul(cv, gi), gi, f32x4.mul(v128.load(at(s, i)), rhov));
    v128.store(at(s, i), si);
    const std = f32x4.sqrt(f32x4.add(si, epsv));
    const ui = v128.load(at(u, i));
    const delta = f32x4.mul(f32x4.div(f32x4.sqrt(f32x4.add(ui, epsv)), std), gi);
    v128.store(at(u, i), fma4(f32x4.mul(cv, delta), delta, f32x4.mul(ui, rhov)));
    v128.store(at(p, i), fma4(delta, stepv, pv));
  }
  for (; i < n; i++) {
    let gi = load<f32>(at(g, i));
    if (maximize) gi = -gi;
    if (decay) gi = fma32(load<f32>(at(p, i)), wd, gi);
    const si = fma32(c * gi, gi, load<f32>(at(s, i)) * rho);
    store<f32>(at(s, i), si);
    const std = sqrt<f32>(si + eps);
    const ui = load<f32>(at(u, i));
    const delta = (sqrt<f32>(ui + eps) / std) * gi;
    store<f32>(at(u, i), fma32(c * delta, delta, ui * rho));
    store<f32>(at(p, i), fma32(delta, step, load<f32>(at(p, i))));
  }
}
