// Elementwise functions of one input, their derivatives, and the fused activations of matmul and conv2d.
// Semantics follow the reference backend exactly (NaN propagates: relu(NaN) and sign(NaN) are NaN; round half to even).
#pragma once
#include "support.h"
#include "vecmath.h"

namespace lw {

// A product's epilogue: out = activation(out + bias), applied while the result is still in cache.
struct Epilogue {
  const float* bias;  // length n (the output's last axis), or null
  Activation activation;
  float alpha;
};

// The epilogue of a call with these fields, or null when there is nothing to apply.
template <class A>
inline const Epilogue* epilogue_of(const A& a, Epilogue* storage) {
  if (a.bias == nullptr && a.activation == Activation::kLinear) return nullptr;
  *storage = Epilogue{a.bias, a.activation, a.alpha};
  return storage;
}

namespace LW_ISA {

constexpr float kSeluAlpha = 1.6732632423543772f;
constexpr float kSeluScale = 1.0507009873554805f;

// Applies f to [begin, end) of x, writing out; the tail goes through masked loads and stores.
template <class F>
LW_INLINE void map_range(const float* x, float* out, int64_t begin, int64_t end, F f) {
  int64_t i = begin;
  for (; i + W <= end; i += W) store(out + i, f(load(x + i)));
  if (i < end) store_partial(out + i, f(load_partial(x + i, end - i)), end - i);
}

template <class F>
void map_unary(const float* x, float* out, int64_t n, double cost, F f) {
  parallel_ranges(n, cost, 16, [&](int64_t begin, int64_t end) { map_range(x, out, begin, end, f); });
}

// -1, 0 or 1; NaN gives 0 (abs's derivative, as the reference writes it).
LW_INLINE Vec vsign_or_zero(Vec x) {
  return select(gt(x, zero()), set1(1.0f), select(lt(x, zero()), set1(-1.0f), zero()));
}
// sign: NaN stays NaN, as in NumPy and TensorFlow 2.
LW_INLINE Vec vsign(Vec x) { return select(is_nan(x), x, vsign_or_zero(x)); }
LW_INLINE Vec vgelu(Vec x) {
  return mul(mul(set1(0.5f), x), add(set1(1.0f), verf(mul(x, set1(0.70710678118654752f)))));
}

void unary(const UnaryArgs& args) {
  const float* x = args.x;
  float* out = args.out;
  const int64_t n = args.out_length;
  const Vec a = set1(args.alpha);
  const double simple = kElementCost, heavy = kTranscendentalCost;
  switch (args.op) {
    case UnaryOp::kNeg: return map_unary(x, out, n, simple, [](Vec v) { return neg(v); });
    case UnaryOp::kAbs: return map_unary(x, out, n, simple, [](Vec v) { return abs(v); });
    // NaN and ±0 compare false both ways and pass through, as in NumPy.
    case UnaryOp::kSign:
      return map_unary(x, out, n, simple, [](Vec v) { return select(gt(v, zero()), set1(1.0f), select(lt(v, zero()), set1(-1.0f), v)); });
    case UnaryOp::kSqrt: return map_unary(x, out, n, simple, [](Vec v) { return sqrt(v); });
    case UnaryOp::kRsqrt: return map_unary(x, out, n, simple, [](Vec v) { return div(set1(1.0f), sqrt(v)); });
    case UnaryOp::kSquare: return map_unary(x, out, n, simple, [](Vec v) { return mul(v, v); });
    case UnaryOp::kExp: return map_unary(x, out, n, heavy, [](Vec v) { return vexp(v); });
    case UnaryOp::kLog: return map_unary(x, out, n, heavy, [](Vec v) { return vlog(v); });
    case UnaryOp::kLog1p: return map_unary(x, out, n, heavy, [](Vec v) { return vlog1p(v); });
    case UnaryOp::kReciprocal: return map_unary(x, out, n, simple, [](Vec v) { return div(set1(1.0f), v); });
    case UnaryOp::kRelu: return map_unary(x, out, n, simple, [](Vec v) { return vrelu(v); });
    case UnaryOp::kLeakyRelu:
      return map_unary(x, out, n, simple, [a](Vec v) { return select(gt(v, zero()), v, mul(a, v)); });
    case UnaryOp::kElu:
      return map_unary(x, out, n, heavy, [a](Vec v) { return select(gt(v, zero()), v, mul(a, vexpm1(v))); });
    case UnaryOp::kSelu:
      return map_unary(x, out, n, heavy, [](Vec v) {
        return mul(set1(kSeluScale), select(gt(v, zero()), v, mul(set1(kSeluAlpha), vexpm1(v))));
      });
    case UnaryOp::kGelu: return map_unary(x, out, n, heavy, [](Vec v) { return vgelu(v); });
    case UnaryOp::kSigmoid: return map_unary(x, out, n, heavy, [](Vec v) { return vsigmoid(v); });
    case UnaryOp::kTanh: return map_unary(x, out, n, heavy, [](Vec v) { return vtanh(v); });
    case UnaryOp::kSoftplus: return map_unary(x, out, n, heavy, [](Vec v) { return vsoftplus(v); });
    case UnaryOp::kFloor: return map_unary(x, out, n, simple, [](Vec v) { return floor(v); });
    case UnaryOp::kCeil: return map_unary(x, out, n, simple, [](Vec v) { return ceil(v); });
    case UnaryOp::kRound: return map_unary(x, out, n, simple, [](Vec v) { return round_even(v); });
      }
}

// dy * f'(x, y) over [0, n), vectorised; `d` maps (x, y) to f'.
template <class D>
void map_grad(const float* x, const float* y, const float* dy, float* out, int64_t n, double cost, D d) {
  parallel_ranges(n, cost, 16, [&](int64_t begin, int64_t end) {
    int64_t i = begin;
    for (; i + W <= end; i += W) store(out + i, mul(load(dy + i), d(load(x + i), load(y + i))));
    if (i < end) {
      const int64_t r = end - i;
      store_partial(out + i, mul(load_partial(dy + i, r), d(load_partial(x + i, r), load_partial(y + i, r))), r);
    }
  });
}

void unary_grad(const UnaryGradArgs& args) {
  const float *x = args.x, *y = args.y, *dy = args.dy;
  float* out = args.out;
  const int64_t n = args.out_length;
  const Vec a = set1(args.alpha);
  const Vec one = set1(1.0f);
  const double simple = kElementCost, heavy = kTranscendentalCost;
  switch (args.op) {
    case UnaryOp::kNeg: return map_grad(x, y, dy, out, n, simple, [](Vec, Vec) { return set1(-1.0f); });
    case UnaryOp::kAbs: return map_grad(x, y, dy, out, n, simple, [](Vec xv, Vec) { return vsign_or_zero(xv); });
    case UnaryOp::kSqrt: return map_grad(x, y, dy, out, n, simple, [](Vec, Vec yv) { return div(set1(0.5f), yv); });
    case UnaryOp::kRsqrt:
      return map_grad(x, y, dy, out, n, simple, [](Vec xv, Vec yv) { return div(mul(set1(-0.5f), yv), xv); });
    case UnaryOp::kSquare: return map_grad(x, y, dy, out, n, simple, [](Vec xv, Vec) { return add(xv, xv); });
    case UnaryOp::kExp: return map_grad(x, y, dy, out, n, simple, [](Vec, Vec yv) { return yv; });
    case UnaryOp::kLog: return map_grad(x, y, dy, out, n, simple, [one](Vec xv, Vec) { return div(one, xv); });
    case UnaryOp::kLog1p: return map_grad(x, y, dy, out, n, simple, [one](Vec xv, Vec) { return div(one, add(one, xv)); });
    case UnaryOp::kReciprocal: return map_grad(x, y, dy, out, n, simple, [](Vec, Vec yv) { return neg(mul(yv, yv)); });
    case UnaryOp::kRelu:
      return map_grad(x, y, dy, out, n, simple, [one](Vec, Vec yv) { return select(gt(yv, zero()), one, zero()); });
    case UnaryOp::kLeakyRelu:
      return map_grad(x, y, dy, out, n, simple, [one, a](Vec, Vec yv) { return select(gt(yv, zero()), one, a); });
    case UnaryOp::kElu:
      return map_grad(x, y, dy, out, n, simple,
                      [one, a](Vec, Vec yv) { return select(gt(yv, zero()), one, add(yv, a)); });
    case UnaryOp::kSelu:
      return map_grad(x, y, dy, out, n, simple, [](Vec, Vec yv) {
        return select(gt(yv, zero()), set1(kSeluScale), add(yv, set1(kSeluScale * kSeluAlpha)));
      });
    case UnaryOp::kGelu:
      return map_grad(x, y, dy, out, n, heavy, [one](Vec xv, Vec) {
        const Vec cdf = mul(set1(0.5f), add(one, verf(mul(xv, set1(0.70710678118654752f)))));
        const Vec pdf = mul(vexp(mul(set1(-0.5f), mul(xv, xv))), set1(0.39894228040143268f));
        return fmadd(xv, pdf, cdf);
      });
    case UnaryOp::kSigmoid: return map_grad(x, y, dy, out, n, simple, [one](Vec, Vec yv) { return mul(yv, sub(one, yv)); });
    case UnaryOp::kTanh: return map_grad(x, y, dy, out, n, simple, [one](Vec, Vec yv) { return fnmadd(yv, yv, one); });
    case UnaryOp::kSoftplus: return map_grad(x, y, dy, out, n, heavy, [](Vec, Vec yv) { return neg(vexpm1(neg(yv))); });
    default: return;  // sign, floor, ceil, round have no derivative: the wrapper never sends them
  }
}

// The epilogue's activation over one row segment, in place.
template <class F>
LW_INLINE void activate_row(float* row, int64_t n, F f) {
  map_range(row, row, 0, n, f);
}

// out = activation(out + bias) over a rows x cols block with row stride ldc; bias is indexed by column.
void apply_epilogue(float* c, int64_t ldc, int64_t rows, int64_t cols, const float* bias, Activation act, float alpha) {
  if (bias) {
    for (int64_t i = 0; i < rows; i++) {
      float* row = c + i * ldc;
      int64_t j = 0;
      for (; j + W <= cols; j += W) store(row + j, add(load(row + j), load(bias + j)));
      if (j < cols) store_partial(row + j, add(load_partial(row + j, cols - j), load_partial(bias + j, cols - j)), cols - j);
    }
  }
  const Vec a = set1(alpha);
  for (int64_t i = 0; i < rows; i++) {
    float* row = c + i * ldc;
    switch (act) {
      case Activation::kLinear: return;
      case Activation::kRelu: activate_row(row, cols, [](Vec v) { return vrelu(v); }); break;
      case Activation::kLeakyRelu: activate_row(row, cols, [a](Vec v) { return select(gt(v, zero()), v, mul(a, v)); }); break;
      case Activation::kElu: activate_row(row, cols, [a](Vec v) { return select(gt(v, zero()), v, mul(a, vexpm1(v))); }); break;
      case Activation::kSelu:
        activate_row(row, cols, [](Vec v) {
          return mul(set1(kSeluScale), select(gt(v, zero()), v, mul(set1(kSeluAlpha), vexpm1(v))));
        });
        break;
      case Activation::kSigmoid: activate_row(row, cols, [](Vec v) { return vsigmoid(v); }); break;
      case Activation::kTanh: activate_row(row, cols, [](Vec v) { return vtanh(v); }); break;
      case Activation::kSoftplus: activate_row(row, cols, [](Vec v) { return vsoftplus(v); }); break;
    }
  }
}

}  // namespace LW_ISA
}  // namespace lw
