// Fused optimizer steps: every parameter of a group updated in one call, the elements of all its
// tensors split evenly over the OpenMP threads (one fork per group, however many tensors). The
// arithmetic is PyTorch 1.13's single-tensor float32 path operation for operation, as in
// src/backend/js/optim.ts: every op rounds to float, scalars are cast to float first, and
// add(alpha)/addcmul are fused multiply-adds (std::fma, rounded once). The loops are compiled
// per ISA (plain x86-64, AVX2 + FMA, AVX-512) and the widest the CPU has runs, so FMA hardware
// and wide vectors are used where they exist; the plain build calls libm's fmaf, which rounds the
// same way.
#include <omp.h>

#include <cmath>
#include <vector>

#include "common.h"

namespace nabla {

namespace {

// The loops' bodies are always inlined into one function per ISA; Run picks by CPU features.
// (GCC's target_clones("arch=haswell", "arch=skylake-avx512") tests the CPU *model*, so every
// newer CPU got the plain loop: a call to fmaf per element, 2-3x slower than memory bandwidth.)
#define NABLA_BODY __attribute__((always_inline)) inline
#if defined(__x86_64__) && defined(__GNUC__)
enum class Isa { kBase, kAvx2, kAvx512 };
Isa CpuIsa() {
  static const Isa isa = [] {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512dq"))
      return Isa::kAvx512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return Isa::kAvx2;
    return Isa::kBase;
  }();
  return isa;
}
#define NABLA_PER_ISA(Name, Params, Args)                                                                        \
  __attribute__((target("avx512f,avx512vl,avx512bw,avx512dq,avx2,fma"))) void Name##Avx512 Params { Name Args; } \
  __attribute__((target("avx2,fma"))) void Name##Avx2 Params { Name Args; }                                     \
  void Name##Base Params { Name Args; }                                                                          \
  void Run##Name Params {                                                                                        \
    switch (CpuIsa()) {                                                                                          \
      case Isa::kAvx512: return Name##Avx512 Args;                                                               \
      case Isa::kAvx2: return Name##Avx2 Args;                                                                   \
      default: return Name##Base Args;                                                                           \
    }                                                                                                            \
  }
#else
#define NABLA_PER_ISA(Name, Params, Args) \
  void Run##Name Params { Name Args; }
#endif

struct SgdScalars {
  float wd, mom, keep, step;
  bool decay, momentum, nesterov, maximize;
};

NABLA_BODY void SgdRange(float* __restrict__ p, const float* __restrict__ g, float* __restrict__ b, bool init, int64_t lo, int64_t hi, const SgdScalars& scalars) {
  // A local copy of the scalars and distinct (restrict) arrays: the stores cannot alias them, so the loop vectorizes.
  const SgdScalars s = scalars;
  for (int64_t i = lo; i < hi; i++) {
    float d = s.maximize ? -g[i] : g[i];
    if (s.decay) d = std::fma(p[i], s.wd, d);
    if (s.momentum) {
      const float v = init ? d : std::fma(d, s.keep, b[i] * s.mom);
      b[i] = v;
      d = s.nesterov ? std::fma(v, s.mom, d) : v;
    }
    p[i] = std::fma(d, s.step, p[i]);
  }
}

struct AdamScalars {
  float wd, decay, b1, c1, b2, c2, eps;
  bool l2, shrink, maximize;
};

NABLA_BODY void AdamRange(float* __restrict__ p, const float* __restrict__ g, float* __restrict__ m, float* __restrict__ v,
                          float* __restrict__ mx, float step, float bc, int64_t lo, int64_t hi,
                          const AdamScalars& scalars) {
  const AdamScalars s = scalars;
  for (int64_t i = lo; i < hi; i++) {
    float gi = s.maximize ? -g[i] : g[i];
    float pi = p[i];
    if (s.shrink) pi = pi * s.decay;
    else if (s.l2) gi = std::fma(pi, s.wd, gi);
    const float mi = std::fma(gi, s.c1, m[i] * s.b1);
    m[i] = mi;
    float vi = std::fma(s.c2 * gi, gi, v[i] * s.b2);
    v[i] = vi;
    if (mx != nullptr) {
      const float cur = mx[i];
      vi = (cur > vi || cur != cur) ? cur : vi;  // torch.maximum: NaN wins
      mx[i] = vi;
    }
    const float denom = std::sqrt(vi) / bc + s.eps;
    p[i] = pi + (step * mi) / denom;
  }
}

struct AdadeltaScalars {
  float wd, rho, c, eps, step;
  bool decay, maximize;
};

NABLA_BODY void AdadeltaRange(float* __restrict__ p, const float* __restrict__ g, float* __restrict__ sq, float* __restrict__ u, int64_t lo, int64_t hi, const AdadeltaScalars& scalars) {
  const AdadeltaScalars s = scalars;
  for (int64_t i = lo; i < hi; i++) {
    float gi = s.maximize ? -g[i] : g[i];
    if (s.decay) gi = std::fma(p[i], s.wd, gi);
    const float si = std::fma(s.c * gi, gi, sq[i] * s.rho);
    sq[i] = si;
    const float std_ = std::sqrt(si + s.eps);
    const float delta = (std::sqrt(u[i] + s.eps) / std_) * gi;
    u[i] = std::fma(s.c * delta, delta, u[i] * s.rho);
    p[i] = std::fma(delta, s.step, p[i]);
  }
}

NABLA_PER_ISA(SgdRange, (float* p, const float* g, float* b, bool init, int64_t lo, int64_t hi, const SgdScalars& s),
              (p, g, b, init, lo, hi, s))
NABLA_PER_ISA(AdamRange,
              (float* p, const float* g, float* m, float* v, float* mx, float step, float bc, int64_t lo, int64_t hi, const AdamScalars& s),
              (p, g, m, v, mx, step, bc, lo, hi, s))
NABLA_PER_ISA(AdadeltaRange, (float* p, const float* g, float* sq, float* u, int64_t lo, int64_t hi, const AdadeltaScalars& s),
              (p, g, sq, u, lo, hi, s))

// The float32 arrays of JS array argument `arg` (null when `nullable` and the argument is null),
// each checked to have at least lengths[t] elements (lengths empty: take the arrays' own lengths).
bool Arrays(const Napi::CallbackInfo& info, size_t arg, const char* op, std::vector<int64_t>& lengths, std::vector<float*>& out,
            bool nullable = false) {
  Napi::Env env = info.Env();
  out.clear();
  if (nullable && info[arg].IsNull()) return true;
  if (!info[arg].IsArray()) {
    Napi::TypeError::New(env, std::string(op) + ": argument " + std::to_string(arg) + " must be an array of Float32Arrays")
        .ThrowAsJavaScriptException();
    return false;
  }
  Napi::Array a = info[arg].As<Napi::Array>();
  const bool own = lengths.empty();
  if (!own && a.Length() != lengths.size()) {
    Napi::RangeError::New(env, std::string(op) + ": argument " + std::to_string(arg) + " has " + std::to_string(a.Length()) +
                                   " arrays, needs " + std::to_string(lengths.size()))
        .ThrowAsJavaScriptException();
    return false;
  }
  for (uint32_t t = 0; t < a.Length(); t++) {
    Napi::Value v = a.Get(t);
    if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
      Napi::TypeError::New(env, std::string(op) + ": argument " + std::to_string(arg) + "[" + std::to_string(t) + "] must be a Float32Array")
          .ThrowAsJavaScriptException();
      return false;
    }
    Napi::TypedArray ta = v.As<Napi::TypedArray>();
    const int64_t len = static_cast<int64_t>(ta.ElementLength());
    if (own) lengths.push_back(len);
    else if (len < lengths[t]) {
      Napi::RangeError::New(env, std::string(op) + ": argument " + std::to_string(arg) + "[" + std::to_string(t) + "] has " +
                                     std::to_string(len) + " elements, needs " + std::to_string(lengths[t]))
          .ThrowAsJavaScriptException();
      return false;
    }
    out.push_back(reinterpret_cast<float*>(static_cast<uint8_t*>(ta.ArrayBuffer().Data()) + ta.ByteOffset()));
  }
  return true;
}

