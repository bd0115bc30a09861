// 4-lane float vectors for any CPU (namespace lw::portable), written with the GCC/Clang vector extension
// so the compiler emits SSE2 on any x86-64, NEON on arm64 and scalar code elsewhere. Functions without
// a vector operator (sqrt, floor, frexp) go lane by lane.
#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>

#define LW_INLINE inline __attribute__((always_inline))

namespace lw {
namespace portable {

constexpr int W = 4;
constexpr const char* kIsaName = "portable";

typedef float Lanes __attribute__((vector_size(16)));
typedef int32_t LaneMask __attribute__((vector_size(16)));

struct Vec {
  Lanes v;
};
struct Mask {
  LaneMask m;  // -1 in selected lanes, 0 elsewhere
};

template <class F>
LW_INLINE Vec map(Vec a, F f) {
  Vec r;
  for (int i = 0; i < W; i++) r.v[i] = f(a.v[i]);
  return r;
}

LW_INLINE Vec load(const float* p) {
  Vec r;
  std::memcpy(&r.v, p, sizeof(Lanes));
  return r;
}
LW_INLINE void store(float* p, Vec a) { std::memcpy(p, &a.v, sizeof(Lanes)); }
LW_INLINE Vec load_partial(const float* p, int64_t n) {
  Vec r = {Lanes{0, 0, 0, 0}};
  for (int i = 0; i < n; i++) r.v[i] = p[i];
  return r;
}
LW_INLINE void store_partial(float* p, Vec a, int64_t n) {
  for (int i = 0; i < n; i++) p[i] = a.v[i];
}
LW_INLINE Vec set1(float x) { return {Lanes{x, x, x, x}}; }
LW_INLINE Vec zero() { return set1(0.0f); }

LW_INLINE Vec add(Vec a, Vec b) { return {a.v + b.v}; }
LW_INLINE Vec sub(Vec a, Vec b) { return {a.v - b.v}; }
LW_INLINE Vec mul(Vec a, Vec b) { return {a.v * b.v}; }
LW_INLINE Vec div(Vec a, Vec b) { return {a.v / b.v}; }
LW_INLINE Vec fmadd(Vec a, Vec b, Vec c) { return {a.v * b.v + c.v}; }
LW_INLINE Vec fnmadd(Vec a, Vec b, Vec c) { return {c.v - a.v * b.v}; }

LW_INLINE Mask lt(Vec a, Vec b) { return {a.v < b.v}; }
LW_INLINE Mask gt(Vec a, Vec b) { return {a.v > b.v}; }
// a > b, or either is NaN (not a <= b).
LW_INLINE Mask gt_or_nan(Vec a, Vec b) { return {!(a.v <= b.v)}; }
LW_INLINE Mask ge(Vec a, Vec b) { return {a.v >= b.v}; }
LW_INLINE Mask eq(Vec a, Vec b) { return {a.v == b.v}; }
LW_INLINE Mask is_nan(Vec a) { return {a.v != a.v}; }
// Lanes where a or b is NaN.
LW_INLINE Mask unordered(Vec a, Vec b) { return {(a.v != a.v) | (b.v != b.v)}; }
LW_INLINE Mask mask_or(Mask a, Mask b) { return {a.m | b.m}; }
LW_INLINE Vec select(Mask m, Vec t, Vec f) { return {m.m ? t.v : f.v}; }

// Same operand order as the x86 instructions: the second operand wins when either is NaN.
LW_INLINE Vec max(Vec a, Vec b) { return select(gt(a, b), a, b); }
LW_INLINE Vec min(Vec a, Vec b) { return select(lt(a, b), a, b); }
LW_INLINE Vec sqrt(Vec a) { return map(a, [](float x) { return std::sqrt(x); }); }
LW_INLINE Vec abs(Vec a) { return map(a, [](float x) { return std::fabs(x); }); }
LW_INLINE Vec neg(Vec a) { return {-a.v}; }
LW_INLINE Vec copysign(Vec a, Vec s) {
  Vec r;
  for (int i = 0; i < W; i++) r.v[i] = std::copysign(a.v[i], s.v[i]);
  return r;
}

LW_INLINE Vec round_even(Vec a) { return map(a, [](float x) { return std::nearbyint(x); }); }
LW_INLINE Vec floor(Vec a) { return map(a, [](float x) { return std::floor(x); }); }
LW_INLINE Vec ceil(Vec a) { return map(a, [](float x) { return std::ceil(x); }); }

LW_INLINE Vec scale_pow2(Vec a, Vec n) {
  Vec r;
  for (int i = 0; i < W; i++) r.v[i] = std::ldexp(a.v[i], static_cast<int>(n.v[i]));
  return r;
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

// Vector registers a kernel may keep live (SSE2; NEON has more, the kernels need no more).
constexpr int kVecRegisters = 16;

constexpr int kGemmMR = 4;
constexpr int kGemmNV = 3;
// Cache blocking: a KC-deep slice of B (NC columns) and an MC x KC block of A at a time.
constexpr int64_t kGemmKC = 256;
constexpr int64_t kGemmMC = 64;
constexpr int64_t kGemmNC = 480;

}  // namespace portable
}  // namespace lw
