// Reorders between plain and blocked layouts: see reorder.h.
#include "reorder.h"

#include <omp.h>

#include <cstdint>
#include <vector>

#include "common.h"

namespace nabla {

using dnnl::memory;

namespace {
int64_t Elements(const memory::desc& d) {
  int64_t n = 1;
  for (auto v : d.dims()) n *= v;
  return n;
}
}  // namespace

void Reorder(const memory& from, const memory& to) {
  const bool small = Elements(from.get_desc()) < kParallelMin;
  const int threads = omp_get_max_threads();
  if (small && threads > 1) omp_set_num_threads(1);
  dnnl::reorder(from, to).execute(Stream(), const_cast<memory&>(from), const_cast<memory&>(to));
  Stream().wait();
  if (small && threads > 1) omp_set_num_threads(threads);
}

bool SameBytes(const memory::desc& a, const memory::desc& b) {
  if (a == b) return true;
  if (a.dims() != b.dims() || a.get_size() != b.get_size() || a.data_type() != memory::data_type::f32) return false;
  // Numbering the elements and reordering the numbers shows where each one lands. Float32 holds
  // integers exactly up to 2^24; larger tensors are simply not checked.
  const int64_t n = Elements(a);
  if (n >= (int64_t{1} << 24) || static_cast<size_t>(n) * sizeof(float) != a.get_size()) return false;
  std::vector<float> src(n), dst(n, -1.f);
  for (int64_t i = 0; i < n; i++) src[i] = static_cast<float>(i);
  memory ma(a, Engine(), src.data()), mb(b, Engine(), dst.data());
  Reorder(ma, mb);
  return src == dst;
}

}  // namespace nabla
