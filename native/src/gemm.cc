// Batched float32 matrix products through oneDNN's matmul primitive, cached by shape. (The
// primitive rather than dnnl_sgemm: a loop of sgemm calls aborted with heap corruption under
// `node --cpu-prof`, whose SIGPROF interrupts it; the primitive runs the same loop cleanly.)
#include <dnnl.hpp>

#include <memory>
#include <string>
#include <unordered_map>

#include "common.h"

namespace nabla {

dnnl::engine& Engine();
dnnl::stream& Stream();

namespace {

using dnnl::memory;

struct Gemm {
  dnnl::matmul prim;
  memory::desc a, b, c;
};

// Row-major [batch, M, K] (or [K, M] per batch when transposed) times [batch, K, N] (or [N, K]).
// A batch stride of 0 becomes a broadcast batch dim of size 1.
Gemm* GetGemm(bool ta, bool tb, int64_t batch, int64_t M, int64_t N, int64_t K, bool aBroadcast, bool bBroadcast) {
  static auto& cache = *new std::unordered_map<std::string, std::unique_ptr<Gemm>>();
  std::string key = std::to_string(ta) + std::to_string(tb) + std::to_string(aBroadcast) + std::to_string(bBroadcast) + "," +
                    std::to_string(batch) + "," + std::to_string(M) + "," + std::to_string(N) + "," + std::to_string(K);
  auto it = cache.find(key);
  if (it != cache.end()) return it->second.get();
  const int64_t ba = aBroadcast ? 1 : batch, bb = bBroadcast ? 1 : batch;
  // A transposed operand is a plain row-major buffer read with swapped strides.
  memory::desc a({ba, M, K}, memory::data_type::f32, ta ? memory::dims{M * K, 1, M} : memory::dims{M * K, K, 1});
  memory::desc b({bb, K, N}, memory::data_type::f32, tb ? memory::dims{K * N, 1, K} : memory::dims{K * N, N, 1});
  memory::desc c({batch, M, N}, memory::data_type::f32, memory::dims{M * N, N, 1});
  auto pd = dnnl::matmul::primitive_desc(dnnl::matmul::desc(a, b, c), Engine());
  auto* g = new Gemm{dnnl::matmul(pd), a, b, c};
  cache.emplace(key, std::unique_ptr<Gemm>(g));
  return g;
}

}  // namespace

// sgemm(transA, transB, batch, M, N, K, A, strideA, B, strideB, C): for each b,
// C[b] (M×N) = op(A[b]) · op(B[b]), row-major; a batch stride of 0 broadcasts one matrix.
Napi::Value Sgemm(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const bool ta = Bool(info, 0), tb = Bool(info, 1);
  const int64_t batch = Int(info, 2), M = Int(info, 3), N = Int(info, 4), K = Int(info, 5);
  float* A = ArrayData<float>(info, 6, napi_float32_array, "sgemm", (Int(info, 7) == 0 ? 1 : batch) * M * K);
  float* B = ArrayData<float>(info, 8, napi_float32_array, "sgemm", (Int(info, 9) == 0 ? 1 : batch) * K * N);
  float* C = ArrayData<float>(info, 10, napi_float32_array, "sgemm", batch * M * N);
  if (env.IsExceptionPending()) return env.Undefined();
  try {
    Gemm* g = GetGemm(ta, tb, batch, M, N, K, Int(info, 7) == 0, Int(info, 9) == 0);
    memory a(g->a, Engine(), A), b(g->b, Engine(), B), c(g->c, Engine(), C);
    g->prim.execute(Stream(), {{DNNL_ARG_SRC, a}, {DNNL_ARG_WEIGHTS, b}, {DNNL_ARG_DST, c}});
    Stream().wait();
  } catch (const dnnl::error& e) {
    Napi::Error::New(env, std::string("sgemm: oneDNN error: ") + e.what()).ThrowAsJavaScriptException();
  }
  return env.Undefined();
}

}  // namespace nabla
