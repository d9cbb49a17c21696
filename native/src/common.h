// Shared helpers of nabla's native kernels: zero-copy access to the tensors' own TypedArrays.
#pragma once
#include <napi.h>

#include <cstdint>
#include <string>

namespace nabla {

// The element pointer of TypedArray argument i, checked to hold elements of type T and at least
// `minLength` of them (a short buffer is a JS error, never an out-of-bounds write).
template <typename T>
T* ArrayData(const Napi::CallbackInfo& info, size_t i, napi_typedarray_type type, const char* op, int64_t minLength = 0) {
  Napi::Env env = info.Env();
  if (env.IsExceptionPending()) return nullptr;  // an earlier argument already failed
  if (i >= info.Length() || !info[i].IsTypedArray()) {
    Napi::TypeError::New(env, std::string(op) + ": argument " + std::to_string(i) + " must be a TypedArray")
        .ThrowAsJavaScriptException();
    return nullptr;
  }
  Napi::TypedArray arr = info[i].As<Napi::TypedArray>();
  if (arr.TypedArrayType() != type) {
    Napi::TypeError::New(env, std::string(op) + ": argument " + std::to_string(i) + " has the wrong element type")
        .ThrowAsJavaScriptException();
    return nullptr;
  }
  if (static_cast<int64_t>(arr.ElementLength()) < minLength) {
    Napi::RangeError::New(env, std::string(op) + ": argument " + std::to_string(i) + " has " +
                                   std::to_string(arr.ElementLength()) + " elements, needs " + std::to_string(minLength))
        .ThrowAsJavaScriptException();
    return nullptr;
  }
  auto* base = static_cast<uint8_t*>(arr.ArrayBuffer().Data()) + arr.ByteOffset();
  return reinterpret_cast<T*>(base);
}

// Memory-bound passes fork OpenMP threads only from this many elements. Waking a second thread
// costs ~10 µs on an idle machine but milliseconds when it has more runnable threads than cores
// (ResNet-18's 100k-element ReLUs took ~5 ms each at 2 threads there); one thread does 1 M
// elements in well under a millisecond.
constexpr int64_t kParallelMin = 1 << 20;

inline int64_t Int(const Napi::CallbackInfo& info, size_t i) { return info[i].As<Napi::Number>().Int64Value(); }
inline bool Bool(const Napi::CallbackInfo& info, size_t i) { return info[i].As<Napi::Boolean>().Value(); }

Napi::Value Sgemm(const Napi::CallbackInfo& info);
Napi::Value Conv2dForward(const Napi::CallbackInfo& info);
Napi::Value Relu(const Napi::CallbackInfo& info);
Napi::Value ReluBackward(const Napi::CallbackInfo& info);
Napi::Value Axpy(const Napi::CallbackInfo& info);
Napi::Value Conv2dBackwardData(const Napi::CallbackInfo& info);
Napi::Value Conv2dBackwardWeights(const Napi::CallbackInfo& info);
Napi::Value Conv2dBackward(const Napi::CallbackInfo& info);
Napi::Value BatchNorm(const Napi::CallbackInfo& info);
Napi::Value BatchNormBackward(const Napi::CallbackInfo& info);
Napi::Value MaxPool2d(const Napi::CallbackInfo& info);
Napi::Value MaxPool2dBackward(const Napi::CallbackInfo& info);
Napi::Value AvgPool2d(const Napi::CallbackInfo& info);
Napi::Value AvgPool2dBackward(const Napi::CallbackInfo& info);
Napi::Value AdaptiveAvgPool2d(const Napi::CallbackInfo& info);
Napi::Value AdaptiveAvgPool2dBackward(const Napi::CallbackInfo& info);
Napi::Value SgdStep(const Napi::CallbackInfo& info);
Napi::Value AdamStep(const Napi::CallbackInfo& info);
Napi::Value AdadeltaStep(const Napi::CallbackInfo& info);
// bf16.cc: the autocast (bfloat16) kernels.
Napi::Value Bf16Support(const Napi::CallbackInfo& info);
Napi::Value RoundBf16Array(const Napi::CallbackInfo& info);
Napi::Value GemmBf16(const Napi::CallbackInfo& info);
Napi::Value Conv2dForwardBf16(const Napi::CallbackInfo& info);
Napi::Value Conv2dBackwardDataBf16(const Napi::CallbackInfo& info);
Napi::Value Conv2dBackwardWeightsBf16(const Napi::CallbackInfo& info);
Napi::Value Conv2dBackwardBf16(const Napi::CallbackInfo& info);

}  // namespace nabla
