// Convolution geometry, scratch and operand edges shared by the float32 convolutions (conv.cc)
// and the bf16 ones (bf16.cc).
#pragma once
#include <dnnl.hpp>

#include <string>

#include "common.h"
#include "reorder.h"

namespace nabla {

// params: N, C, H, W, O, KH, KW, OH, OW, strideH, strideW, padTop, padLeft, padBottom, padRight,
// dilationH, dilationW, groups (PyTorch's dilation: 1 = dense).
struct ConvParams {
  int64_t N, C, H, W, O, KH, KW, OH, OW, sh, sw, pt, pl, pb, pr, dh, dw, G;
  std::string Key(const char* kind) const {
    std::string k(kind);
    for (int64_t v : {N, C, H, W, O, KH, KW, OH, OW, sh, sw, pt, pl, pb, pr, dh, dw, G}) k += "," + std::to_string(v);
    return k;
  }
  dnnl::memory::dims Src() const { return {N, C, H, W}; }
  dnnl::memory::dims Dst() const { return {N, O, OH, OW}; }
  dnnl::memory::dims Wei() const { return G == 1 ? dnnl::memory::dims{O, C, KH, KW} : dnnl::memory::dims{G, O / G, C / G, KH, KW}; }
  dnnl::memory::format_tag WeiTag() const {
    return G == 1 ? dnnl::memory::format_tag::oihw : dnnl::memory::format_tag::goihw;
  }
  int64_t SrcSize() const { return N * C * H * W; }
  int64_t DstSize() const { return N * O * OH * OW; }
  int64_t WeiSize() const { return O * (C / G) * KH * KW; }
  dnnl::memory::dims Strides() const { return {sh, sw}; }
  dnnl::memory::dims Dilates() const { return {dh - 1, dw - 1}; }
  dnnl::memory::dims PadL() const { return {pt, pl}; }
  dnnl::memory::dims PadR() const { return {pb, pr}; }
};

inline bool ReadConvParams(const Napi::CallbackInfo& info, size_t i, const char* op, ConvParams* p) {
  const int32_t* v = ArrayData<int32_t>(info, i, napi_int32_array, op, 18);
  if (v == nullptr) return false;
  *p = {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13], v[14], v[15], v[16], v[17]};
  return true;
}

// Scratch memory for layout conversions, shared by all convolution and bf16 primitives: calls
// run one at a time, so each operand slot (0-2) of a call can reuse one grow-only buffer instead
// of every cached primitive keeping its own copies of activation-sized tensors. Slot 3 holds
// trimmed weights, slot 4 the primitives' own scratchpad. Defined in conv.cc.
float* Scratch(int slot, size_t bytes);

// oneDNN's "user" scratchpad mode: a primitive takes its temporary memory from Scratch slot 4 at
// each execution instead of allocating it itself (which costs page faults on every call for the
// large AMX convolution scratchpads).
inline dnnl::primitive_attr UserScratchpad() {
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  return attr;
}
inline dnnl::memory Scratchpad(const dnnl::memory::desc& d) { return dnnl::memory(d, Engine(), Scratch(4, d.get_size())); }

// One operand of a primitive: the user's plain float32 buffer and the primitive's preferred layout, with
// reorders between them when the two differ (otherwise the user's memory is used directly, also
// when the layouts differ only in name, e.g. channel blocks over a 1×1 image).
struct Edge {
  dnnl::memory::desc plain, inner;
  int slot;
  bool same;
  Edge(const dnnl::memory::desc& p, const dnnl::memory::desc& in, int s) : plain(p), inner(in), slot(s), same(SameBytes(p, in)) {}
  dnnl::memory Inner() { return dnnl::memory(inner, Engine(), Scratch(slot, inner.get_size())); }
  // The memory the primitive reads: the user's buffer, or scratch (this edge's slot, or `at`)
  // after reordering into it.
  dnnl::memory In(float* user) { return In(user, slot); }
  dnnl::memory In(float* user, int at) {
    if (same) return dnnl::memory(inner, Engine(), user);
    dnnl::memory u(plain, Engine(), user);
    dnnl::memory m(inner, Engine(), Scratch(at, inner.get_size()));
    Reorder(u, m);
    return m;
  }
  // The memory the primitive writes; Out() copies it back to the user's buffer afterwards.
  dnnl::memory Target(float* user) { return same ? dnnl::memory(inner, Engine(), user) : Inner(); }
  void Out(float* user) {
    if (same) return;
    dnnl::memory u(plain, Engine(), user);
    dnnl::memory m(inner, Engine(), Scratch(slot, inner.get_size()));
    Reorder(m, u);
  }
};

}  // namespace nabla
