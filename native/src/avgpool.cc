// Average and adaptive average pooling, forward and backward, over contiguous float32 planes,
// planes in parallel. The arithmetic is src/backend/js/pool.ts's (PyTorch's divisor rules): window
// sums accumulate in double in row-major order and are divided in double, the backward pass adds
// gradOut/divisor in double per input element and rounds once, so results are bit-identical.
#include <algorithm>
#include <vector>

#include "common.h"

namespace nabla {

namespace {

// One axis of a window per output index: the window clipped to the input [start, end) and its
// extent clipped to the padded input (the count_include_pad divisor).
struct Axis {
  std::vector<int64_t> start, end, padded;
};

Axis AvgAxis(int64_t outSize, int64_t stride, int64_t pad, int64_t k, int64_t size) {
  Axis a{std::vector<int64_t>(outSize), std::vector<int64_t>(outSize), std::vector<int64_t>(outSize)};
  for (int64_t o = 0; o < outSize; o++) {
    const int64_t s = o * stride - pad, e = std::min(s + k, size + pad);
    a.padded[o] = e - s;
    a.start[o] = std::max<int64_t>(s, 0);
    a.end[o] = std::min(e, size);
  }
  return a;
}

// Adaptive pooling's windows: floor(o·in/out) to ceil((o+1)·in/out); the divisor is the window.
Axis AdaptiveAxis(int64_t outSize, int64_t inSize) {
  Axis a{std::vector<int64_t>(outSize), std::vector<int64_t>(outSize), std::vector<int64_t>(outSize)};
  for (int64_t o = 0; o < outSize; o++) {
    a.start[o] = (o * inSize) / outSize;
    a.end[o] = ((o + 1) * inSize + outSize - 1) / outSize;
    a.padded[o] = a.end[o] - a.start[o];
  }
  return a;
}

// divisor(oh, ow): the number each window's sum is divided by.
template <typename Divisor>
void Forward(const float* x, float* out, int64_t planes, int64_t inH, int64_t inW, const Axis& h, const Axis& w, Divisor divisor) {
  const int64_t outH = static_cast<int64_t>(h.start.size()), outW = static_cast<int64_t>(w.start.size());
#pragma omp parallel for schedule(static) if (planes * inH * inW >= kParallelMin)
  for (int64_t c = 0; c < planes; c++) {
    const float* xp = x + c * inH * inW;
    float* op = out + c * outH * outW;
    for (int64_t oh = 0; oh < outH; oh++) {
      const int64_t hs = h.start[oh], he = h.end[oh];
      for (int64_t ow = 0; ow < outW; ow++) {
        const int64_t ws = w.start[ow], we = w.end[ow];
        if (hs >= he || ws >= we) {
          op[oh * outW + ow] = 0.f;
          continue;
        }
        double s = 0;
        for (int64_t i = hs; i < he; i++)
          for (int64_t j = ws; j < we; j++) s += xp[i * inW + j];
        op[oh * outW + ow] = static_cast<float>(s / divisor(oh, ow));
      }
    }
  }
}

template <typename Divisor>
void Backward(const float* g, float* gi, int64_t planes, int64_t inH, int64_t inW, const Axis& h, const Axis& w, Divisor divisor) {
  const int64_t outH = static_cast<int64_t>(h.start.size()), outW = static_cast<int64_t>(w.start.size());
  const int64_t inPlane = inH * inW;
#pragma omp parallel if (planes * inPlane >= kParallelMin)
  {
    std::vector<double> acc(inPlane);
#pragma omp for schedule(static)
    for (int64_t c = 0; c < planes; c++) {
      const float* gp = g + c * outH * outW;
      std::fill(acc.begin(), acc.end(), 0.0);
      for (int64_t oh = 0; oh < outH; oh++) {
        const int64_t hs = h.start[oh], he = h.end[oh];
        for (int64_t ow = 0; ow < outW; ow++) {
          const int64_t ws = w.start[ow], we = w.end[ow];
          if (hs >= he || ws >= we) continue;
          const double v = static_cast<double>(gp[oh * outW + ow]) / divisor(oh, ow);
          for (int64_t i = hs; i < he; i++)
            for (int64_t j = ws; j < we; j++) acc[i * inW + j] += v;
        }
      }
      float* out = gi + c * inPlane;
      for (int64_t i = 0; i < inPlane; i++) out[i] = static_cast<float>(acc[i]);
    }
  }
}

// params: [planes, inH, inW, outH, outW, kH, kW, sH, sW, pH, pW, dH, dW, countIncludePad, divisorOverride]
struct AvgParams {
  int64_t planes, inH, inW, outH, outW;
  Axis h, w;
  bool countIncludePad;
  int64_t divisorOverride;
  double Divisor(int64_t oh, int64_t ow) const {
    if (divisorOverride != 0) return static_cast<double>(divisorOverride);
    if (countIncludePad) return static_cast<double>(h.padded[oh] * w.padded[ow]);
    return static_cast<double>((h.end[oh] - h.start[oh]) * (w.end[ow] - w.start[ow]));
  }
};

AvgParams ReadAvg(const int32_t* q) {
  return {q[0], q[1], q[2], q[3], q[4], AvgAxis(q[3], q[7], q[9], q[5], q[1]), AvgAxis(q[4], q[8], q[10], q[6], q[2]), q[13] != 0,
          q[14]};
}

}  // namespace

// avgPool2d(params: Int32Array(15), x, out)
Napi::Value AvgPool2d(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int32_t* q = ArrayData<int32_t>(info, 0, napi_int32_array, "avgPool2d", 15);
  if (q == nullptr) return env.Undefined();
  const AvgParams p = ReadAvg(q);
  const float* x = ArrayData<float>(info, 1, napi_float32_array, "avgPool2d", p.planes * p.inH * p.inW);
  float* out = ArrayData<float>(info, 2, napi_float32_array, "avgPool2d", p.planes * p.outH * p.outW);
  if (env.IsExceptionPending()) return env.Undefined();
  Forward(x, out, p.planes, p.inH, p.inW, p.h, p.w, [&p](int64_t oh, int64_t ow) { return p.Divisor(oh, ow); });
  return env.Undefined();
}

// avgPool2dBackward(params: Int32Array(15), gradOut, gradInput)
Napi::Value AvgPool2dBackward(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int32_t* q = ArrayData<int32_t>(info, 0, napi_int32_array, "avgPool2dBackward", 15);
  if (q == nullptr) return env.Undefined();
  const AvgParams p = ReadAvg(q);
  const float* g = ArrayData<float>(info, 1, napi_float32_array, "avgPool2dBackward", p.planes * p.outH * p.outW);
  float* gi = ArrayData<float>(info, 2, napi_float32_array, "avgPool2dBackward", p.planes * p.inH * p.inW);
  if (env.IsExceptionPending()) return env.Undefined();
  Backward(g, gi, p.planes, p.inH, p.inW, p.h, p.w, [&p](int64_t oh, int64_t ow) { return p.Divisor(oh, ow); });
  return env.Undefined();
}

// adaptiveAvgPool2d(params: Int32Array [planes, inH, inW, outH, outW], x, out)
Napi::Value AdaptiveAvgPool2d(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int32_t* q = ArrayData<int32_t>(info, 0, napi_int32_array, "adaptiveAvgPool2d", 5);
  if (q == nullptr) return env.Undefined();
  const int64_t planes = q[0], inH = q[1], inW = q[2], outH = q[3], outW = q[4];
  const float* x = ArrayData<float>(info, 1, napi_float32_array, "adaptiveAvgPool2d", planes * inH * inW);
  float* out = ArrayData<float>(info, 2, napi_float32_array, "adaptiveAvgPool2d", planes * outH * outW);
  if (env.IsExceptionPending()) return env.Undefined();
  const Axis h = AdaptiveAxis(outH, inH), w = AdaptiveAxis(outW, inW);
  Forward(x, out, planes, inH, inW, h, w,
          [&h, &w](int64_t oh, int64_t ow) { return static_cast<double>(h.padded[oh] * w.padded[ow]); });
  return env.Undefined();
}

// adaptiveAvgPool2dBackward(params: Int32Array(5), gradOut, gradInput)
Napi::Value AdaptiveAvgPool2dBackward(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int32_t* q = ArrayData<int32_t>(info, 0, napi_int32_array, "adaptiveAvgPool2dBackward", 5);
  if (q == nullptr) return env.Undefined();
  const int64_t planes = q[0], inH = q[1], inW = q[2], outH = q[3], outW = q[4];
  const float* g = ArrayData<float>(info, 1, napi_float32_array, "adaptiveAvgPool2dBackward", planes * outH * outW);
  float* gi = ArrayData<float>(info, 2, napi_float32_array, "adaptiveAvgPool2dBackward", planes * inH * inW);
  if (env.IsExceptionPending()) return env.Undefined();
  const Axis h = AdaptiveAxis(outH, inH), w = AdaptiveAxis(outW, inW);
  Backward(g, gi, planes, inH, inW, h, w,
           [&h, &w](int64_t oh, int64_t ow) { return static_cast<double>(h.padded[oh] * w.padded[ow]); });
  return env.Undefined();
}

}  // namespace nabla
