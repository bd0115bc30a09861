// Binary elementwise ops with broadcasting. Dimensions are collapsed first, so the common cases (same
// shape, a scalar operand, a row or column vector) become one or two loops over contiguous memory; any
// other layout runs a strided inner loop under an odometer over the outer dimensions.
#pragma once
#include <cmath>

#include "support.h"

namespace lw {
namespace LW_ISA {

struct AddOp {
  static LW_INLINE Vec vec(Vec a, Vec b) { return add(a, b); }
  static LW_INLINE float one(float a, float b) { return a + b; }
};
struct SubOp {
  static LW_INLINE Vec vec(Vec a, Vec b) { return sub(a, b); }
  static LW_INLINE float one(float a, float b) { return a - b; }
};
struct MulOp {
  static LW_INLINE Vec vec(Vec a, Vec b) { return mul(a, b); }
  static LW_INLINE float one(float a, float b) { return a * b; }
};
struct DivOp {
  static LW_INLINE Vec vec(Vec a, Vec b) { return div(a, b); }
  static LW_INLINE float one(float a, float b) { return a / b; }
};
// NaN in either operand gives NaN, as in the reference backend.
struct MaximumOp {
  static LW_INLINE Vec vec(Vec a, Vec b) { return select(is_nan(a), a, max(a, b)); }
  static LW_INLINE float one(float a, float b) { return a != a ? a : (b != b ? b : (a > b ? a : b)); }
};
struct MinimumOp {
  static LW_INLINE Vec vec(Vec a, Vec b) { return select(is_nan(a), a, min(a, b)); }
  static LW_INLINE float one(float a, float b) { return a != a ? a : (b != b ? b : (a < b ? a : b)); }
};
// Computed in double like JavaScript's Math.pow, lane by lane: pow's special cases are not worth a
// vector version. Where C and JavaScript differ (1^NaN, (+-1)^+-Infinity), JavaScript's NaN wins.
struct PowOp {
  static LW_INLINE float one(float a, float b) {
    if (b != b || ((a == 1.0f || a == -1.0f) && (b == __builtin_inff() || b == -__builtin_inff()))) return __builtin_nanf("");
    return static_cast<float>(std::pow(static_cast<double>(a), static_cast<double>(b)));
  }
  static LW_INLINE Vec vec(Vec a, Vec b) {
    float x[W], y[W];
    store(x, a);
    store(y, b);
    for (int i = 0; i < W; i++) x[i] = one(x[i], y[i]);
    return load(x);
  }
};

// out[i] = op(a[i*sa], b[i*sb]) for i in [0, n); sa and sb are 0, 1 or anything else.
template <class Op>
LW_INLINE void binary_row(const float* a, int64_t sa, const float* b, int64_t sb, float* out, int64_t n) {
  int64_t i = 0;
  if (sa == 1 && sb == 1) {
    for (; i + W <= n; i += W) store(out + i, Op::vec(load(a + i), load(b + i)));
    if (i < n) store_partial(out + i, Op::vec(load_partial(a + i, n - i), load_partial(b + i, n - i)), n - i);
  } else if (sa == 1 && sb == 0) {
    const Vec bv = set1(*b);
    for (; i + W <= n; i += W) store(out + i, Op::vec(load(a + i), bv));
    if (i < n) store_partial(out + i, Op::vec(load_partial(a + i, n - i), bv), n - i);
  } else if (sa == 0 && sb == 1) {
    const Vec av = set1(*a);
    for (; i + W <= n; i += W) store(out + i, Op::vec(av, load(b + i)));
    if (i < n) store_partial(out + i, Op::vec(av, load_partial(b + i, n - i)), n - i);
  } else {
    for (; i < n; i++) out[i] = Op::one(a[i * sa], b[i * sb]);
  }
}

// The table's broadcast (at most kMaxRank dimensions), collapsed.
struct Layout {
  int rank;
  int64_t shape[kMaxRank];
  int64_t a_strides[kMaxRank];
  int64_t b_strides[kMaxRank];
};

// Drops size-1 dimensions and merges neighbours that are contiguous in both operands.
Layout collapse(const Broadcast& bc) {
  Layout c;
  c.rank = 0;
  for (int d = 0; d < bc.shape.size; d++) {
    if (bc.shape[d] == 1) continue;
    if (c.rank > 0) {
      const int last = c.rank - 1;
      if (c.a_strides[last] == bc.a_strides[d] * bc.shape[d] && c.b_strides[last] == bc.b_strides[d] * bc.shape[d]) {
        c.shape[last] *= bc.shape[d];
        c.a_strides[last] = bc.a_strides[d];
        c.b_strides[last] = bc.b_strides[d];
        continue;
      }
    }
    c.shape[c.rank] = bc.shape[d];
    c.a_strides[c.rank] = bc.a_strides[d];
    c.b_strides[c.rank] = bc.b_strides[d];
    c.rank++;
  }
  if (c.rank == 0) {
    c.rank = 1;
    c.shape[0] = 1;
    c.a_strides[0] = 0;
    c.b_strides[0] = 0;
  }
  return c;
}

template <class Op>
void binary_run(const float* a, const float* b, float* out, const Broadcast& bc) {
  if (bc.size == 0) return;
  const Layout c = collapse(bc);
  const int inner_dim = c.rank - 1;
  const int64_t n = c.shape[inner_dim];
  const int64_t sa = c.a_strides[inner_dim], sb = c.b_strides[inner_dim];
  if (c.rank == 1) {
    parallel_ranges(n, kElementCost, 16, [&](int64_t begin, int64_t end) {
      binary_row<Op>(a + begin * sa, sa, b + begin * sb, sb, out + begin, end - begin);
    });
    return;
  }
  int64_t rows = 1;
  for (int d = 0; d < inner_dim; d++) rows *= c.shape[d];
  parallel_ranges(rows, kElementCost * static_cast<double>(n), 1, [&](int64_t begin, int64_t end) {
    // The odometer starts at this part's first row.
    int64_t counter[kMaxRank];
    int64_t oa = 0, ob = 0;
    int64_t index = begin;
    for (int d = inner_dim - 1; d >= 0; d--) {
      counter[d] = index % c.shape[d];
      index /= c.shape[d];
      oa += counter[d] * c.a_strides[d];
      ob += counter[d] * c.b_strides[d];
    }
    for (int64_t r = begin; r < end; r++) {
      binary_row<Op>(a + oa, sa, b + ob, sb, out + r * n, n);
      for (int d = inner_dim - 1; d >= 0; d--) {
        oa += c.a_strides[d];
        ob += c.b_strides[d];
        if (++counter[d] < c.shape[d]) break;
        oa -= c.a_strides[d] * c.shape[d];
        ob -= c.b_strides[d] * c.shape[d];
        counter[d] = 0;
      }
    }
  });
}

void binary(const BinaryArgs& args) {
  const float *a = args.a, *b = args.b;
  float* out = args.out;
  const Broadcast& bc = args.broadcast;
  switch (args.op) {
    case BinaryOp::kAdd: return binary_run<AddOp>(a, b, out, bc);
    case BinaryOp::kSub: return binary_run<SubOp>(a, b, out, bc);
    case BinaryOp::kMul: return binary_run<MulOp>(a, b, out, bc);
    case BinaryOp::kDiv: return binary_run<DivOp>(a, b, out, bc);
    case BinaryOp::kPow: return binary_run<PowOp>(a, b, out, bc);
    case BinaryOp::kMaximum: return binary_run<MaximumOp>(a, b, out, bc);
    case BinaryOp::kMinimum: return binary_run<MinimumOp>(a, b, out, bc);
  }
}

}  // namespace LW_ISA
}  // namespace lw
