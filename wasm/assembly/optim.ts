// Fused optimizer steps over one float32 tensor, following the TypeScript reference
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
  for (let i = 0; i < n; i++) {
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
  for (let i = 0; i < n; i++) {
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
  for (let i = 0; i < n; i++) {
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
