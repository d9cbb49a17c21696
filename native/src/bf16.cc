// bfloat16 versions of the matmul and conv2d kernels, for nabla's autocast scope. Tensors stay
// float32 in JS: oneDNN reorders the operands to bf16 (round to nearest even), computes with
// float32 accumulation, and the result comes back rounded to bf16 and widened to float32 -- the
// values PyTorch's CPU autocast produces as bf16 tensors. Own primitive caches; the geometry,
// scratch and operand edges are conv.cc's (conv_common.h).
#include <dnnl.h>

#include <cstring>
#include <dnnl.hpp>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "common.h"
#include "conv_common.h"

namespace nabla {

namespace {

using dnnl::memory;
using tag = memory::format_tag;
using dt = memory::data_type;

// Round-to-nearest-even to bf16, kept in float32 storage (NaN stays NaN, made quiet).
inline float RoundBf16(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  if ((u & 0x7fffffffu) > 0x7f800000u) {
    u = (u | 0x00400000u) & 0xffff0000u;
  } else {
    u = (u + 0x7fffu + ((u >> 16) & 1u)) & 0xffff0000u;
  }
  std::memcpy(&f, &u, 4);
  return f;
}

void RoundInPlace(float* x, int64_t n) {
#pragma omp parallel for if (n >= kParallelMin)
  for (int64_t i = 0; i < n; i++) x[i] = RoundBf16(x[i]);
}

memory::desc Bf16(const memory::dims& d) { return memory::desc(d, dt::bf16, tag::any); }
memory::desc F32(const memory::dims& d, tag t) { return memory::desc(d, dt::f32, t); }

dnnl::convolution_forward::primitive_desc ForwardPd(const ConvParams& p, bool bias) {
  auto d = bias ? dnnl::convolution_forward::desc(dnnl::prop_kind::forward_training, dnnl::algorithm::convolution_direct,
                                                  Bf16(p.Src()), Bf16(p.Wei()), F32({p.O}, tag::x), Bf16(p.Dst()),
                                                  p.Strides(), p.Dilates(), p.PadL(), p.PadR())
                : dnnl::convolution_forward::desc(dnnl::prop_kind::forward_training, dnnl::algorithm::convolution_direct,
                                                  Bf16(p.Src()), Bf16(p.Wei()), Bf16(p.Dst()), p.Strides(), p.Dilates(),
                                                  p.PadL(), p.PadR());
  return dnnl::convolution_forward::primitive_desc(d, UserScratchpad(), Engine());
}

struct Forward {
  dnnl::convolution_forward prim;
  Edge src, wei, dst;
  memory::desc pad;
};
struct BackwardData {
  dnnl::convolution_backward_data prim;
  Edge diffDst, wei, diffSrc;
  memory::desc pad;
};
struct BackwardWeights {
  dnnl::convolution_backward_weights prim;
  Edge src, diffDst, diffWei;
  memory::desc pad;
};

Forward* MakeForward(const ConvParams& p, bool bias) {
  auto pd = ForwardPd(p, bias);
  return new Forward{dnnl::convolution_forward(pd), Edge(F32(p.Src(), tag::nchw), pd.src_desc(), 0),
                     Edge(F32(p.Wei(), p.WeiTag()), pd.weights_desc(), 1), Edge(F32(p.Dst(), tag::nchw), pd.dst_desc(), 2), pd.scratchpad_desc()};
}

BackwardData* MakeBackwardData(const ConvParams& p, bool) {
  auto hint = ForwardPd(p, false);
  auto d = dnnl::convolution_backward_data::desc(dnnl::algorithm::convolution_direct, Bf16(p.Src()), Bf16(p.Wei()),
                                                 Bf16(p.Dst()), p.Strides(), p.Dilates(), p.PadL(), p.PadR());
  auto pd = dnnl::convolution_backward_data::primitive_desc(d, UserScratchpad(), Engine(), hint);
  return new BackwardData{dnnl::convolution_backward_data(pd), Edge(F32(p.Dst(), tag::nchw), pd.diff_dst_desc(), 0),
                          Edge(F32(p.Wei(), p.WeiTag()), pd.weights_desc(), 1),
                          Edge(F32(p.Src(), tag::nchw), pd.diff_src_desc(), 2), pd.scratchpad_desc()};
}

// The bias gradient comes out in float32 (summed in float32) and is rounded to bf16 afterwards.
BackwardWeights* MakeBackwardWeights(const ConvParams& p, bool bias) {
  auto hint = ForwardPd(p, bias);
  auto d = bias ? dnnl::convolution_backward_weights::desc(dnnl::algorithm::convolution_direct, Bf16(p.Src()), Bf16(p.Wei()),
                                                           F32({p.O}, tag::x), Bf16(p.Dst()), p.Strides(), p.Dilates(),
                                                           p.PadL(), p.PadR())
                : dnnl::convolution_backward_weights::desc(dnnl::algorithm::convolution_direct, Bf16(p.Src()), Bf16(p.Wei()),
                                                           Bf16(p.Dst()), p.Strides(), p.Dilates(), p.PadL(), p.PadR());
  auto pd = dnnl::convolution_backward_weights::primitive_desc(d, UserScratchpad(), Engine(), hint);
  return new BackwardWeights{dnnl::convolution_backward_weights(pd), Edge(F32(p.Src(), tag::nchw), pd.src_desc(), 0),
                             Edge(F32(p.Dst(), tag::nchw), pd.diff_dst_desc(), 1),
                             Edge(F32(p.Wei(), p.WeiTag()), pd.diff_weights_desc(), 2), pd.scratchpad_desc()};
}

template <typename T>
T* Cached(const std::string& key, T* (*make)(const ConvParams&, bool), const ConvParams& p, bool bias) {
  static auto& cache = *new std::unordered_map<std::string, std::unique_ptr<T>>();
  auto it = cache.find(key);
  if (it != cache.end()) return it->second.get();
  T* e = make(p, bias);
  cache.emplace(key, std::unique_ptr<T>(e));
  return e;
}

struct Gemm {
  dnnl::matmul prim;
  memory::desc a32, b32, a16, b16, c, pad;
};

Gemm* GetGemm(bool ta, bool tb, int64_t batch, int64_t M, int64_t N, int64_t K, bool aBroadcast, bool bBroadcast) {
  static auto& cache = *new std::unordered_map<std::string, std::unique_ptr<Gemm>>();
  std::string key = std::to_string(ta) + std::to_string(tb) + std::to_string(aBroadcast) + std::to_string(bBroadcast) + "," +
                    std::to_string(batch) + "," + std::to_string(M) + "," + std::to_string(N) + "," + std::to_string(K);
  auto it = cache.find(key);
  if (it != cache.end()) return it->second.get();
  const int64_t ba = aBroadcast ? 1 : batch, bb = bBroadcast ? 1 : batch;
  const memory::dims as = ta ? memory::dims{M * K, 1, M} : memory::dims{M * K, K, 1};
  const memory::dims bs = tb ? memory::dims{K * N, 1, K} : memory::dims{K * N, N, 1};
  // The bf16 copies keep the user's (possibly transposed) strides: one reorder converts in place.
  memory::desc a32({ba, M, K}, dt::f32, as), b32({bb, K, N}, dt::f32, bs);
  memory::desc a16({ba, M, K}, dt::bf16, as), b16({bb, K, N}, dt::bf16, bs);
  memory::desc c({batch, M, N}, dt::f32, memory::dims{M * N, N, 1});
  auto pd = dnnl::matmul::primitive_desc(dnnl::matmul::desc(a16, b16, c), UserScratchpad(), Engine());
  auto* g = new Gemm{dnnl::matmul(pd), a32, b32, a16, b16, c, pd.scratchpad_desc()};
  cache.emplace(key, std::unique_ptr<Gemm>(g));
  return g;
}

Napi::Value Fail(Napi::Env env, const char* op, const dnnl::error& e) {
  Napi::Error::New(env, std::string(op) + ": oneDNN error: " + e.what()).ThrowAsJavaScriptException();
  return env.Undefined();
}

}  // namespace

// bf16Support(): the ISA oneDNN runs bf16 primitives with natively ("avx512_core_amx",
// "avx512_core_bf16"), or "" when the CPU lacks bf16 instructions.
Napi::Value Bf16Support(const Napi::CallbackInfo& info) {
  const unsigned isa = static_cast<unsigned>(dnnl_get_effective_cpu_isa());
  const char* name = "";
  if ((isa & dnnl_cpu_isa_avx512_core_amx) == dnnl_cpu_isa_avx512_core_amx) {
    name = "avx512_core_amx";
  } else if ((isa & dnnl_cpu_isa_avx512_core_bf16) == dnnl_cpu_isa_avx512_core_bf16) {
    name = "avx512_core_bf16";
  }
  return Napi::String::New(info.Env(), name);
}

// roundBf16(x, n): x[i] = bf16(x[i]) in place, round to nearest even.
Napi::Value RoundBf16Array(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int64_t n = Int(info, 1);
  float* x = ArrayData<float>(info, 0, napi_float32_array, "roundBf16", n);
  if (!env.IsExceptionPending()) RoundInPlace(x, n);
  return env.Undefined();
}

// gemmBf16: sgemm's arguments, then roundOut; C = op(bf16(A)) · op(bf16(B)) accumulated in float32,
// rounded to bf16 when roundOut (linear leaves it to after its bias add: one rounding, as PyTorch).
Napi::Value GemmBf16(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const bool ta = Bool(info, 0), tb = Bool(info, 1);
  const int64_t batch = Int(info, 2), M = Int(info, 3), N = Int(info, 4), K = Int(info, 5);
  const bool aB = Int(info, 7) == 0, bB = Int(info, 9) == 0;
  float* A = ArrayData<float>(info, 6, napi_float32_array, "gemmBf16", (aB ? 1 : batch) * M * K);
  float* B = ArrayData<float>(info, 8, napi_float32_array, "gemmBf16", (bB ? 1 : batch) * K * N);
  float* C = ArrayData<float>(info, 10, napi_float32_array, "gemmBf16", batch * M * N);
  if (env.IsExceptionPending()) return env.Undefined();
  try {
    Gemm* g = GetGemm(ta, tb, batch, M, N, K, aB, bB);
    memory a32(g->a32, Engine(), A), b32(g->b32, Engine(), B);
    memory a16(g->a16, Engine(), Scratch(0, g->a16.get_size())), b16(g->b16, Engine(), Scratch(1, g->b16.get_size()));
    Reorder(a32, a16);
    Reorder(b32, b16);
    memory c(g->c, Engine(), C);
    g->prim.execute(Stream(), {{DNNL_ARG_SRC, a16}, {DNNL_ARG_WEIGHTS, b16}, {DNNL_ARG_DST, c}, {DNNL_ARG_SCRATCHPAD, Scratchpad(g->pad)}});
    Stream().wait();
    if (Bool(info, 11)) RoundInPlace(C, batch * M * N);
  } catch (const dnnl::error& e) {
    return Fail(env, "gemmBf16", e);
  }
  return env.Undefined();
}

// conv2dForwardBf16(params, x, w, bias | null, y): the bias is rounded to bf16 first, as autocast casts it.
Napi::Value Conv2dForwardBf16(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ConvParams p;
  if (!ReadConvParams(info, 0, "conv2d (bf16)", &p)) return env.Undefined();
  float* x = ArrayData<float>(info, 1, napi_float32_array, "conv2dForwardBf16", p.SrcSize());
  float* w = ArrayData<float>(info, 2, napi_float32_array, "conv2dForwardBf16", p.WeiSize());
  const bool hasBias = !info[3].IsNull() && !info[3].IsUndefined();
  float* b = hasBias ? ArrayData<float>(info, 3, napi_float32_array, "conv2dForwardBf16", p.O) : nullptr;
  float* y = ArrayData<float>(info, 4, napi_float32_array, "conv2dForwardBf16", p.DstSize());
  if (env.IsExceptionPending()) return env.Undefined();
  try {
    Forward* e = Cached<Forward>(p.Key(hasBias ? "fb" : "f"), MakeForward, p, hasBias);
    std::vector<float> bias16(hasBias ? p.O : 0);
    for (int64_t i = 0; i < static_cast<int64_t>(bias16.size()); i++) bias16[i] = RoundBf16(b[i]);
    std::unordered_map<int, memory> args{{DNNL_ARG_SRC, e->src.In(x)}, {DNNL_ARG_WEIGHTS, e->wei.In(w)}, {DNNL_ARG_DST, e->dst.Target(y)}, {DNNL_ARG_SCRATCHPAD, Scratchpad(e->pad)}};
    if (hasBias) args.insert({DNNL_ARG_BIAS, memory(F32({p.O}, tag::x), Engine(), bias16.data())});
    e->prim.execute(Stream(), args);
    e->dst.Out(y);
    Stream().wait();
  } catch (const dnnl::error& err) {
    return Fail(env, "conv2dForwardBf16", err);
  }
  return env.Undefined();
}

// The data gradient from an output gradient already in the primitive's memory.
static void RunBackwardData(BackwardData* e, const memory& dyIn, const memory& wIn, float* dx) {
  e->prim.execute(Stream(), {{DNNL_ARG_DIFF_DST, dyIn}, {DNNL_ARG_WEIGHTS, wIn}, {DNNL_ARG_DIFF_SRC, e->diffSrc.Target(dx)}, {DNNL_ARG_SCRATCHPAD, Scratchpad(e->pad)}});
  e->diffSrc.Out(dx);
  Stream().wait();
}

// The weight and bias gradients from operands already in the primitive's memory (the bias gradient
// rounded to bf16 afterwards).
static void RunBackwardWeights(BackwardWeights* e, const ConvParams& p, const memory& srcIn, const memory& dyIn, float* dw, float* db) {
  std::unordered_map<int, memory> args{
      {DNNL_ARG_SRC, srcIn}, {DNNL_ARG_DIFF_DST, dyIn}, {DNNL_ARG_DIFF_WEIGHTS, e->diffWei.Target(dw)}, {DNNL_ARG_SCRATCHPAD, Scratchpad(e->pad)}};
  if (db != nullptr) args.insert({DNNL_ARG_DIFF_BIAS, memory(F32({p.O}, tag::x), Engine(), db)});
  e->prim.execute(Stream(), args);
  e->diffWei.Out(dw);
  Stream().wait();
  if (db != nullptr) RoundInPlace(db, p.O);
}

// conv2dBackwardDataBf16(params, dy, w, dx)
Napi::Value Conv2dBackwardDataBf16(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ConvParams p;
  if (!ReadConvParams(info, 0, "conv2d (bf16)", &p)) return env.Undefined();
  float* dy = ArrayData<float>(info, 1, napi_float32_array, "conv2dBackwardDataBf16", p.DstSize());
  float* w = ArrayData<float>(info, 2, napi_float32_array, "conv2dBackwardDataBf16", p.WeiSize());
  float* dx = ArrayData<float>(info, 3, napi_float32_array, "conv2dBackwardDataBf16", p.SrcSize());
  if (env.IsExceptionPending()) return env.Undefined();
  try {
    BackwardData* e = Cached<BackwardData>(p.Key("bd"), MakeBackwardData, p, false);
    RunBackwardData(e, e->diffDst.In(dy), e->wei.In(w), dx);
  } catch (const dnnl::error& err) {
    return Fail(env, "conv2dBackwardDataBf16", err);
  }
  return env.Undefined();
}

// conv2dBackwardWeightsBf16(params, x, dy, dw, db | null)
Napi::Value Conv2dBackwardWeightsBf16(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ConvParams p;
  if (!ReadConvParams(info, 0, "conv2d (bf16)", &p)) return env.Undefined();
  float* x = ArrayData<float>(info, 1, napi_float32_array, "conv2dBackwardWeightsBf16", p.SrcSize());
  float* dy = ArrayData<float>(info, 2, napi_float32_array, "conv2dBackwardWeightsBf16", p.DstSize());
  float* dw = ArrayData<float>(info, 3, napi_float32_array, "conv2dBackwardWeightsBf16", p.WeiSize());
  const bool hasBias = !info[4].IsNull() && !info[4].IsUndefined();
  float* db = hasBias ? ArrayData<float>(info, 4, napi_float32_array, "conv2dBackwardWeightsBf16", p.O) : nullptr;
  if (env.IsExceptionPending()) return env.Undefined();
  try {
    BackwardWeights* e = Cached<BackwardWeights>(p.Key(hasBias ? "bwb" : "bw"), MakeBackwardWeights, p, hasBias);
    RunBackwardWeights(e, p, e->src.In(x), e->diffDst.In(dy), dw, db);
  } catch (const dnnl::error& err) {
    return Fail(env, "conv2dBackwardWeightsBf16", err);
  }
  return env.Undefined();
}

// conv2dBackwardBf16(params, x, dy, w, dx, dw, db | null): both gradients, dy converted to bf16
// once when both primitives read it in the same layout (scratch as conv.cc's conv2dBackward).
Napi::Value Conv2dBackwardBf16(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ConvParams p;
  if (!ReadConvParams(info, 0, "conv2d (bf16)", &p)) return env.Undefined();
  float* x = ArrayData<float>(info, 1, napi_float32_array, "conv2dBackwardBf16", p.SrcSize());
  float* dy = ArrayData<float>(info, 2, napi_float32_array, "conv2dBackwardBf16", p.DstSize());
  float* w = ArrayData<float>(info, 3, napi_float32_array, "conv2dBackwardBf16", p.WeiSize());
  float* dx = ArrayData<float>(info, 4, napi_float32_array, "conv2dBackwardBf16", p.SrcSize());
  float* dw = ArrayData<float>(info, 5, napi_float32_array, "conv2dBackwardBf16", p.WeiSize());
  const bool hasBias = !info[6].IsNull() && !info[6].IsUndefined();
  float* db = hasBias ? ArrayData<float>(info, 6, napi_float32_array, "conv2dBackwardBf16", p.O) : nullptr;
  if (env.IsExceptionPending()) return env.Undefined();
  try {
    BackwardWeights* bw = Cached<BackwardWeights>(p.Key(hasBias ? "bwb" : "bw"), MakeBackwardWeights, p, hasBias);
    BackwardData* bd = Cached<BackwardData>(p.Key("bd"), MakeBackwardData, p, false);
    memory dyIn = bw->diffDst.In(dy, 1);
    RunBackwardWeights(bw, p, bw->src.In(x, 0), dyIn, dw, db);
    if (!(bd->diffDst.inner == bw->diffDst.inner)) dyIn = bd->diffDst.In(dy, 1);
    RunBackwardData(bd, dyIn, bd->wei.In(w, 0), dx);
  } catch (const dnnl::error& err) {
    return Fail(env, "conv2dBackwardBf16", err);
  }
  return env.Undefined();
}

}  // namespace nabla
