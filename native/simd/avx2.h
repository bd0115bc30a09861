// 8-lane float vectors on AVX2 + FMA, in namespace lw::avx2 (see avx512.h for why the namespace matters).
#pragma once
#include <immintrin.h>

#include <cstdint>

#define LW_INLINE inline __attribute__((always_inline))

namespace lw {
namespace avx2 {

constexpr int W = 8;
constexpr const char* kIsaName = "avx2";

struct Vec {
  __m256 v;
};
struct Mask {
  __m256 m;  // all ones in selected lanes
};

LW_INLINE __m256i tail_mask(int64_t n) {
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(n)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

LW_INLINE Vec load(const float* p) { return {_mm256_loadu_ps(p)}; }
LW_INLINE void store(float* p, Vec a) { _mm256_storeu_ps(p, a.v); }
LW_INLINE Vec load_partial(const float* p, int64_t n) { return {_mm256_maskload_ps(p, tail_mask(n))}; }
LW_INLINE void store_partial(float* p, Vec a, int64_t n) { _mm256_maskstore_ps(p, tail_mask(n), a.v); }
LW_INLINE Vec set1(float x) { return {_mm256_set1_ps(x)}; }
LW_INLINE Vec zero() { return {_mm256_setzero_ps()}; }

LW_INLINE Vec add(Vec a, Vec b) { return {_mm256_add_ps(a.v, b.v)}; }
LW_INLINE Vec sub(Vec a, Vec b) { return {_mm256_sub_ps(a.v, b.v)}; }
LW_INLINE Vec mul(Vec a, Vec b) { return {_mm256_mul_ps(a.v, b.v)}; }
LW_INLINE Vec div(Vec a, Vec b) { return {_mm256_div_ps(a.v, b.v)}; }
LW_INLINE Vec fmadd(Vec a, Vec b, Vec c) { return {_mm256_fmadd_ps(a.v, b.v, c.v)}; }
LW_INLINE Vec fnmadd(Vec a, Vec b, Vec c) { return {_mm256_fnmadd_ps(a.v, b.v, c.v)}; }
LW_INLINE Vec max(Vec a, Vec b) { return {_mm256_max_ps(a.v, b.v)}; }
LW_INLINE Vec min(Vec a, Vec b) { return {_mm256_min_ps(a.v, b.v)}; }
LW_INLINE Vec sqrt(Vec a) { return {_mm256_sqrt_ps(a.v)}; }
LW_INLINE Vec abs(Vec a) { return {_mm256_andnot_ps(_mm256_set1_ps(-0.0f), a.v)}; }
LW_INLINE Vec neg(Vec a) { return {_mm256_xor_ps(a.v, _mm256_set1_ps(-0.0f))}; }
LW_INLINE Vec copysign(Vec a, Vec s) {
  const __m256 sign = _mm256_set1_ps(-0.0f);
  return {_mm256_or_ps(_mm256_andnot_ps(sign, a.v), _mm256_and_ps(sign, s.v))};
}

LW_INLINE Mask lt(Vec a, Vec b) { return {_mm256_cmp_ps(a.v, b.v, _CMP_LT_OQ)}; }
LW_INLINE Mask gt(Vec a, Vec b) { return {_mm256_cmp_ps(a.v, b.v, _CMP_GT_OQ)}; }
// a > b, or either is NaN (not a <= b).
LW_INLINE Mask gt_or_nan(Vec a, Vec b) { return {_mm256_cmp_ps(a.v, b.v, _CMP_NLE_UQ)}; }
LW_INLINE Mask ge(Vec a, Vec b) { return {_mm256_cmp_ps(a.v, b.v, _CMP_GE_OQ)}; }
LW_INLINE Mask eq(Vec a, Vec b) { return {_mm256_cmp_ps(a.v, b.v, _CMP_EQ_OQ)}; }
LW_INLINE Mask is_nan(Vec a) { return {_mm256_cmp_ps(a.v, a.v, _CMP_UNORD_Q)}; }
// Lanes where a or b is NaN.
LW_INLINE Mask unordered(Vec a, Vec b) { return {_mm256_cmp_ps(a.v, b.v, _CMP_UNORD_Q)}; }
LW_INLINE Mask mask_or(Mask a, Mask b) { return {_mm256_or_ps(a.m, b.m)}; }
LW_INLINE Vec select(Mask m, Vec t, Vec f) { return {_mm256_blendv_ps(f.v, t.v, m.m)}; }

LW_INLINE Vec round_even(Vec a) { return {_mm256_round_ps(a.v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)}; }
LW_INLINE Vec floor(Vec a) { return {_mm256_round_ps(a.v, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC)}; }
LW_INLINE Vec ceil(Vec a) { return {_mm256_round_ps(a.v, _MM_FROUND_TO_POS_INF | _MM_FROUND_NO_EXC)}; }

// 2^n for integer-valued n in [-126, 127], built in the exponent field.
LW_INLINE __m256 pow2_normal(__m256 n) {
  return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23));
}
// a * 2^n in two steps so that n in [-252, 254] neither overflows the exponent field nor skips subnormals.
LW_INLINE Vec scale_pow2(Vec a, Vec n) {
  const __m256 clamped = _mm256_max_ps(_mm256_min_ps(n.v, _mm256_set1_ps(254.0f)), _mm256_set1_ps(-252.0f));
  const __m256 half = _mm256_floor_ps(_mm256_mul_ps(clamped, _mm256_set1_ps(0.5f)));
  const __m256 rest = _mm256_sub_ps(clamped, half);
  return {_mm256_mul_ps(_mm256_mul_ps(a.v, pow2_normal(half)), pow2_normal(rest))};
}
// For finite positive a: mantissa in [1, 2) and the exponent (subnormals are scaled up first).
LW_INLINE Vec split_exponent(Vec a, Vec* mantissa) {
  const __m256 tiny = _mm256_cmp_ps(a.v, _mm256_set1_ps(1.17549435e-38f), _CMP_LT_OQ);
  const __m256 x = _mm256_blendv_ps(a.v, _mm256_mul_ps(a.v, _mm256_set1_ps(8388608.0f)), tiny);
  const __m256i bits = _mm256_castps_si256(x);
  const __m256i biased = _mm256_srli_epi32(bits, 23);
  const __m256 e = _mm256_cvtepi32_ps(_mm256_sub_epi32(biased, _mm256_set1_epi32(127)));
  mantissa->v = _mm256_castsi256_ps(
      _mm256_or_si256(_mm256_and_si256(bits, _mm256_set1_epi32(0x007fffff)), _mm256_set1_epi32(0x3f800000)));
  return {_mm256_sub_ps(e, _mm256_and_ps(tiny, _mm256_set1_ps(23.0f)))};
}

// Vector registers a kernel may keep live.
constexpr int kVecRegisters = 16;

constexpr int kGemmMR = 6;
constexpr int kGemmNV = 2;
// Cache blocking: a KC-deep slice of B (NC columns) and an MC x KC block of A at a time.
constexpr int64_t kGemmKC = 256;
constexpr int64_t kGemmMC = 96;
constexpr int64_t kGemmNC = 1024;

}  // namespace avx2
}  // namespace lw
