// Max pooling forward and backward over contiguous float32 planes, planes in parallel. Same rules
// as src/backend/js/pool.ts (PyTorch's): the first maximum in row-major window order wins, a NaN
// counts as a maximum, the index starts at the first in-bounds tap; the backward pass scatters each
// output gradient to its argmax, summing collisions in window order within a plane.
#include <algorithm>
#include <cmath>
#include <limits>

#include "common.h"

namespace nabla {

namespace {
int64_t FirstTap(int64_t start, int64_t dil) { return start >= 0 ? 0 : (-start + dil - 1) / dil; }
int64_t EndTap(int64_t start, int64_t dil, int64_t k, int64_t size) {
  const int64_t last = size - 1 - start;
  return last < 0 ? 0 : std::min(k, last / dil + 1);
}
}  // namespace

// maxPool2d(params: Int32Array [planes, inH, inW, outH, outW, kH, kW, sH, sW, pH, pW, dH, dW], x, out, indices)
Napi::Value MaxPool2d(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int32_t* q = ArrayData<int32_t>(info, 0, napi_int32_array, "maxPool2d", 13);
  if (q == nullptr) return env.Undefined();
  const int64_t planes = q[0], inH = q[1], inW = q[2], outH = q[3], outW = q[4], kH = q[5], kW = q[6], sH = q[7], sW = q[8],
                pH = q[9], pW = q[10], dH = q[11], dW = q[12];
  const float* x = ArrayData<float>(info, 1, napi_float32_array, "maxPool2d", planes * inH * inW);
  float* out = ArrayData<float>(info, 2, napi_float32_array, "maxPool2d", planes * outH * outW);
  int32_t* indices = ArrayData<int32_t>(info, 3, napi_int32_array, "maxPool2d", planes * outH * outW);
  if (env.IsExceptionPending()) return env.Undefined();
#pragma omp parallel for schedule(static) if (planes * inH * inW >= kParallelMin)
  for (int64_t c = 0; c < planes; c++) {
    const float* xp = x + c * inH * inW;
    float* op = out + c * outH * outW;
    int32_t* ip = indices + c * outH * outW;
    for (int64_t oh = 0; oh < outH; oh++) {
      const int64_t h0 = oh * sH - pH, i0 = FirstTap(h0, dH), i1 = EndTap(h0, dH, kH, inH);
      for (int64_t ow = 0; ow < outW; ow++) {
        const int64_t w0 = ow * sW - pW, j0 = FirstTap(w0, dW), j1 = EndTap(w0, dW, kW, inW);
        int64_t best = (h0 + i0 * dH) * inW + w0 + j0 * dW;
        float max = -std::numeric_limits<float>::infinity();
        for (int64_t i = i0; i < i1; i++) {
          const int64_t row = (h0 + i * dH) * inW + w0;
          for (int64_t j = j0; j < j1; j++) {
            const int64_t idx = row + j * dW;
            const float v = xp[idx];
            if (v > max || std::isnan(v)) {
              max = v;
              best = idx;
            }
          }
        }
        op[oh * outW + ow] = max;
        ip[oh * outW + ow] = static_cast<int32_t>(best);
      }
    }
  }
  return env.Undefined();
}

// maxPool2dBackward(params, gradOut, indices, gradInput)
Napi::Value MaxPool2dBackward(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int32_t* q = ArrayData<int32_t>(info, 0, napi_int32_array, "maxPool2dBackward", 13);
  if (q == nullptr) return env.Undefined();
  const int64_t planes = q[0], inPlane = static_cast<int64_t>(q[1]) * q[2], outPlane = static_cast<int64_t>(q[3]) * q[4];
  const float* g = ArrayData<float>(info, 1, napi_float32_array, "maxPool2dBackward", planes * outPlane);
  const int32_t* indices = ArrayData<int32_t>(info, 2, napi_int32_array, "maxPool2dBackward", planes * outPlane);
  float* gi = ArrayData<float>(info, 3, napi_float32_array, "maxPool2dBackward", planes * inPlane);
  if (env.IsExceptionPending()) return env.Undefined();
#pragma omp parallel for schedule(static) if (planes * inPlane >= kParallelMin)
  for (int64_t c = 0; c < planes; c++) {
    float* gp = gi + c * inPlane;
    std::fill(gp, gp + inPlane, 0.f);
    const float* go = g + c * outPlane;
    const int32_t* ip = indices + c * outPlane;
    for (int64_t k = 0; k < outPlane; k++) {
      const int32_t idx = ip[k];
      if (idx >= 0 && idx < inPlane) gp[idx] += go[k];
    }
  }
  return env.Undefined();
}

}  // namespace nabla
