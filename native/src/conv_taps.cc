// Dropping kernel taps that only ever meet padding: see conv_taps.h.
#include "conv_taps.h"

#include <algorithm>
#include <cstring>

namespace nabla {

namespace {
// The taps [lo, hi] of one axis that some output reads inside the image; false when none does.
bool Span(int64_t in, int64_t k, int64_t out, int64_t stride, int64_t pad, int64_t dil, int64_t* lo, int64_t* hi) {
  *lo = k;
  *hi = -1;
  for (int64_t i = 0; i < k; i++) {
    // Output o reads position o·stride − pad + i·dil; some o in [0, out) lands in [0, in)?
    const int64_t first = i * dil - pad, last = (out - 1) * stride + first;
    if (last < 0 || first >= in) continue;
    // Positions first, first + stride, …: one of them in [0, in) unless they all step over it.
    const int64_t o = first >= 0 ? 0 : (-first + stride - 1) / stride;
    if (o < out && first + o * stride < in) {
      *lo = std::min(*lo, i);
      *hi = std::max(*hi, i);
    }
  }
  return *hi >= 0;
}
}  // namespace

bool TrimTaps(const int64_t p[18], int64_t t[18], TapWindow* w) {
  const int64_t H = p[2], W = p[3], KH = p[5], KW = p[6], OH = p[7], OW = p[8], sh = p[9], sw = p[10], pt = p[11], pl = p[12],
                pb = p[13], pr = p[14], dh = p[15], dw = p[16];
  int64_t h0, h1, w0, w1;
  if (!Span(H, KH, OH, sh, pt, dh, &h0, &h1) || !Span(W, KW, OW, sw, pl, dw, &w0, &w1)) return false;
  if (h0 == 0 && h1 == KH - 1 && w0 == 0 && w1 == KW - 1) return false;
  const int64_t npt = pt - h0 * dh, npb = pb - (KH - 1 - h1) * dh, npl = pl - w0 * dw, npr = pr - (KW - 1 - w1) * dw;
  if (npt < 0 || npb < 0 || npl < 0 || npr < 0) return false;
  std::copy(p, p + 18, t);
  t[5] = h1 - h0 + 1;
  t[6] = w1 - w0 + 1;
  t[11] = npt;
  t[12] = npl;
  t[13] = npb;
  t[14] = npr;
  *w = {h0, w0, t[5], t[6]};
  return true;
}

void GatherTaps(const float* w, float* out, int64_t rows, int64_t KH, int64_t KW, const TapWindow& t) {
  for (int64_t r = 0; r < rows; r++)
    for (int64_t i = 0; i < t.kh; i++)
      std::memcpy(out + (r * t.kh + i) * t.kw, w + (r * KH + t.kh0 + i) * KW + t.kw0, t.kw * sizeof(float));
}

void ScatterTaps(const float* g, float* out, int64_t rows, int64_t KH, int64_t KW, const TapWindow& t) {
  std::fill(out, out + rows * KH * KW, 0.f);
  for (int64_t r = 0; r < rows; r++)
    for (int64_t i = 0; i < t.kh; i++)
      std::memcpy(out + (r * KH + t.kh0 + i) * KW + t.kw0, g + (r * t.kh + i) * t.kw, t.kw * sizeof(float));
}

}  // namespace nabla
