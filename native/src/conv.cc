// 2-D convolution forward and backward through oneDNN. Tensors arrive in PyTorch's plain layouts
// (NCHW activations, [O, C/G, KH, KW] weights); oneDNN picks its own blocked layouts ("any") and
// the plain buffers are reordered at the edges. Primitives and their scratch memory are cached by
// shape and parameters, since a training loop repeats the same few shapes.
#include <dnnl.hpp>

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "common.h"
#include "conv_common.h"
#include "conv_taps.h"
#include "reorder.h"

namespace nabla {

using dnnl::memory;
using tag = memory::format_tag;
using dt = memory::data_type;

// The engine, stream and primitive caches live until the process ends and are never destroyed:
// static destructors would run in an order that frees the engine before primitives using it.
dnnl::engine& Engine() {
  static auto* eng = new dnnl::engine(dnnl::engine::kind::cpu, 0);
  return *eng;
}

dnnl::stream& Stream() {
  static auto* s = new dnnl::stream(Engine());
  return *s;
}

float* Scratch(int slot, size_t bytes) {
  // Aligned to a page: a large vector's data sits 16 bytes past one (glibc's mmap header), which
  // splits every 64-byte load of the AMX/AVX-512 kernels across two cache lines.
  constexpr size_t kAlign = 4096;
  static auto& slots = *new std::vector<std::vector<uint8_t>>(5);
  auto& buf = slots[slot];
  if (buf.size() < bytes + kAlign) buf.resize(bytes + kAlign);
  const auto at = reinterpret_cast<uintptr_t>(buf.data());
  return reinterpret_cast<float*>((at + kAlign - 1) & ~(kAlign - 1));
}

namespace {

memory::desc Any(const memory::dims& d) { return memory::desc(d, dt::f32, tag::any); }
memory::desc Plain(const memory::dims& d, tag t) { return memory::desc(d, dt::f32, t); }

// The convolution over the taps some output reads (conv_taps.h), if that drops any.
bool Trimmed(const ConvParams& p, ConvParams* t, TapWindow* w) {
  const int64_t in[18] = {p.N, p.C, p.H, p.W, p.O, p.KH, p.KW, p.OH, p.OW, p.sh, p.sw, p.pt, p.pl, p.pb, p.pr, p.dh, p.dw, p.G};
  int64_t v[18];
  if (!TrimTaps(in, v, w)) return false;
  *t = {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13], v[14], v[15], v[16], v[17]};
  return true;
}

// Swaps p and w for the trimmed convolution and its gathered weights, when trimming drops taps.
void TrimForward(ConvParams* p, float** w, TapWindow* tw, bool* trimmed) {
  ConvParams t;
  *trimmed = Trimmed(*p, &t, tw);
  if (!*trimmed) return;
  float* g = Scratch(3, t.WeiSize() * sizeof(float));
  GatherTaps(*w, g, p->O * (p->C / p->G), p->KH, p->KW, *tw);
  *p = t;
  *w = g;
}

dnnl::convolution_forward::primitive_desc ForwardPd(const ConvParams& p, bool bias) {
  auto d = bias ? dnnl::convolution_forward::desc(dnnl::prop_kind::forward_training, dnnl::algorithm::convolution_direct,
                                                  Any(p.Src()), Any(p.Wei()), Plain({p.O}, tag::x), Any(p.Dst()),
                                                  p.Strides(), p.Dilates(), p.PadL(), p.PadR())
                : dnnl::convolution_forward::desc(dnnl::prop_kind::forward_training, dnnl::algorithm::convolution_direct,
                                                  Any(p.Src()), Any(p.Wei()), Any(p.Dst()), p.Strides(), p.Dilates(),
                                                  p.PadL(), p.PadR());
  return dnnl::convolution_forward::primitive_desc(d, UserScratchpad(), Engine());
}

struct Forward {
  dnnl::convolution_forward prim;
  std::unique_ptr<Edge> src, wei, dst;
  memory::desc pad;
};

struct BackwardData {
  dnnl::convolution_backward_data prim;
  std::unique_ptr<Edge> diffDst, wei, diffSrc;
  memory::desc pad;
};

struct BackwardWeights {
  dnnl::convolution_backward_weights prim;
  std::unique_ptr<Edge> src, diffDst, diffWei;
  memory::desc pad;
};

template <typename T>
T* Cached(std::unordered_map<std::string, std::unique_ptr<T>>& cache, const std::string& key, T* (*make)(const ConvParams&, bool),
          const ConvParams& p, bool bias) {
  auto it = cache.find(key);
  if (it != cache.end()) return it->second.get();
  T* e = make(p, bias);
  cache.emplace(key, std::unique_ptr<T>(e));
  return e;
}

Forward* MakeForward(const ConvParams& p, bool bias) {
  auto pd = ForwardPd(p, bias);
  auto* e = new Forward{dnnl::convolution_forward(pd), nullptr, nullptr, nullptr, pd.scratchpad_desc()};
  e->src.reset(new Edge(Plain(p.Src(), tag::nchw), pd.src_desc(), 0));
  e->wei.reset(new Edge(Plain(p.Wei(), p.WeiTag()), pd.weights_desc(), 1));
  e->dst.reset(new Edge(Plain(p.Dst(), tag::nchw), pd.dst_desc(), 2));
  return e;
}

BackwardData* MakeBackwardData(const ConvParams& p, bool) {
  auto hint = ForwardPd(p, false);
  auto d = dnnl::convolution_backward_data::desc(dnnl::algorithm::convolution_direct, Any(p.Src()), Any(p.Wei()),
                                                 Any(p.Dst()), p.Strides(), p.Dilates(), p.PadL(), p.PadR());
  auto pd = dnnl::convolution_backward_data::primitive_desc(d, UserScratchpad(), Engine(), hint);
  auto* e = new BackwardData{dnnl::convolution_backward_data(pd), nullptr, nullptr, nullptr, pd.scratchpad_desc()};
  e->diffDst.reset(new Edge(Plain(p.Dst(), tag::nchw), pd.diff_dst_desc(), 0));
  e->wei.reset(new Edge(Plain(p.Wei(), p.WeiTag()), pd.weights_desc(), 1));
  e->diffSrc.reset(new Edge(Plain(p.Src(), tag::nchw), pd.diff_src_desc(), 2));
  return e;
}

BackwardWeights* MakeBackwardWeights(const ConvParams& p, bool bias) {
  auto hint = ForwardPd(p, bias);
  auto d = bias ? dnnl::convolution_backward_weights::desc(dnnl::algorithm::convolution_direct, Any(p.Src()), Any(p.Wei()),
                                                           Plain({p.O}, tag::x), Any(p.Dst()), p.Strides(), p.Dilates(),
                                                           p.PadL(), p.PadR())
                : dnnl::convolution_backward_weights::desc(dnnl::algorithm::convolution_direct, Any(p.Src()), Any(p.Wei()),
                                                           Any(p.Dst()), p.Strides(), p.Dilates(), p.PadL(), p.PadR());
  auto pd = dnnl::convolution_backward_weights::primitive_desc(d, UserScratchpad(), Engine(), hint);
  auto* e = new BackwardWeights{dnnl::convolution_backward_weights(pd), nullptr, nullptr, nullptr, pd.scratchpad_desc()};
  e->src.reset(new Edge(Plain(p.Src(), tag::nchw), pd.src_desc(), 0));
  e->diffDst.reset(new Edge(Plain(p.Dst(), tag::nchw), pd.diff_dst_desc(), 1));
  e->diffWei.reset(new Edge(Plain(p.Wei(), p.WeiTag()), pd.diff_weights_desc(), 2));
  return e;
}

auto& forwardCache = *new std::unordered_map<std::string, std::unique_ptr<Forward>>();
auto& backwardDataCache = *new std::unordered_map<std::string, std::unique_ptr<BackwardData>>();
auto& backwardWeightsCache = *new std::unordered_map<std::string, std::unique_ptr<BackwardWeights>>();

Napi::Value Fail(Napi::Env env, const char* op, const dnnl::error& e) {
  Napi::Error::New(env, std::string(op) + ": oneDNN error: " + e.what()).ThrowAsJavaScriptException();
  return env.Undefined();
}

}  // namespace

