import type { TypedArray } from '../../tensor/dtype.js';
import type { BatchNormParams } from '../backend.js';

/**
 * Batch normalization over contiguous [batch, channels, spatial] data. Statistics are computed in
 * double precision with two passes (mean, then the sum of squared deviations), like PyTorch's CPU
 * kernel, whose accumulation type for float32 is double.
 */

export function batchNorm(
  x: TypedArray,
  out: TypedArray,
  mean: Float64Array,
  variance: Float64Array,
  weight: TypedArray | null,
  bias: TypedArray | null,
  p: BatchNormParams,
): void {
  const { batch, channels, spatial, eps, training } = p;
  const count = batch * spatial;
  const stride = channels * spatial;
  for (let c = 0; c < channels; c++) {
    if (training) {
      let s = 0;
      for (let n = 0; n < batch; n++) {
        const o = n * stride + c * spatial;
        for (let i = 0; i < spatial; i++) s += x[o + i];
      }
      const m = s / count;
      let q = 0;
      for (let n = 0; n < batch; n++) {
        const o = n * stride + c * spatial;
        for (let i = 0; i < spatial; i++) {
          const d = x[o + i] - m;
          q += d * d;
        }
      }
      mean[c] = m;
      variance[c] = q / count;
    }
    const m = mean[c];
    const scale = (weight === null ? 1 : weight[c]) / Math.sqrt(variance[c] + eps);
    const shift = bias === null ? 0 : bias[c];
    for (let n = 0; n < batch; n++) {
      const o = n * stride + c * spatial;
      for (let i = 0; i < spatial; i++) out[o + i] = (x[o + i] - m) * scale + shift;
    }
  }
}

export function batchNormBackward(
  x: TypedArray,
  gradOut: TypedArray,
  mean: Float64Array,
  variance: Float64Array,
  weight: TypedArray | null,
  gradInput: TypedArray | null,
  gradWeight: TypedArray | null,
  gradBias: TypedArray | null,
  p: BatchNormParams,
): void {
  const { batch, channels, spatial, eps, training } = p;
  const count = batch * spatial;
  const stride = channels * spatial;
  for (let c = 0; c < channels; c++) {
    const m = mean[c];
    const invstd = 1 / Math.sqrt(variance[c] + eps);
    // Σ g and Σ g·(x − mean); x̂ = (x − mean)·invstd.
    let sumG = 0;
    let sumGX = 0;
    for (let n = 0; n < batch; n++) {
      const o = n * stride + c * spatial;
      for (let i = 0; i < spatial; i++) {
        const g = gradOut[o + i];
        sumG += g;
        sumGX += g * (x[o + i] - m);
      }
    }
    if (gradBias !== null) gradBias[c] = sumG;
    if (gradWeight !== null) gradWeight[c] = sumGX * invstd;
    if (gradInput === null) continue;
    const scale = (weight === null ? 1 : weight[c]) * invstd;
    if (training) {
      // dx = w·invstd·(g − mean(g) − x̂·mean(g·x̂))
      const meanG = sumG / count;
      const k = (sumGX * invstd * invstd) / count;
      for (let n = 0; n < batch; n++) {
        const o = n * stride + c * spatial;
        for (let i = 0; i < spatial; i++) gradInput[o + i] = (gradOut[o + i] - meanG - (x[o + i] - m) * k) * scale;
      }
    } else {
      for (let n = 0; n < batch; n++) {
        const o = n * stride + c * spatial;
        for (let i = 0; i < spatial; i++) gradInput[o + i] = gradOut[o + i] * scale;
      }
    }
  }
}
