// 16-lane float vectors on AVX-512F. Only this file and the kernels included after it are compiled with
// -mavx512f, and everything lives in namespace lw::avx512 so no inline function can be shared (by the
// linker) with a translation unit built for a lesser instruction set.
#pragma once
#include <immintrin.h>

#include <cstdint>

#define LW_INLINE inline __attribute__((always_inline))

namespace lw {
namespace avx512 {

constexpr int W = 16;
constexpr const char* kIsaName = "avx512";

struct Vec {
  __m512 v;
};
struct Mask {
  __mmask16 m;
};

LW_INLINE __mmask16 tail_mask(int64_t n) { return static_cast<__mmask16>((1u << n) - 1u); }

LW_INLINE Vec load(const float* p) { return {_mm512_loadu_ps(p)}; }
LW_INLINE void store(float* p, Vec a) { _mm512_storeu_ps(p, a.v); }
LW_INLINE Vec load_partial(const float* p, int64_t n) { return {_mm512_maskz_loadu_ps(tail_mask(n), p)}; }
LW_INLINE void store_partial(float* p, Vec a, int64_t n) { _mm512_mask_storeu_ps(p, tail_mask(n), a.v); }
LW_INLINE Vec set1(float x) { return {_mm512_set1_ps(x)}; }
LW_INLINE Vec zero() { return {_mm512_setzero_ps()}; }

LW_INLINE Vec add(Vec a, Vec b) { return {_mm512_add_ps(a.v, b.v)}; }
LW_INLINE Vec sub(Vec a, Vec b) { return {_mm512_sub_ps(a.v, b.v)}; }
LW_INLINE Vec mul(Vec a, Vec b) { return {_mm512_mul_ps(a.v, b.v)}; }
LW_INLINE Vec div(Vec a, Vec b) { return {_mm512_div_ps(a.v, b.v)}; }
// a*b + c and c - a*b with a single rounding.
LW_INLINE Vec fmadd(Vec a, Vec b, Vec c) { return {_mm512_fmadd_ps(a.v, b.v, c.v)}; }
LW_INLINE Vec fnmadd(Vec a, Vec b, Vec c) { return {_mm512_fnmadd_ps(a.v, b.v, c.v)}; }
LW_INLINE Vec max(Vec a, Vec b) { return {_mm512_max_ps(a.v, b.v)}; }
LW_INLINE Vec min(Vec a, Vec b) { return {_mm512_min_ps(a.v, b.v)}; }
LW_INLINE Vec sqrt(Vec a) { return {_mm512_sqrt_ps(a.v)}; }
LW_INLINE Vec abs(Vec a) { return {_mm512_abs_ps(a.v)}; }
LW_INLINE Vec neg(Vec a) {
  return {_mm512_castsi512_ps(_mm512_xor_si512(_mm512_castps_si512(a.v), _mm512_set1_epi32(INT32_MIN)))};
}
// The sign bit of `s` on the magnitude of `a`.
LW_INLINE Vec copysign(Vec a, Vec s) {
  const __m512i sign = _mm512_set1_epi32(INT32_MIN);
  return {_mm512_castsi512_ps(_mm512_ternarylogic_epi32(_mm512_castps_si512(a.v), _mm512_castps_si512(s.v), sign, 0xd8))};
}

LW_INLINE Mask lt(Vec a, Vec b) { return {_mm512_cmp_ps_mask(a.v, b.v, _CMP_LT_OQ)}; }
LW_INLINE Mask gt(Vec a, Vec b) { return {_mm512_cmp_ps_mask(a.v, b.v, _CMP_GT_OQ)}; }
// a > b, or either is NaN (not a <= b).
LW_INLINE Mask gt_or_nan(Vec a, Vec b) { return {_mm512_cmp_ps_mask(a.v, b.v, _CMP_NLE_UQ)}; }
LW_INLINE Mask ge(Vec a, Vec b) { return {_mm512_cmp_ps_mask(a.v, b.v, _CMP_GE_OQ)}; }
LW_INLINE Mask eq(Vec a, Vec b) { return {_mm512_cmp_ps_mask(a.v, b.v, _CMP_EQ_OQ)}; }
LW_INLINE Mask is_nan(Vec a) { return {_mm512_cmp_ps_mask(a.v, a.v, _CMP_UNORD_Q)}; }
// Lanes where a or b is NaN.
LW_INLINE Mask unordered(Vec a, Vec b) { return {_mm512_cmp_ps_mask(a.v, b.v, _CMP_UNORD_Q)}; }
LW_INLINE Mask mask_or(Mask a, Mask b) { return {static_cast<__mmask16>(a.m | b.m)}; }
// t where the mask is set, f elsewhere.
LW_INLINE Vec select(Mask m, Vec t, Vec f) { return {_mm512_mask_blend_ps(m.m, f.v, t.v)}; }

LW_INLINE Vec round_even(Vec a) { return {_mm512_roundscale_ps(a.v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)}; }
LW_INLINE Vec floor(Vec a) { return {_mm512_roundscale_ps(a.v, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC)}; }
LW_INLINE Vec ceil(Vec a) { return {_mm512_roundscale_ps(a.v, _MM_FROUND_TO_POS_INF | _MM_FROUND_NO_EXC)}; }

// a * 2^n for integer-valued n, with correct overflow to infinity and underflow through the subnormals.
LW_INLINE Vec scale_pow2(Vec a, Vec n) { return {_mm512_scalef_ps(a.v, n.v)}; }
// For finite positive a: mantissa in [1, 2) and the exponent, a = mantissa * 2^exponent (subnormals too).
LW_INLINE Vec split_exponent(Vec a, Vec* mantissa) {
  mantissa->v = _mm512_getmant_ps(a.v, _MM_MANT_NORM_1_2, _MM_MANT_SIGN_zero);
  return {_mm512_getexp_ps(a.v)};
}

// Vector registers a kernel may keep live.
constexpr int kVecRegisters = 32;

// Register blocking of the matrix-multiply micro-kernel: MR rows of A broadcast against NV vectors of B.
constexpr int kGemmMR = 12;
constexpr int kGemmNV = 2;
// Cache blocking: a KC-deep slice of B (NC columns) and an MC x KC block of A at a time.
constexpr int64_t kGemmKC = 256;
constexpr int64_t kGemmMC = 192;
constexpr int64_t kGemmNC = 512;

}  // namespace avx512
}  // namespace lw
