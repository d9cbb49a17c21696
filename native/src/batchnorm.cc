// Batch normalization forward and backward over contiguous float32 [batch, channels, spatial]
// data, one OpenMP task per channel. The arithmetic is src/backend/js/batchnorm.ts's exactly:
// statistics and every intermediate in double, summed in the same order (the compiler may not
// reorder double sums without -ffast-math), so both backends give the same bits.
#include <cmath>

#include "common.h"

namespace nabla {

// batchNorm(x, out, mean, variance, weight | null, bias | null, batch, channels, spatial, eps, training)
Napi::Value BatchNorm(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int64_t batch = Int(info, 6), channels = Int(info, 7), spatial = Int(info, 8);
  const double eps = info[9].As<Napi::Number>().DoubleValue();
  const bool training = Bool(info, 10);
  const int64_t total = batch * channels * spatial;
  const float* x = ArrayData<float>(info, 0, napi_float32_array, "batchNorm", total);
  float* out = ArrayData<float>(info, 1, napi_float32_array, "batchNorm", total);
  double* mean = ArrayData<double>(info, 2, napi_float64_array, "batchNorm", channels);
  double* variance = ArrayData<double>(info, 3, napi_float64_array, "batchNorm", channels);
  const float* weight = info[4].IsNull() ? nullptr : ArrayData<float>(info, 4, napi_float32_array, "batchNorm", channels);
  const float* bias = info[5].IsNull() ? nullptr : ArrayData<float>(info, 5, napi_float32_array, "batchNorm", channels);
  if (env.IsExceptionPending()) return env.Undefined();
  const int64_t count = batch * spatial, stride = channels * spatial;
#pragma omp parallel for schedule(static) if (total >= kParallelMin)
  for (int64_t c = 0; c < channels; c++) {
    if (training) {
      double s = 0;
      for (int64_t n = 0; n < batch; n++) {
        const float* xo = x + n * stride + c * spatial;
        for (int64_t i = 0; i < spatial; i++) s += xo[i];
      }
      const double m = s / count;
      double q = 0;
      for (int64_t n = 0; n < batch; n++) {
        const float* xo = x + n * stride + c * spatial;
        for (int64_t i = 0; i < spatial; i++) {
          const double d = xo[i] - m;
          q += d * d;
        }
      }
      mean[c] = m;
      variance[c] = q / count;
    }
    const double m = mean[c];
    const double scale = (weight == nullptr ? 1.0 : static_cast<double>(weight[c])) / std::sqrt(variance[c] + eps);
    const double shift = bias == nullptr ? 0.0 : static_cast<double>(bias[c]);
    for (int64_t n = 0; n < batch; n++) {
      const float* xo = x + n * stride + c * spatial;
      float* oo = out + n * stride + c * spatial;
      for (int64_t i = 0; i < spatial; i++) oo[i] = static_cast<float>((xo[i] - m) * scale + shift);
    }
  }
  return env.Undefined();
}

// batchNormBackward(x, gradOut, mean, variance, weight | null, gradInput | null, gradWeight | null,
//                   gradBias | null, batch, channels, spatial, eps, training)
Napi::Value BatchNormBackward(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int64_t batch = Int(info, 8), channels = Int(info, 9), spatial = Int(info, 10);
  const double eps = info[11].As<Napi::Number>().DoubleValue();
  const bool training = Bool(info, 12);
  const int64_t total = batch * channels * spatial;
  const char* op = "batchNormBackward";
  const float* x = ArrayData<float>(info, 0, napi_float32_array, op, total);
  const float* gradOut = ArrayData<float>(info, 1, napi_float32_array, op, total);
  const double* mean = ArrayData<double>(info, 2, napi_float64_array, op, channels);
  const double* variance = ArrayData<double>(info, 3, napi_float64_array, op, channels);
  const float* weight = info[4].IsNull() ? nullptr : ArrayData<float>(info, 4, napi_float32_array, op, channels);
  float* gradInput = info[5].IsNull() ? nullptr : ArrayData<float>(info, 5, napi_float32_array, op, total);
  float* gradWeight = info[6].IsNull() ? nullptr : ArrayData<float>(info, 6, napi_float32_array, op, channels);
  float* gradBias = info[7].IsNull() ? nullptr : ArrayData<float>(info, 7, napi_float32_array, op, channels);
  if (env.IsExceptionPending()) return env.Undefined();
  const int64_t count = batch * spatial, stride = channels * spatial;
#pragma omp parallel for schedule(static) if (total >= kParallelMin)
  for (int64_t c = 0; c < channels; c++) {
    const double m = mean[c];
    const double invstd = 1 / std::sqrt(variance[c] + eps);
    double sumG = 0, sumGX = 0;
    for (int64_t n = 0; n < batch; n++) {
      const float* xo = x + n * stride + c * spatial;
      const float* go = gradOut + n * stride + c * spatial;
      for (int64_t i = 0; i < spatial; i++) {
        const double g = go[i];
        sumG += g;
        sumGX += g * (xo[i] - m);
      }
    }
    if (gradBias != nullptr) gradBias[c] = static_cast<float>(sumG);
    if (gradWeight != nullptr) gradWeight[c] = static_cast<float>(sumGX * invstd);
    if (gradInput == nullptr) continue;
    const double scale = (weight == nullptr ? 1.0 : static_cast<double>(weight[c])) * invstd;
    const double meanG = sumG / count;
    const double k = (sumGX * invstd * invstd) / count;
    for (int64_t n = 0; n < batch; n++) {
      const float* xo = x + n * stride + c * spatial;
      const float* go = gradOut + n * stride + c * spatial;
      float* gi = gradInput + n * stride + c * spatial;
      if (training)
        for (int64_t i = 0; i < spatial; i++) gi[i] = static_cast<float>((go[i] - meanG - (xo[i] - m) * k) * scale);
      else
        for (int64_t i = 0; i < spatial; i++) gi[i] = static_cast<float>(go[i] * scale);
    }
  }
  return env.Undefined();
}

}  // namespace nabla