// conv2dForward(params: Int32Array, x, w, bias | null, y)
Napi::Value Conv2dForward(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ConvParams p;
  if (!ReadConvParams(info, 0, "conv2d", &p)) return env.Undefined();
  float* x = ArrayData<float>(info, 1, napi_float32_array, "conv2dForward", p.SrcSize());
  float* w = ArrayData<float>(info, 2, napi_float32_array, "conv2dForward", p.WeiSize());
  const bool hasBias = !info[3].IsNull() && !info[3].IsUndefined();
  float* b = hasBias ? ArrayData<float>(info, 3, napi_float32_array, "conv2dForward", p.O) : nullptr;
  float* y = ArrayData<float>(info, 4, napi_float32_array, "conv2dForward", p.DstSize());
  if (env.IsExceptionPending()) return env.Undefined();
  TapWindow tw;
  bool trimmed;
  TrimForward(&p, &w, &tw, &trimmed);
  try {
    Forward* e = Cached(forwardCache, p.Key(hasBias ? "fb" : "f"), MakeForward, p, hasBias);
    std::unordered_map<int, memory> args{{DNNL_ARG_SRC, e->src->In(x)}, {DNNL_ARG_WEIGHTS, e->wei->In(w)},
                                         {DNNL_ARG_DST, e->dst->Target(y)},
                                         {DNNL_ARG_SCRATCHPAD, Scratchpad(e->pad)}};
    if (hasBias) args.insert({DNNL_ARG_BIAS, memory(Plain({p.O}, tag::x), Engine(), b)});
    e->prim.execute(Stream(), args);
    e->dst->Out(y);
    Stream().wait();
  } catch (const dnnl::error& err) {
    return Fail(env, "conv2dForward", err);
  }
  return env.Undefined();
}

