// Vector elementary functions for float32, written once over the Vec operations of the instruction set
// being compiled (LW_ISA). Polynomials are Cephes's single-precision ones (errors of 1-2 ulp); the erf
// fit is the one the reference backend uses, so GELU agrees with it.
#pragma once

namespace lw {
namespace LW_ISA {

LW_INLINE Vec poly(Vec x, float c0) { return set1(c0); }
template <class... Rest>
LW_INLINE Vec poly(Vec x, float c0, float c1, Rest... rest) {
  return fmadd(poly(x, c1, rest...), x, set1(c0));
}

// relu that keeps NaN (as TensorFlow and PyTorch do): `x > 0 ? x : 0` would turn a NaN input into 0 and
// hide it. The compare is "not x <= 0", true for NaN, so the instructions are the ones of x > 0; -0 gives +0.
LW_INLINE Vec vrelu(Vec x) { return select(gt_or_nan(x, zero()), x, zero()); }

LW_INLINE Vec vexp(Vec x) {
  // Clamp first (NaN passes: the second operand of max/min wins when either is NaN), then
  // exp(x) = 2^n * exp(r) with r = x - n*ln2 split in two constants for accuracy.
  x = min(set1(89.0f), max(set1(-104.0f), x));
  const Vec n = round_even(mul(x, set1(1.44269504088896341f)));
  Vec r = fnmadd(n, set1(0.693359375f), x);
  r = fnmadd(n, set1(-2.12194440e-4f), r);
  const Vec p = poly(r, 5.0000001201E-1f, 1.6666665459E-1f, 4.1665795894E-2f, 8.3334519073E-3f, 1.3981999507E-3f,
                     1.9875691500E-4f);
  const Vec e = add(fmadd(p, mul(r, r), r), set1(1.0f));
  return scale_pow2(e, n);
}

// exp(x) - 1, accurate near 0 where the subtraction would cancel.
LW_INLINE Vec vexpm1(Vec x) {
  const Vec small = mul(x, poly(x, 1.0f, 1.0f / 2, 1.0f / 6, 1.0f / 24, 1.0f / 120, 1.0f / 720, 1.0f / 5040,
                                1.0f / 40320, 1.0f / 362880));
  return select(lt(abs(x), set1(0.5f)), small, sub(vexp(x), set1(1.0f)));
}

LW_INLINE Vec vlog(Vec x) {
  Vec m;
  Vec e = split_exponent(x, &m);
  const Mask big = gt(m, set1(1.41421356237f));
  m = select(big, mul(m, set1(0.5f)), m);
  e = select(big, add(e, set1(1.0f)), e);
  const Vec f = sub(m, set1(1.0f));
  const Vec z = mul(f, f);
  Vec y = mul(poly(f, 3.3333331174E-1f, -2.4999993993E-1f, 2.0000714765E-1f, -1.6668057665E-1f, 1.4249322787E-1f,
                   -1.2420140846E-1f, 1.1676998740E-1f, -1.1514610310E-1f, 7.0376836292E-2f),
              mul(f, z));
  y = fmadd(e, set1(-2.12194440e-4f), y);
  y = fnmadd(set1(0.5f), z, y);
  Vec r = fmadd(e, set1(0.693359375f), add(f, y));
  const float inf = __builtin_inff();
  r = select(eq(x, zero()), set1(-inf), r);
  r = select(eq(x, set1(inf)), x, r);
  r = select(lt(x, zero()), set1(__builtin_nanf("")), r);
  return select(is_nan(x), x, r);
}

// log(1 + x) = log(u) * x / (u - 1) with u = 1 + x: the quotient corrects u's rounding error.
LW_INLINE Vec vlog1p(Vec x) {
  const Vec u = add(x, set1(1.0f));
  const Vec r = mul(vlog(u), div(x, sub(u, set1(1.0f))));
  const Vec edge = select(eq(u, set1(__builtin_inff())), u, r);
  return select(eq(u, set1(1.0f)), x, edge);
}

LW_INLINE Vec vtanh(Vec x) {
  const Vec ax = abs(x);
  const Vec z = mul(x, x);
  const Vec small = fmadd(mul(poly(z, -3.33332819422E-1f, 1.33314422036E-1f, -5.37397155531E-2f, 2.06390887954E-2f,
                                   -5.70498872745E-3f),
                              z),
                          x, x);
  const Vec large = sub(set1(1.0f), div(set1(2.0f), add(vexp(add(ax, ax)), set1(1.0f))));
  return select(lt(ax, set1(0.625f)), small, copysign(large, x));
}

LW_INLINE Vec vsigmoid(Vec x) {
  const Vec e = vexp(neg(abs(x)));
  const Vec r = div(set1(1.0f), add(set1(1.0f), e));
  return select(ge(x, zero()), r, mul(e, r));
}

LW_INLINE Vec vsoftplus(Vec x) { return add(max(x, zero()), vlog1p(vexp(neg(abs(x))))); }

LW_INLINE Vec verf(Vec x) {
  const Vec z = abs(x);
  const Vec t = div(set1(1.0f), fmadd(set1(0.5f), z, set1(1.0f)));
  const Vec p = poly(t, -1.26551223f, 1.00002368f, 0.37409196f, 0.09678418f, -0.18628806f, 0.27886807f, -1.13520398f,
                     1.48851587f, -0.82215223f, 0.17087277f);
  const Vec r = mul(t, vexp(fnmadd(z, z, p)));
  return select(ge(x, zero()), sub(set1(1.0f), r), sub(r, set1(1.0f)));
}

}  // namespace LW_ISA
}  // namespace lw
