// Batched float32 matrix products through oneDNN's sgemm (JIT-compiled for the CPU's ISA).
#include <dnnl.h>

#include "common.h"

namespace nabla {

// sgemm(transA, transB, batch, M, N, K, A, strideA, B, strideB, C): for each b,
// C[b] (M×N) = op(A[b]) · op(B[b]), row-major, a batch stride of 0 broadcasting one matrix.
Napi::Value Sgemm(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const bool ta = Bool(info, 0), tb = Bool(info, 1);
  const int64_t batch = Int(info, 2), M = Int(info, 3), N = Int(info, 4), K = Int(info, 5);
  const float* A = ArrayData<float>(info, 6, napi_float32_array, "sgemm");
  const int64_t sa = Int(info, 7);
  const float* B = ArrayData<float>(info, 8, napi_float32_array, "sgemm");
  const int64_t sb = Int(info, 9);
  float* C = ArrayData<float>(info, 10, napi_float32_array, "sgemm");
  if (env.IsExceptionPending()) return env.Undefined();
  const int64_t lda = ta ? M : K, ldb = tb ? K : N;
  for (int64_t b = 0; b < batch; b++) {
    dnnl_status_t st = dnnl_sgemm(ta ? 'T' : 'N', tb ? 'T' : 'N', M, N, K, 1.0f, A + b * sa, lda, B + b * sb, ldb, 0.0f,
                                  C + b * M * N, N);
    if (st != dnnl_success) {
      Napi::Error::New(env, "sgemm: oneDNN failed with status " + std::to_string(st)).ThrowAsJavaScriptException();
      return env.Undefined();
    }
  }
  return env.Undefined();
}

}  // namespace nabla
