// nabla's native CPU backend: oneDNN kernels reading and writing JS-owned TypedArrays in place.
#include <dnnl.h>
#include <omp.h>

#include "common.h"

namespace nabla {

static const char* IsaName(dnnl_cpu_isa_t isa) {
  switch (isa) {
    case dnnl_cpu_isa_sse41: return "sse41";
    case dnnl_cpu_isa_avx: return "avx";
    case dnnl_cpu_isa_avx2: return "avx2";
    case dnnl_cpu_isa_avx2_vnni: return "avx2_vnni";
    case dnnl_cpu_isa_avx512_core: return "avx512_core";
    case dnnl_cpu_isa_avx512_core_vnni: return "avx512_core_vnni";
    case dnnl_cpu_isa_avx512_core_bf16: return "avx512_core_bf16";
    case dnnl_cpu_isa_avx512_core_amx: return "avx512_core_amx";
    default: return "other";
  }
}

// info(): { onednn: "2.6.3", isa, threads }
static Napi::Value Info(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const dnnl_version_t* v = dnnl_version();
  Napi::Object out = Napi::Object::New(env);
  out.Set("onednn", std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch));
  out.Set("isa", IsaName(dnnl_get_effective_cpu_isa()));
  out.Set("threads", omp_get_max_threads());
  return out;
}

static Napi::Value SetNumThreads(const Napi::CallbackInfo& info) {
  int n = static_cast<int>(Int(info, 0));
  if (n < 1) {
    Napi::RangeError::New(info.Env(), "setNumThreads: n must be >= 1").ThrowAsJavaScriptException();
    return info.Env().Undefined();
  }
  omp_set_num_threads(n);
  return info.Env().Undefined();
}

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("info", Napi::Function::New(env, Info));
  exports.Set("setNumThreads", Napi::Function::New(env, SetNumThreads));
  exports.Set("sgemm", Napi::Function::New(env, Sgemm));
  exports.Set("conv2dForward", Napi::Function::New(env, Conv2dForward));
  exports.Set("relu", Napi::Function::New(env, Relu));
  exports.Set("reluBackward", Napi::Function::New(env, ReluBackward));
  exports.Set("axpy", Napi::Function::New(env, Axpy));
  exports.Set("conv2dBackwardData", Napi::Function::New(env, Conv2dBackwardData));
  exports.Set("conv2dBackwardWeights", Napi::Function::New(env, Conv2dBackwardWeights));
  exports.Set("conv2dBackward", Napi::Function::New(env, Conv2dBackward));
  exports.Set("batchNorm", Napi::Function::New(env, BatchNorm));
  exports.Set("batchNormBackward", Napi::Function::New(env, BatchNormBackward));
  exports.Set("maxPool2d", Napi::Function::New(env, MaxPool2d));
  exports.Set("maxPool2dBackward", Napi::Function::New(env, MaxPool2dBackward));
  exports.Set("avgPool2d", Napi::Function::New(env, AvgPool2d));
  exports.Set("avgPool2dBackward", Napi::Function::New(env, AvgPool2dBackward));
  exports.Set("adaptiveAvgPool2d", Napi::Function::New(env, AdaptiveAvgPool2d));
  exports.Set("adaptiveAvgPool2dBackward", Napi::Function::New(env, AdaptiveAvgPool2dBackward));
  exports.Set("sgdStep", Napi::Function::New(env, SgdStep));
  exports.Set("adamStep", Napi::Function::New(env, AdamStep));
  exports.Set("adadeltaStep", Napi::Function::New(env, AdadeltaStep));
  exports.Set("bf16Support", Napi::Function::New(env, Bf16Support));
  exports.Set("roundBf16", Napi::Function::New(env, RoundBf16Array));
  exports.Set("gemmBf16", Napi::Function::New(env, GemmBf16));
  exports.Set("conv2dForwardBf16", Napi::Function::New(env, Conv2dForwardBf16));
  exports.Set("conv2dBackwardDataBf16", Napi::Function::New(env, Conv2dBackwardDataBf16));
  exports.Set("conv2dBackwardWeightsBf16", Napi::Function::New(env, Conv2dBackwardWeightsBf16));
  exports.Set("conv2dBackwardBf16", Napi::Function::New(env, Conv2dBackwardBf16));
  return exports;
}

}  // namespace nabla

static Napi::Object InitAddon(Napi::Env env, Napi::Object exports) { return nabla::Init(env, exports); }

NODE_API_MODULE(nabla_native, InitAddon)
