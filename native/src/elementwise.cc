// Multi-threaded elementwise passes over large float32 buffers: ReLU forward/backward and the
// fused a + alpha·b of optimizer updates. Exercise 6 runs ~24 M ReLU elements per step; these
// loops are memory-bound, so two threads and the compiler's vector code matter. Semantics are the
// TypeScript kernels' exactly (NaN and −0 handling, products summed in double, one rounding).
#include "common.h"

namespace nabla {

// relu(x, y, n): y = x < 0 ? 0 : x (NaN and −0 pass through, as in PyTorch).
Napi::Value Relu(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int64_t n = Int(info, 2);
  const float* x = ArrayData<float>(info, 0, napi_float32_array, "relu", n);
  float* y = ArrayData<float>(info, 1, napi_float32_array, "relu", n);
  if (env.IsExceptionPending()) return env.Undefined();
#pragma omp parallel for schedule(static) if (n >= kParallelMin)
  for (int64_t i = 0; i < n; i++) y[i] = x[i] < 0.f ? 0.f : x[i];
  return env.Undefined();
}

// reluBackward(g, y, out, n): out = y <= 0 ? 0 : g, from ReLU's output y (threshold_backward).
Napi::Value ReluBackward(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int64_t n = Int(info, 3);
  const float* g = ArrayData<float>(info, 0, napi_float32_array, "reluBackward", n);
  const float* y = ArrayData<float>(info, 1, napi_float32_array, "reluBackward", n);
  float* out = ArrayData<float>(info, 2, napi_float32_array, "reluBackward", n);
  if (env.IsExceptionPending()) return env.Undefined();
#pragma omp parallel for schedule(static) if (n >= kParallelMin)
  for (int64_t i = 0; i < n; i++) out[i] = y[i] <= 0.f ? 0.f : g[i];
  return env.Undefined();
}

// axpy(a, b, out, alpha, n): out = a + alpha·b, summed in double and rounded once (out may be a).
Napi::Value Axpy(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int64_t n = Int(info, 4);
  const double alpha = info[3].As<Napi::Number>().DoubleValue();
  const float* a = ArrayData<float>(info, 0, napi_float32_array, "axpy", n);
  const float* b = ArrayData<float>(info, 1, napi_float32_array, "axpy", n);
  float* out = ArrayData<float>(info, 2, napi_float32_array, "axpy", n);
  if (env.IsExceptionPending()) return env.Undefined();
#pragma omp parallel for schedule(static) if (n >= kParallelMin)
  for (int64_t i = 0; i < n; i++) out[i] = static_cast<float>(static_cast<double>(a[i]) + alpha * static_cast<double>(b[i]));
  return env.Undefined();
}

}  // namespace nabla
