// Batch normalization over contiguous float32 [batch, channels, spatial], statistics in double
// (float64 arrays), repeating the TypeScript reference's double arithmetic in its order so the
// results match it bit for bit: the sums run sequentially, the per-element passes in f64x2.

// @ts-ignore: decorator
@inline
function f32At(p: usize, i: i32): f64 {
  return <f64>load<f32>(p + (<usize>i << 2));
}

/**
 * Channels [c0, c1): in training mode first the batch mean and biased variance into mean/variance
 * (two passes), then out = (x − mean) · (weight / √(variance + eps)) + bias (weight/bias 0: none).
 */
export function batchNormF32(
  x: usize,
  out: usize,
  mean: usize,
  variance: usize,
  weight: usize,
  bias: usize,
  batch: i32,
  channels: i32,
  spatial: i32,
  eps: f64,
  training: bool,
  c0: i32,
  c1: i32,
): void {
  const count = <f64>(batch * spatial);
  const stride = channels * spatial;
  for (let c = c0; c < c1; c++) {
    if (training) {
      let s: f64 = 0;
      for (let n = 0; n < batch; n++) {
        const o = x + (<usize>(n * stride + c * spatial) << 2);
        for (let i = 0; i < spatial; i++) s += f32At(o, i);
      }
      const m = s / count;
      let q: f64 = 0;
      for (let n = 0; n < batch; n++) {
        const o = x + (<usize>(n * stride + c * spatial) << 2);
        for (let i = 0; i < spatial; i++) {
          const d = f32At(o, i) - m;
          q += d * d;
        }
      }
      store<f64>(mean + (<usize>c << 3), m);
      store<f64>(variance + (<usize>c << 3), q / count);
    }
    const m = load<f64>(mean + (<usize>c << 3));
    const scale = (weight == 0 ? 1 : f32At(weight, c)) / Math.sqrt(load<f64>(variance + (<usize>c << 3)) + eps);
    const shift = bias == 0 ? 0 : f32At(bias, c);
    const mv = f64x2.splat(m);
    const sv = f64x2.splat(scale);
    const hv = f64x2.splat(shift);
    for (let n = 0; n < batch; n++) {
      const off = <usize>(n * stride + c * spatial) << 2;
      const xs = x + off;
      const os = out + off;
      let i = 0;
      for (; i + 2 <= spatial; i += 2) {
        const v = f64x2.promote_low_f32x4(v128.load64_zero(xs + (<usize>i << 2)));
        const r = f64x2.add(f64x2.mul(f64x2.sub(v, mv), sv), hv);
        v128.store64_lane(os + (<usize>i << 2), f32x4.demote_f64x2_zero(r), 0);
      }
      for (; i < spatial; i++) store<f32>(os + (<usize>i << 2), <f32>((f32At(xs, i) - m) * scale + shift));
    }
  }
}

/**
 * Gradients of batchNormF32 for channels [c0, c1) given the mean/variance it used; outputs at
 * pointer 0 are skipped. Training mode includes the paths through the batch statistics.
 */
export function batchNormBackwardF32(
  x: usize,
  gradOut: usize,
  mean: usize,
  variance: usize,
  weight: usize,
  gradIn: usize,
  gradWeight: usize,
  gradBias: usize,
  batch: i32,
  channels: i32,
  spatial: i32,
  eps: f64,
  training: bool,
  c0: i32,
  c1: i32,
): void {
  const count = <f64>(batch * spatial);
  const stride = channels * spatial;
  for (let c = c0; c < c1; c++) {
    const m = load<f64>(mean + (<usize>c << 3));
    const invstd = 1 / Math.sqrt(load<f64>(variance + (<usize>c << 3)) + eps);
    let sumG: f64 = 0;
    let sumGX: f64 = 0;
    for (let n = 0; n < batch; n++) {
      const off = <usize>(n * stride + c * spatial) << 2;
      for (let i = 0; i < spatial; i++) {
        const g = f32At(gradOut + off, i);
        sumG += g;
        sumGX += g * (f32At(x + off, i) - m);
      }
    }
    if (gradBias != 0) store<f32>(gradBias + (<usize>c << 2), <f32>sumG);
    if (gradWeight != 0) store<f32>(gradWeight + (<usize>c << 2), <f32>(sumGX * invstd));
    if (gradIn == 0) continue;
    const scale = (weight == 0 ? 1 : f32At(weight, c)) * invstd;
    const meanG = sumG / count;
    const k = (sumGX * invstd * invstd) / count;
    const sv = f64x2.splat(scale);
    const gv = f64x2.splat(meanG);
    const mv = f64x2.splat(m);
    const kv = f64x2.splat(k);
    for (let n = 0; n < batch; n++) {
      const off = <usize>(n * stride + c * spatial) << 2;
      const gs = gradOut + off;
      const xs = x + off;
      const ds = gradIn + off;
      let i = 0;
      if (training) {
        // dx = w·invstd·(g − mean(g) − (x − mean)·k)
        for (; i + 2 <= spatial; i += 2) {
          const o = <usize>i << 2;
          const g = f64x2.promote_low_f32x4(v128.load64_zero(gs + o));
          const v = f64x2.promote_low_f32x4(v128.load64_zero(xs + o));
          const r = f64x2.mul(f64x2.sub(f64x2.sub(g, gv), f64x2.mul(f64x2.sub(v, mv), kv)), sv);
          v128.store64_lane(ds + o, f32x4.demote_f64x2_zero(r), 0);
        }
        for (; i < spatial; i++) store<f32>(ds + (<usize>i << 2), <f32>((f32At(gs, i) - meanG - (f32At(xs, i) - m) * k) * scale));
      } else {
        for (; i + 2 <= spatial; i += 2) {
          const o = <usize>i << 2;
          const g = f64x2.promote_low_f32x4(v128.load64_zero(gs + o));
          v128.store64_lane(ds + o, f32x4.demote_f64x2_zero(f64x2.mul(g, sv)), 0);
        }
        for (; i < spatial; i++) store<f32>(ds + (<usize>i << 2), <f32>(f32At(gs, i) * scale));
      }
    }
  }
}
