// Softmax and log-softmax over the rows of a [rows, cols] array.
#pragma once
#include "reduce.h"
#include "support.h"
#include "unary.h"

namespace lw {
namespace LW_ISA {

// Loads and stores of `n` lanes (n == W in the main loop, where the branch folds away).
LW_INLINE Vec load_n(const float* p, int64_t n) { return n == W ? load(p) : load_partial(p, n); }
LW_INLINE void store_n(float* p, Vec v, int64_t n) {
  if (n == W) {
    store(p, v);
  } else {
    store_partial(p, v, n);
  }
}

// Calls f(i, lanes) for consecutive vectors of [0, n), split over the pool.
template <class F>
void vector_loop(int64_t n, double cost, F f) {
  parallel_ranges(n, cost, 16, [&](int64_t begin, int64_t end) {
    int64_t i = begin;
    for (; i + W <= end; i += W) f(i, int64_t{W});
    if (i < end) f(i, end - i);
  });
}

void softmax_rows(const float* x, float* out, int64_t rows, int64_t cols, bool log_output) {
  parallel_ranges(rows, static_cast<double>(cols) * kTranscendentalCost, 1, [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; r++) {
      const float* xr = x + r * cols;
      float* o = out + r * cols;
      const Vec top = set1(reduce_contiguous<MaxReducer>(xr, cols));
      map_range(xr, o, 0, cols, [top](Vec v) { return vexp(sub(v, top)); });
      const float sum = reduce_contiguous<SumReducer>(o, cols);
      if (log_output) {
        // (x - max) - log(sum) keeps the small results accurate; x - (max + log(sum)) would round at max's scale.
        const Vec log_sum = vlog(set1(sum));
        map_range(xr, o, 0, cols, [top, log_sum](Vec v) { return sub(sub(v, top), log_sum); });
      } else {
        const Vec s = set1(sum);
        map_range(o, o, 0, cols, [s](Vec v) { return div(v, s); });
      }
    }
  });
}

void softmax(const SoftmaxArgs& a) { softmax_rows(a.x, a.out, a.rows, a.cols, false); }
void log_softmax(const LogSoftmaxArgs& a) { softmax_rows(a.x, a.out, a.rows, a.cols, true); }

}  // namespace LW_ISA
}  // namespace lw
