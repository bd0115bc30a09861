// Small helpers every kernel uses: integer min/max and splitting a loop over the thread pool. They live
// in the instruction set's namespace like everything compiled with its flags.
#pragma once
#include <cstdint>
#include <cstring>

#include "../generated/kernels.h"
#include "../common/parallel.h"

namespace lw {
namespace LW_ISA {

LW_INLINE int64_t imin(int64_t a, int64_t b) { return a < b ? a : b; }
LW_INLINE int64_t imax(int64_t a, int64_t b) { return a > b ? a : b; }
LW_INLINE int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }
LW_INLINE int64_t round_up(int64_t a, int64_t b) { return ceil_div(a, b) * b; }

// The largest power of two not above n (n >= 1): chunk counts that divide evenly among 2, 4, 8 threads.
LW_INLINE int64_t floor_pow2(int64_t n) {
  int64_t p = 1;
  while (p * 2 <= n) p *= 2;
  return p;
}

// Runs f(task) for task in [0, tasks) on the pool.
template <class F>
void run_tasks(int64_t tasks, F& f) {
  if (tasks <= 1) {
    if (tasks == 1) f(int64_t{0});
    return;
  }
  parallel_run(tasks, [](void* context, int64_t task) { (*static_cast<F*>(context))(task); }, &f);
}

// Runs f(begin, end) over [0, n) split into parts worth at least kMinParallelWork each (`cost` per item),
// with part boundaries on multiples of `align` items.
template <class F>
void parallel_ranges(int64_t n, double cost, int64_t align, F&& f) {
  const int64_t parts = parts_for(static_cast<double>(n) * cost, imin(kPartsPerThread * thread_count(), ceil_div(n, align)));
  if (parts <= 1) {
    if (n > 0) f(int64_t{0}, n);
    return;
  }
  const int64_t units = ceil_div(n, align);
  auto task = [&](int64_t t) {
    const int64_t begin = imin(n, units * t / parts * align);
    const int64_t end = imin(n, units * (t + 1) / parts * align);
    if (begin < end) f(begin, end);
  };
  run_tasks(parts, task);
}

// Elementwise work: memory traffic dominates, so a float costs a few operations' worth.
constexpr double kElementCost = 4.0;
constexpr double kTranscendentalCost = 24.0;

}  // namespace LW_ISA
}  // namespace lw
