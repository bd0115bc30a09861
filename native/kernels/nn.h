// Softmax over rows and the optimizers' update rules, each fused into one pass over the parameter.
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

void softmax(const float* x, float* out, int64_t rows, int64_t cols, bool log_output) {
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

void sgd(float* param, const float* grad, float* velocity, int64_t n, float lr, float momentum, bool nesterov) {
  const Vec vlr = set1(lr), vm = set1(momentum);
  if (!velocity) {
    vector_loop(n, kElementCost, [&](int64_t i, int64_t k) {
      store_n(param + i, fnmadd(vlr, load_n(grad + i, k), load_n(param + i, k)), k);
    });
    return;
  }
  vector_loop(n, kElementCost, [&](int64_t i, int64_t k) {
    const Vec g = load_n(grad + i, k);
    const Vec v = fnmadd(vlr, g, mul(vm, load_n(velocity + i, k)));
    store_n(velocity + i, v, k);
    const Vec step = nesterov ? fnmadd(vlr, g, mul(vm, v)) : v;
    store_n(param + i, add(load_n(param + i, k), step), k);
  });
}

void rmsprop(float* param, const float* grad, float* ms, float* mom, float* mg, int64_t n, float lr, float rho,
             float momentum, float epsilon) {
  const Vec vlr = set1(lr), vrho = set1(rho), vrest = set1(1.0f - rho), vm = set1(momentum), veps = set1(epsilon);
  vector_loop(n, 2 * kElementCost, [&](int64_t i, int64_t k) {
    const Vec g = load_n(grad + i, k);
    const Vec s = fmadd(vrest, mul(g, g), mul(vrho, load_n(ms + i, k)));
    store_n(ms + i, s, k);
    Vec denom = add(s, veps);
    if (mg) {
      const Vec a = fmadd(vrest, g, mul(vrho, load_n(mg + i, k)));
      store_n(mg + i, a, k);
      denom = fnmadd(a, a, denom);
    }
    const Vec inc = div(mul(vlr, g), sqrt(denom));
    if (mom) {
      const Vec m = fmadd(vm, load_n(mom + i, k), inc);
      store_n(mom + i, m, k);
      store_n(param + i, sub(load_n(param + i, k), m), k);
    } else {
      store_n(param + i, sub(load_n(param + i, k), inc), k);
    }
  });
}

void adam(float* param, const float* grad, float* m, float* v, float* v_max, int64_t n, float step_size, float beta1,
          float beta2, float epsilon) {
  const Vec vstep = set1(step_size), vb1 = set1(1.0f - beta1), vb2 = set1(1.0f - beta2), veps = set1(epsilon);
  vector_loop(n, 2 * kElementCost, [&](int64_t i, int64_t k) {
    const Vec g = load_n(grad + i, k);
    const Vec m0 = load_n(m + i, k), v0 = load_n(v + i, k);
    const Vec mi = fmadd(sub(g, m0), vb1, m0);
    Vec vi = fmadd(sub(mul(g, g), v0), vb2, v0);
    store_n(m + i, mi, k);
    store_n(v + i, vi, k);
    if (v_max) {
      vi = max(load_n(v_max + i, k), vi);
      store_n(v_max + i, vi, k);
    }
    const Vec update = div(mul(vstep, mi), add(sqrt(vi), veps));
    store_n(param + i, sub(load_n(param + i, k), update), k);
  });
}

void adagrad(float* param, const float* grad, float* acc, int64_t n, float lr, float epsilon) {
  const Vec vlr = set1(lr), veps = set1(epsilon);
  vector_loop(n, 2 * kElementCost, [&](int64_t i, int64_t k) {
    const Vec g = load_n(grad + i, k);
    const Vec a = fmadd(g, g, load_n(acc + i, k));
    store_n(acc + i, a, k);
    store_n(param + i, sub(load_n(param + i, k), div(mul(vlr, g), sqrt(add(a, veps)))), k);
  });
}

void scale(float* param, int64_t n, float factor) {
  const Vec f = set1(factor);
  vector_loop(n, kElementCost, [&](int64_t i, int64_t k) { store_n(param + i, mul(load_n(param + i, k), f), k); });
}

}  // namespace LW_ISA
}  // namespace lw
