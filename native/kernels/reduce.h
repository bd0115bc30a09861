// Reductions of an [outer, size, inner] view over its middle axis. inner == 1 reduces contiguous rows
// (horizontal); otherwise whole vectors of the inner axis are combined row after row (vertical). Long
// reductions with little other parallelism are cut into chunks whose partial results are combined in
// chunk order; the chunking depends only on the shape, so results do not depend on the thread count.
#pragma once
#include "binary.h"
#include "support.h"

namespace lw {
namespace LW_ISA {

struct SumReducer {
  static constexpr float kInit = 0.0f;
  static LW_INLINE Vec vec(Vec acc, Vec v) { return add(acc, v); }
  static LW_INLINE float one(float acc, float v) { return acc + v; }
};
struct ProdReducer {
  static constexpr float kInit = 1.0f;
  static LW_INLINE Vec vec(Vec acc, Vec v) { return mul(acc, v); }
  static LW_INLINE float one(float acc, float v) { return acc * v; }
};
struct MaxReducer {
  static constexpr float kInit = -__builtin_inff();
  static LW_INLINE Vec vec(Vec acc, Vec v) { return MaximumOp::vec(acc, v); }
  static LW_INLINE float one(float acc, float v) { return MaximumOp::one(acc, v); }
};
struct MinReducer {
  static constexpr float kInit = __builtin_inff();
  static LW_INLINE Vec vec(Vec acc, Vec v) { return MinimumOp::vec(acc, v); }
  static LW_INLINE float one(float acc, float v) { return MinimumOp::one(acc, v); }
};

constexpr int64_t kMaxChunks = 16;
// Fewer independent outputs than this and a long reduction is chunked.
constexpr int64_t kFewOutputs = 8;

template <class R>
LW_INLINE float reduce_lanes(Vec v) {
  float lanes[W];
  store(lanes, v);
  float acc = lanes[0];
  for (int i = 1; i < W; i++) acc = R::one(acc, lanes[i]);
  return acc;
}

// Reduces n contiguous floats with four independent vector accumulators.
template <class R>
float reduce_contiguous(const float* x, int64_t n) {
  Vec acc[4] = {set1(R::kInit), set1(R::kInit), set1(R::kInit), set1(R::kInit)};
  int64_t i = 0;
  for (; i + 4 * W <= n; i += 4 * W) {
    for (int u = 0; u < 4; u++) acc[u] = R::vec(acc[u], load(x + i + u * W));
  }
  for (; i + W <= n; i += W) acc[0] = R::vec(acc[0], load(x + i));
  float result = reduce_lanes<R>(R::vec(R::vec(acc[0], acc[1]), R::vec(acc[2], acc[3])));
  for (; i < n; i++) result = R::one(result, x[i]);
  return result;
}

template <class R>
void reduce_rows(const float* x, float* out, int64_t outer, int64_t size) {
  const int64_t chunks = outer < kFewOutputs ? floor_pow2(parts_for(static_cast<double>(size) * kElementCost, kMaxChunks)) : 1;
  if (chunks == 1) {
    parallel_ranges(outer, static_cast<double>(size) * kElementCost, 1, [&](int64_t begin, int64_t end) {
      for (int64_t o = begin; o < end; o++) out[o] = reduce_contiguous<R>(x + o * size, size);
    });
    return;
  }
  float partial[kFewOutputs * kMaxChunks];
  auto task = [&](int64_t t) {
    const int64_t o = t / chunks, c = t % chunks;
    const int64_t begin = size * c / chunks, end = size * (c + 1) / chunks;
    partial[t] = reduce_contiguous<R>(x + o * size + begin, end - begin);
  };
  run_tasks(outer * chunks, task);
  for (int64_t o = 0; o < outer; o++) {
    float acc = partial[o * chunks];
    for (int64_t c = 1; c < chunks; c++) acc = R::one(acc, partial[o * chunks + c]);
    out[o] = acc;
  }
}

// Combines rows [r0, r1) of a [size, inner] slab into out[0, cols) for the columns [j0, j0 + cols).
template <class R>
void reduce_columns(const float* slab, int64_t inner, int64_t r0, int64_t r1, int64_t j0, int64_t cols, float* out) {
  constexpr int64_t kBlock = 4 * W;
  Vec acc[4];
  for (int64_t j = 0; j < cols; j += kBlock) {
    const int64_t width = imin(kBlock, cols - j);
    const float* col = slab + j0 + j;
    if (width == kBlock) {
      for (int u = 0; u < 4; u++) acc[u] = set1(R::kInit);
      for (int64_t r = r0; r < r1; r++) {
        for (int u = 0; u < 4; u++) acc[u] = R::vec(acc[u], load(col + r * inner + u * W));
      }
      for (int u = 0; u < 4; u++) store(out + j + u * W, acc[u]);
    } else {
      // Narrow columns (the 32 channels of a bias gradient): partial vectors, not one float at a time.
      int64_t lanes[4];
      for (int u = 0; u < 4; u++) {
        lanes[u] = imax(0, imin(W, width - u * W));
        acc[u] = set1(R::kInit);
      }
      for (int64_t r = r0; r < r1; r++) {
        for (int u = 0; u < 4; u++) {
          if (lanes[u] > 0) acc[u] = R::vec(acc[u], load_partial(col + r * inner + u * W, lanes[u]));
        }
      }
      for (int u = 0; u < 4; u++) store_partial(out + j + u * W, acc[u], lanes[u]);
    }
  }
}

template <class R>
void reduce_slabs(const float* x, float* out, int64_t outer, int64_t size, int64_t inner) {
  // A task is a range of columns of one outer slab, or (for few outputs) a chunk of its rows too.
  constexpr int64_t kColumns = 16 * W;
  const int64_t col_blocks = ceil_div(inner, kColumns);
  const int64_t groups = outer * col_blocks;
  const double work = static_cast<double>(size) * static_cast<double>(inner) * kElementCost;
  const int64_t chunks = groups < kFewOutputs ? floor_pow2(parts_for(work, kMaxChunks)) : 1;
  if (chunks == 1) {
    parallel_ranges(groups, work / static_cast<double>(outer), 1, [&](int64_t begin, int64_t end) {
      for (int64_t g = begin; g < end; g++) {
        const int64_t o = g / col_blocks, j0 = (g % col_blocks) * kColumns;
        reduce_columns<R>(x + o * size * inner, inner, 0, size, j0, imin(kColumns, inner - j0), out + o * inner + j0);
      }
    });
    return;
  }
  float* partial = scratch(3, static_cast<size_t>(chunks * outer * inner));
  auto task = [&](int64_t t) {
    const int64_t g = t / chunks, c = t % chunks;
    const int64_t o = g / col_blocks, j0 = (g % col_blocks) * kColumns;
    reduce_columns<R>(x + o * size * inner, inner, size * c / chunks, size * (c + 1) / chunks, j0,
                      imin(kColumns, inner - j0), partial + (c * outer + o) * inner + j0);
  };
  run_tasks(groups * chunks, task);
  const int64_t n = outer * inner;
  for (int64_t i = 0; i < n; i++) {
    float acc = partial[i];
    for (int64_t c = 1; c < chunks; c++) acc = R::one(acc, partial[c * n + i]);
    out[i] = acc;
  }
}

template <class R>
void reduce_run(const float* x, float* out, int64_t outer, int64_t size, int64_t inner) {
  if (size == 0) {
    for (int64_t i = 0; i < outer * inner; i++) out[i] = R::kInit;
  } else if (inner == 1) {
    reduce_rows<R>(x, out, outer, size);
  } else {
    reduce_slabs<R>(x, out, outer, size, inner);
  }
}

void reduce(const ReduceArgs& a) {
  const ReduceInfo& r = a.reduction;
  switch (a.op) {
    case ReduceOp::kSum: return reduce_run<SumReducer>(a.x, a.out, r.outer, r.size, r.inner);
    case ReduceOp::kMax: return reduce_run<MaxReducer>(a.x, a.out, r.outer, r.size, r.inner);
    case ReduceOp::kMin: return reduce_run<MinReducer>(a.x, a.out, r.outer, r.size, r.inner);
    case ReduceOp::kProd: return reduce_run<ProdReducer>(a.x, a.out, r.outer, r.size, r.inner);
  }
}

}  // namespace LW_ISA
}  // namespace lw
