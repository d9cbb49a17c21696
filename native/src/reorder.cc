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

namespace {
// Runs the enclosing scope's OpenMP regions on one thread; the caller's count comes back on every
// exit, a oneDNN error included.
class OneThread {
 public:
  explicit OneThread(bool on) : threads_(omp_get_max_threads()), on_(on && threads_ > 1) {
    if (on_) omp_set_num_threads(1);
  }
  ~OneThread() {
    if (on_) omp_set_num_threads(threads_);
  }
  OneThread(const OneThread&) = delete;
  OneThread& operator=(const OneThread&) = delete;

 private:
  int threads_;
  bool on_;
};
}  // namespace

void Reorder(const memory& from, const memory& to) {
  OneThread scope(Elements(from.get_desc()) < kParallelMin);
  dnnl::reorder(from, to).execute(Stream(), const_cast<memory&>(from), const_cast<memory&>(to));
  Stream().wait();
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
