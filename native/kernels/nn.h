// Softmax and log-softmax over the rows of a [rows, cols] array.
#pragma once
#include "reduce.h"
#include "support.h"
#include "unary.h"

namespace lw {
namespace LW_ISA {

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
