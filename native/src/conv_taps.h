// Kernel taps that no output ever reads: on small images (ResNet's last stage runs 3×3 kernels
// over 1×1 and 2×2 images) most taps of a padded kernel only ever meet padding. Convolving with
// the taps that can meet the image, and padding shrunk to match, gives the same sums over a
// fraction of the weights (a third of ResNet-18's weight bytes sit in such kernels).
#pragma once
#include <cstdint>

namespace nabla {

// The conv geometry as conv.cc reads it: N, C, H, W, O, KH, KW, OH, OW, strideH, strideW,
// padTop, padLeft, padBottom, padRight, dilationH, dilationW, groups.
struct TapWindow {
  int64_t kh0, kw0;  // first kept tap per axis
  int64_t kh, kw;    // kept taps per axis
};

// Writes the geometry of the convolution over the kept taps into `trimmed` and returns true when
// some taps can be dropped (and the shrunk padding stays non-negative); otherwise returns false.
bool TrimTaps(const int64_t p[18], int64_t trimmed[18], TapWindow* w);

// Copies the kept taps of a [O, C/G, KH, KW] weight into a [O, C/G, kh, kw] one.
void GatherTaps(const float* w, float* out, int64_t rows, int64_t KH, int64_t KW, const TapWindow& t);

// The adjoint: writes the kept taps' gradient into a zeroed [O, C/G, KH, KW] gradient.
void ScatterTaps(const float* g, float* out, int64_t rows, int64_t KH, int64_t KW, const TapWindow& t);

}  // namespace nabla