// The data gradient from an output gradient already in the primitive's memory.
static void RunBackwardData(BackwardData* e, const memory& dyIn, const memory& wIn, float* dx) {
  e->prim.execute(Stream(), {{DNNL_ARG_DIFF_DST, dyIn},
                             {DNNL_ARG_WEIGHTS, wIn},
                             {DNNL_ARG_DIFF_SRC, e->diffSrc->Target(dx)},
                             {DNNL_ARG_SCRATCHPAD, Scratchpad(e->pad)}});
  e->diffSrc->Out(dx);
  Stream().wait();
}

// The weight (and bias) gradient from operands already in the primitive's memory.
static void RunBackwardWeights(BackwardWeights* e, const ConvParams& p, const memory& srcIn, const memory& dyIn, float* dw, float* db) {
  std::unordered_map<int, memory> args{{DNNL_ARG_SRC, srcIn},
                                       {DNNL_ARG_DIFF_DST, dyIn},
                                       {DNNL_ARG_DIFF_WEIGHTS, e->diffWei->Target(dw)},
                                       {DNNL_ARG_SCRATCHPAD, Scratchpad(e->pad)}};
  if (db != nullptr) args.insert({DNNL_ARG_DIFF_BIAS, memory(Plain({p.O}, tag::x), Engine(), db)});
  e->prim.execute(Stream(), args);
  e->diffWei->Out(dw);
  Stream().wait();
}

// conv2dBackwardData(params, dy, w, dx)
Napi::Value Conv2dBackwardData(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ConvParams p;
  if (!ReadConvParams(info, 0, "conv2d", &p)) return env.Undefined();
  float* dy = ArrayData<float>(info, 1, napi_float32_array, "conv2dBackwardData", p.DstSize());
  float* w = ArrayData<float>(info, 2, napi_float32_array, "conv2dBackwardData", p.WeiSize());
  float* dx = ArrayData<float>(info, 3, napi_float32_array, "conv2dBackwardData", p.SrcSize());
  if (env.IsExceptionPending()) return env.Undefined();
  TapWindow tw;
  bool trimmed;
  TrimForward(&p, &w, &tw, &trimmed);
  try {
    BackwardData* e = Cached(backwardDataCache, p.Key("bd"), MakeBackwardData, p, false);
    RunBackwardData(e, e->diffDst->In(dy), e->wei->In(w), dx);
  } catch (const dnnl::error& err) {
    return Fail(env, "conv2dBackwardData", err);
  }
  return env.Undefined();
}

