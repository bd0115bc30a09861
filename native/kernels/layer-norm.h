// Layer normalization over the last axis and its gradients. Rows are independent, so both passes split
// rows over threads; dGamma and dBeta are sums over rows, computed by column blocks, each summed over
// every row in order, so results do not depend on the thread count.
#pragma once
#include "reduce.h"
#include "support.h"

namespace lw {
namespace LW_ISA {

void layer_norm(const LayerNormArgs& a) {
  const int64_t cols = a.cols;
  const float inv_cols = cols > 0 ? 1.0f / static_cast<float>(cols) : 0.0f;
  parallel_ranges(a.rows, 4.0 * kElementCost * static_cast<double>(cols), 1, [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; r++) {
      const float* x = a.x + r * cols;
      float* out = a.out + r * cols;
      const float m = reduce_contiguous<SumReducer>(x, cols) * inv_cols;
      const Vec vm = set1(m);
      // Two passes: the variance of the centred values keeps its precision when the mean is large.
      Vec acc = zero();
      int64_t j = 0;
      for (; j + W <= cols; j += W) {
        const Vec d = sub(load(x + j), vm);
        acc = fmadd(d, d, acc);
      }
      float squares = reduce_lanes<SumReducer>(acc);
      for (; j < cols; j++) squares += (x[j] - m) * (x[j] - m);
      const float s = 1.0f / std::sqrt(squares * inv_cols + a.epsilon);
      const Vec vs = set1(s);
      j = 0;
      for (; j + W <= cols; j += W) store(out + j, fmadd(mul(sub(load(x + j), vm), vs), load(a.gamma + j), load(a.beta + j)));
      if (j < cols) {
        const int64_t n = cols - j;
        store_partial(out + j, fmadd(mul(sub(load_partial(x + j, n), vm), vs), load_partial(a.gamma + j, n), load_partial(a.beta + j, n)), n);
      }
      a.mean[r] = m;
      a.rstd[r] = s;
    }
  });
}

void layer_norm_grad(const LayerNormGradArgs& a) {
  const int64_t rows = a.rows, cols = a.cols;
  const float inv_cols = cols > 0 ? 1.0f / static_cast<float>(cols) : 0.0f;
  parallel_ranges(rows, 6.0 * kElementCost * static_cast<double>(cols), 1, [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; r++) {
      const float *x = a.x + r * cols, *dy = a.dy + r * cols;
      float* dx = a.dx + r * cols;
      const Vec vm = set1(a.mean[r]), vs = set1(a.rstd[r]);
      // dx = rstd * (g - mean(g) - xhat * mean(g * xhat)), with g = dy * gamma and xhat = (x - mean) * rstd.
      Vec sum_g = zero(), sum_gx = zero();
      int64_t j = 0;
      for (; j < cols; j += W) {
        const int64_t n = imin(W, cols - j);
        const Vec g = mul(load_partial(dy + j, n), load_partial(a.gamma + j, n));
        const Vec xhat = mul(sub(load_partial(x + j, n), vm), vs);
        sum_g = add(sum_g, g);
        sum_gx = fmadd(g, xhat, sum_gx);  // lanes past the row load as 0, so g is 0 there
      }
      const Vec mg = set1(reduce_lanes<SumReducer>(sum_g) * inv_cols), mgx = set1(reduce_lanes<SumReducer>(sum_gx) * inv_cols);
      for (j = 0; j < cols; j += W) {
        const int64_t n = imin(W, cols - j);
        const Vec g = mul(load_partial(dy + j, n), load_partial(a.gamma + j, n));
        const Vec xhat = mul(sub(load_partial(x + j, n), vm), vs);
        store_partial(dx + j, mul(vs, sub(sub(g, mg), mul(xhat, mgx))), n);
      }
    }
  });
  parallel_ranges(cols, 3.0 * kElementCost * static_cast<double>(rows), W, [&](int64_t begin, int64_t end) {
    for (int64_t j = begin; j < end; j += W) {
      const int64_t n = imin(W, end - j);
      Vec dg = zero(), db = zero();
      for (int64_t r = 0; r < rows; r++) {
        const Vec d = load_partial(a.dy + r * cols + j, n);
        const Vec xhat = mul(sub(load_partial(a.x + r * cols + j, n), set1(a.mean[r])), set1(a.rstd[r]));
        dg = fmadd(d, xhat, dg);
        db = add(db, d);
      }
      store_partial(a.d_gamma + j, dg, n);
      store_partial(a.d_beta + j, db, n);
    }
  });
}

}  // namespace LW_ISA
}  // namespace lw