// Runs body(t, lo, hi) over every tensor's elements, the total split evenly over the threads.
template <typename Body>
void ForEachRange(const std::vector<int64_t>& lengths, Body body) {
  int64_t total = 0;
  for (int64_t n : lengths) total += n;
  if (total == 0) return;
  const int threads = total < kParallelMin ? 1 : omp_get_max_threads();
#pragma omp parallel num_threads(threads)
  {
    const int nt = omp_get_num_threads();
    const int tid = omp_get_thread_num();
    const int64_t begin = total * tid / nt;
    const int64_t end = total * (tid + 1) / nt;
    int64_t base = 0;
    for (size_t t = 0; t < lengths.size() && base < end; t++) {
      const int64_t lo = std::max(begin, base);
      const int64_t hi = std::min(end, base + lengths[t]);
      if (lo < hi) body(t, lo - base, hi - base);
      base += lengths[t];
    }
  }
}

double Num(const Napi::Object& o, const char* key) { return o.Get(key).As<Napi::Number>().DoubleValue(); }
bool Flag(const Napi::Object& o, const char* key) { return o.Get(key).As<Napi::Boolean>().Value(); }

}  // namespace

// sgdStep(params, grads, momentumBuffers | null, initBuffers, { lr, momentum, dampening, weightDecay, nesterov, maximize })
Napi::Value SgdStep(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::vector<int64_t> n;
  std::vector<float*> p, g, b;
  if (!Arrays(info, 0, "sgdStep", n, p) || !Arrays(info, 1, "sgdStep", n, g) || !Arrays(info, 2, "sgdStep", n, b, true))
    return env.Undefined();
  Napi::Array initArr = info[3].As<Napi::Array>();
  Napi::Object o = info[4].As<Napi::Object>();
  std::vector<char> init(p.size());
  for (size_t t = 0; t < p.size(); t++) init[t] = t < initArr.Length() && initArr.Get(static_cast<uint32_t>(t)).ToBoolean().Value();
  const double momentum = Num(o, "momentum");
  SgdScalars s{static_cast<float>(Num(o, "weightDecay")),
               static_cast<float>(momentum),
               static_cast<float>(1 - Num(o, "dampening")),
               static_cast<float>(-Num(o, "lr")),
               Num(o, "weightDecay") != 0,
               momentum != 0 && !b.empty(),
               Flag(o, "nesterov"),
               Flag(o, "maximize")};
  ForEachRange(n, [&](size_t t, int64_t lo, int64_t hi) { RunSgdRange(p[t], g[t], s.momentum ? b[t] : nullptr, init[t], lo, hi, s); });
  return env.Undefined();
}

