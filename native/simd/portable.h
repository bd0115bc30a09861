// 4-lane float "vectors" in plain C++ (namespace lw::portable), for any CPU: the compiler turns the fixed
// loops into SSE or NEON instructions where it can.
#pragma once
#include <cmath>
#include <cstdint>

#define LW_INLINE inline __attribute__((always_inline))

namespace lw {
namespace portable {

constexpr int W = 4;
constexpr const char* kIsaName = "portable";

struct Vec {
  float v[W];
};
struct Mask {
  bool m[W];
};

template <class F>
LW_INLINE Vec map(Vec a, F f) {
  Vec r;
  for (int i = 0; i < W; i++) r.v[i] = f(a.v[i]);
  return r;
}
template <class F>
LW_INLINE Vec map2(Vec a, Vec b, F f) {
  Vec r;
  for (int i = 0; i < W; i++) r.v[i] = f(a.v[i], b.v[i]);
  return r;
}
template <class F>
LW_INLINE Mask test2(Vec a, Vec b, F f) {
  Mask r;
  for (int i = 0; i < W; i++) r.m[i] = f(a.v[i], b.v[i]);
  return r;
}

LW_INLINE Vec load(const float* p) {
  Vec r;
  for (int i = 0; i < W; i++) r.v[i] = p[i];
  return r;
}
LW_INLINE void store(float* p, Vec a) {
  for (int i = 0; i < W; i++) p[i] = a.v[i];
}
LW_INLINE Vec load_partial(const float* p, int64_t n) {
  Vec r;
  for (int i = 0; i < W; i++) r.v[i] = i < n ? p[i] : 0.0f;
  return r;
}
LW_INLINE void store_partial(float* p, Vec a, int64_t n) {
  for (int i = 0; i < n; i++) p[i] = a.v[i];
}
LW_INLINE Vec set1(float x) {
  Vec r;
  for (int i = 0; i < W; i++) r.v[i] = x;
  return r;
}
LW_INLINE Vec zero() { return set1(0.0f); }

LW_INLINE Vec add(Vec a, Vec b) { return map2(a, b, [](float x, float y) { return x + y; }); }
LW_INLINE Vec sub(Vec a, Vec b) { return map2(a, b, [](float x, float y) { return x - y; }); }
LW_INLINE Vec mul(Vec a, Vec b) { return map2(a, b, [](float x, float y) { return x * y; }); }
LW_INLINE Vec div(Vec a, Vec b) { return map2(a, b, [](float x, float y) { return x / y; }); }
LW_INLINE Vec fmadd(Vec a, Vec b, Vec c) {
  Vec r;
  for (int i = 0; i < W; i++) r.v[i] = a.v[i] * b.v[i] + c.v[i];
  return r;
}
LW_INLINE Vec fnmadd(Vec a, Vec b, Vec c) {
  Vec r;
  for (int i = 0; i < W; i++) r.v[i] = c.v[i] - a.v[i] * b.v[i];
  return r;
}
// Same operand order as the x86 instructions: the second operand wins when either is NaN.
LW_INLINE Vec max(Vec a, Vec b) { return map2(a, b, [](float x, float y) { return x > y ? x : y; }); }
LW_INLINE Vec min(Vec a, Vec b) { return map2(a, b, [](float x, float y) { return x < y ? x : y; }); }
LW_INLINE Vec sqrt(Vec a) { return map(a, [](float x) { return std::sqrt(x); }); }
LW_INLINE Vec abs(Vec a) { return map(a, [](float x) { return std::fabs(x); }); }
LW_INLINE Vec neg(Vec a) { return map(a, [](float x) { return -x; }); }
LW_INLINE Vec copysign(Vec a, Vec s) { return map2(a, s, [](float x, float y) { return std::copysign(x, y); }); }

LW_INLINE Mask lt(Vec a, Vec b) { return test2(a, b, [](float x, float y) { return x < y; }); }
LW_INLINE Mask gt(Vec a, Vec b) { return test2(a, b, [](float x, float y) { return x > y; }); }
LW_INLINE Mask ge(Vec a, Vec b) { return test2(a, b, [](float x, float y) { return x >= y; }); }
LW_INLINE Mask eq(Vec a, Vec b) { return test2(a, b, [](float x, float y) { return x == y; }); }
LW_INLINE Mask is_nan(Vec a) { return test2(a, a, [](float x, float y) { return x != y; }); }
LW_INLINE Mask mask_or(Mask a, Mask b) {
  Mask r;
  for (int i = 0; i < W; i++) r.m[i] = a.m[i] || b.m[i];
  return r;
}
LW_INLINE Vec select(Mask m, Vec t, Vec f) {
  Vec r;
  for (int i = 0; i < W; i++) r.v[i] = m.m[i] ? t.v[i] : f.v[i];
  return r;
}

LW_INLINE Vec round_even(Vec a) { return map(a, [](float x) { return std::nearbyint(x); }); }
LW_INLINE Vec floor(Vec a) { return map(a, [](float x) { return std::floor(x); }); }
LW_INLINE Vec ceil(Vec a) { return map(a, [](float x) { return std::ceil(x); }); }

LW_INLINE Vec scale_pow2(Vec a, Vec n) {
  return map2(a, n, [](float x, float e) { return std::ldexp(x, static_cast<int>(e)); });
}
LW_INLINE Vec split_exponent(Vec a, Vec* mantissa) {
  Vec e;
  for (int i = 0; i < W; i++) {
    int exponent = 0;
    mantissa->v[i] = 2.0f * std::frexp(a.v[i], &exponent);
    e.v[i] = static_cast<float>(exponent - 1);
  }
  return e;
}

constexpr int kGemmMR = 4;
constexpr int kGemmNV = 2;
// Cache blocking: a KC-deep slice of B (NC columns) and an MC x KC block of A at a time.
constexpr int64_t kGemmKC = 256;
constexpr int64_t kGemmMC = 64;
constexpr int64_t kGemmNC = 512;

}  // namespace portable
}  // namespace lw