// conv2dBackwardWeights(params, x, dy, dw, db | null)
Napi::Value Conv2dBackwardWeights(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ConvParams p;
  if (!ReadConvParams(info, 0, "conv2d", &p)) return env.Undefined();
  float* x = ArrayData<float>(info, 1, napi_float32_array, "conv2dBackwardWeights", p.SrcSize());
  float* dy = ArrayData<float>(info, 2, napi_float32_array, "conv2dBackwardWeights", p.DstSize());
  float* dw = ArrayData<float>(info, 3, napi_float32_array, "conv2dBackwardWeights", p.WeiSize());
  const bool hasBias = !info[4].IsNull() && !info[4].IsUndefined();
  float* db = hasBias ? ArrayData<float>(info, 4, napi_float32_array, "conv2dBackwardWeights", p.O) : nullptr;
  if (env.IsExceptionPending()) return env.Undefined();
  // Over trimmed taps the gradient lands in scratch and is spread back (zeros elsewhere).
  const ConvParams full = p;
  float* const dwUser = dw;
  TapWindow tw;
  const bool trimmed = Trimmed(full, &p, &tw);
  if (trimmed) dw = Scratch(3, p.WeiSize() * sizeof(float));
  try {
    BackwardWeights* e = Cached(backwardWeightsCache, p.Key(hasBias ? "bwb" : "bw"), MakeBackwardWeights, p, hasBias);
    RunBackwardWeights(e, p, e->src->In(x), e->diffDst->In(dy), dw, db);
    if (trimmed) ScatterTaps(dw, dwUser, full.O * (full.C / full.G), full.KH, full.KW, tw);
  } catch (const dnnl::error& err) {
    return Fail(env, "conv2dBackwardWeights", err);
  }
  return env.Undefined();
}

// conv2dBackward(params, x, dy, w, dx, dw, db | null): both gradients in one call. The output
// gradient is reordered once when the two primitives read it in the same layout (they do for
// every shape seen so far), instead of once per primitive. Scratch use: the weight gradient runs
// first (x in slot 0, dy in 1, dw in 2); the data gradient then keeps dy in slot 1 and takes the
// weights into slot 0 and dx into slot 2.
Napi::Value Conv2dBackward(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ConvParams p;
  if (!ReadConvParams(info, 0, "conv2d", &p)) return env.Undefined();
  float* x = ArrayData<float>(info, 1, napi_float32_array, "conv2dBackward", p.SrcSize());
  float* dy = ArrayData<float>(info, 2, napi_float32_array, "conv2dBackward", p.DstSize());
  float* w = ArrayData<float>(info, 3, napi_float32_array, "conv2dBackward", p.WeiSize());
  float* dx = ArrayData<float>(info, 4, napi_float32_array, "conv2dBackward", p.SrcSize());
  float* dw = ArrayData<float>(info, 5, napi_float32_array, "conv2dBackward", p.WeiSize());
  const bool hasBias = !info[6].IsNull() && !info[6].IsUndefined();
  float* db = hasBias ? ArrayData<float>(info, 6, napi_float32_array, "conv2dBackward", p.O) : nullptr;
  if (env.IsExceptionPending()) return env.Undefined();
  const ConvParams full = p;
  float* const dwUser = dw;
  TapWindow tw;
  const bool trimmed = Trimmed(full, &p, &tw);
  if (trimmed) dw = Scratch(3, p.WeiSize() * sizeof(float));
  try {
    BackwardWeights* bw = Cached(backwardWeightsCache, p.Key(hasBias ? "bwb" : "bw"), MakeBackwardWeights, p, hasBias);
    BackwardData* bd = Cached(backwardDataCache, p.Key("bd"), MakeBackwardData, p, false);
    memory dyIn = bw->diffDst->In(dy, 1);
    RunBackwardWeights(bw, p, bw->src->In(x, 0), dyIn, dw, db);
    if (trimmed) {
      ScatterTaps(dw, dwUser, full.O * (full.C / full.G), full.KH, full.KW, tw);
      GatherTaps(w, dw, full.O * (full.C / full.G), full.KH, full.KW, tw);  // slot 3 now holds the trimmed weights
      w = dw;
    }
    if (!(bd->diffDst->inner == bw->diffDst->inner)) dyIn = bd->diffDst->In(dy, 1);
    // Edge::Target/Out of diffSrc use its own slot (2), free now that dw is out.
    RunBackwardData(bd, dyIn, bd->wei->In(w, 0), dx);
  } catch (const dnnl::error& err) {
    return Fail(env, "conv2dBackward", err);
  }
  return env.Undefined();
}

}  // namespace nabla