// adamStep(params, grads, expAvgs, expAvgSqs, maxExpAvgSqs | null, stepSizes, bc2Sqrts,
//          { lr, beta1, beta2, eps, weightDecay, decoupled, maximize })
Napi::Value AdamStep(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::vector<int64_t> n;
  std::vector<float*> p, g, m, v, mx;
  if (!Arrays(info, 0, "adamStep", n, p) || !Arrays(info, 1, "adamStep", n, g) || !Arrays(info, 2, "adamStep", n, m) ||
      !Arrays(info, 3, "adamStep", n, v) || !Arrays(info, 4, "adamStep", n, mx, true))
    return env.Undefined();
  Napi::Array stepSizes = info[5].As<Napi::Array>();
  Napi::Array bc2Sqrts = info[6].As<Napi::Array>();
  Napi::Object o = info[7].As<Napi::Object>();
  std::vector<float> step(p.size()), bc(p.size());
  for (uint32_t t = 0; t < p.size(); t++) {
    step[t] = static_cast<float>(-stepSizes.Get(t).As<Napi::Number>().DoubleValue());
    bc[t] = static_cast<float>(bc2Sqrts.Get(t).As<Napi::Number>().DoubleValue());
  }
  const double lr = Num(o, "lr"), wd = Num(o, "weightDecay"), beta1 = Num(o, "beta1"), beta2 = Num(o, "beta2");
  const bool decoupled = Flag(o, "decoupled");
  const float decay = static_cast<float>(1 - lr * wd);
  AdamScalars s{static_cast<float>(wd),
                decay,
                static_cast<float>(beta1),
                static_cast<float>(1 - beta1),
                static_cast<float>(beta2),
                static_cast<float>(1 - beta2),
                static_cast<float>(Num(o, "eps")),
                !decoupled && wd != 0,
                decoupled && decay != 1.0f,
                Flag(o, "maximize")};
  const bool ams = !mx.empty();
  ForEachRange(n, [&](size_t t, int64_t lo, int64_t hi) {
    RunAdamRange(p[t], g[t], m[t], v[t], ams ? mx[t] : nullptr, step[t], bc[t], lo, hi, s);
  });
  return env.Undefined();
}

// adadeltaStep(params, grads, squareAvgs, accDeltas, { lr, rho, eps, weightDecay, maximize })
Napi::Value AdadeltaStep(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::vector<int64_t> n;
  std::vector<float*> p, g, sq, u;
  if (!Arrays(info, 0, "adadeltaStep", n, p) || !Arrays(info, 1, "adadeltaStep", n, g) || !Arrays(info, 2, "adadeltaStep", n, sq) ||
      !Arrays(info, 3, "adadeltaStep", n, u))
    return env.Undefined();
  Napi::Object o = info[4].As<Napi::Object>();
  const double rho = Num(o, "rho"), wd = Num(o, "weightDecay");
  AdadeltaScalars s{static_cast<float>(wd),
                    static_cast<float>(rho),
                    static_cast<float>(1 - rho),
                    static_cast<float>(Num(o, "eps")),
                    static_cast<float>(-Num(o, "lr")),
                    wd != 0,
                    Flag(o, "maximize")};
  ForEachRange(n, [&](size_t t, int64_t lo, int64_t hi) { RunAdadeltaRange(p[t], g[t], sq[t], u[t], lo, hi, s); });
  return env.Undefined();
}

}  // namespace nabla
