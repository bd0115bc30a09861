/**
 * Vectorised float32 transcendental functions (Cephes single-precision polynomials), accurate to a few
 * ulp, with IEEE special values (NaN, +-Infinity, underflow to 0) handled explicitly.
 */

const LOG2E: f32 = 1.44269504088896341;
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;
/** Largest input whose exp is finite, and the input below which exp underflows to (denormal) ~0. */
const EXP_MAX: f32 = 88.72283935546875;
const EXP_MIN: f32 = -87.33654475;

/** e^x per lane. */
@inline export function vexp(x: v128): v128 {
  const xc = f32x4.max(f32x4.min(x, f32x4.splat(88.3762626647949)), f32x4.splat(EXP_MIN));
  const fx = f32x4.nearest(f32x4.mul(xc, f32x4.splat(LOG2E)));
  let r = f32x4.sub(xc, f32x4.mul(fx, f32x4.splat(LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(fx, f32x4.splat(LN2_LO)));
  let y = f32x4.splat(1.9875691500e-4);
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(1.3981999507e-3));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(8.3334519073e-3));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(4.1665795894e-2));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(1.6666665459e-1));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(5.0000001201e-1));
  y = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(y, r), r), r), f32x4.splat(1));
  const pow2 = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(fx), i32x4.splat(127)), 23);
  y = f32x4.mul(y, pow2);
  y = v128.bitselect(f32x4.splat(Infinity), y, f32x4.gt(x, f32x4.splat(EXP_MAX)));
  y = v128.andnot(y, f32x4.lt(x, f32x4.splat(EXP_MIN)));
  return v128.bitselect(x, y, f32x4.ne(x, x));
}

/** Natural logarithm per lane: NaN below 0, -Infinity at 0. */
@inline export function vlog(x: v128): v128 {
  // Denormal inputs are scaled into the normal range first (log(x) = log(x * 2^23) - 23 ln 2).
  const tiny = f32x4.lt(x, f32x4.splat(1.17549435e-38));
  const xs = v128.bitselect(f32x4.mul(x, f32x4.splat(8388608)), x, tiny);
  const bits = xs;
  let e = f32x4.convert_i32x4_s(i32x4.sub(i32x4.shr_u(bits, 23), i32x4.splat(126)));
  e = v128.bitselect(f32x4.sub(e, f32x4.splat(23)), e, tiny);
  let mnt = v128.or(v128.and(bits, i32x4.splat(0x007fffff)), i32x4.splat(0x3f000000));
  const small = f32x4.lt(mnt, f32x4.splat(0.707106781186547524));
  e = f32x4.sub(e, v128.and(small, f32x4.splat(1)));
  mnt = f32x4.sub(f32x4.add(mnt, v128.and(small, mnt)), f32x4.splat(1));
  const z = f32x4.mul(mnt, mnt);
  let y = f32x4.splat(7.0376836292e-2);
  y = f32x4.add(f32x4.mul(y, mnt), f32x4.splat(-1.1514610310e-1));
  y = f32x4.add(f32x4.mul(y, mnt), f32x4.splat(1.1676998740e-1));
  y = f32x4.add(f32x4.mul(y, mnt), f32x4.splat(-1.2420140846e-1));
  y = f32x4.add(f32x4.mul(y, mnt), f32x4.splat(1.4249322787e-1));
  y = f32x4.add(f32x4.mul(y, mnt), f32x4.splat(-1.6668057665e-1));
  y = f32x4.add(f32x4.mul(y, mnt), f32x4.splat(2.0000714765e-1));
  y = f32x4.add(f32x4.mul(y, mnt), f32x4.splat(-2.4999993993e-1));
  y = f32x4.add(f32x4.mul(y, mnt), f32x4.splat(3.3333331174e-1));
  y = f32x4.mul(f32x4.mul(y, mnt), z);
  y = f32x4.add(y, f32x4.mul(e, f32x4.splat(LN2_LO)));
  y = f32x4.sub(y, f32x4.mul(z, f32x4.splat(0.5)));
  let r = f32x4.add(f32x4.add(mnt, y), f32x4.mul(e, f32x4.splat(LN2_HI)));
  r = v128.bitselect(f32x4.splat(-Infinity), r, f32x4.eq(x, f32x4.splat(0)));
  r = v128.bitselect(f32x4.splat(NaN), r, f32x4.lt(x, f32x4.splat(0)));
  // +Infinity and NaN map to themselves.
  return v128.bitselect(x, r, v128.or(f32x4.ne(x, x), f32x4.eq(x, f32x4.splat(Infinity))));
}

/** 1 / (1 + e^-x) per lane. */
@inline export function vsigmoid(x: v128): v128 {
  return f32x4.div(f32x4.splat(1), f32x4.add(f32x4.splat(1), vexp(f32x4.neg(x))));
}

/** tanh per lane: a polynomial near 0 (where 1 - 2/(e^2x + 1) would cancel), the exponential form beyond. */
@inline export function vtanh(x: v128): v128 {
  const ax = f32x4.abs(x);
  const far = f32x4.sub(f32x4.splat(1), f32x4.div(f32x4.splat(2), f32x4.add(vexp(f32x4.add(ax, ax)), f32x4.splat(1))));
  const signed = v128.or(far, v128.and(x, i32x4.splat(0x80000000)));
  const z = f32x4.mul(x, x);
  let y = f32x4.splat(-5.70498872745e-3);
  y = f32x4.add(f32x4.mul(y, z), f32x4.splat(2.06390887954e-2));
  y = f32x4.add(f32x4.mul(y, z), f32x4.splat(-5.37397155531e-2));
  y = f32x4.add(f32x4.mul(y, z), f32x4.splat(1.33314422036e-1));
  y = f32x4.add(f32x4.mul(y, z), f32x4.splat(-3.33332819422e-1));
  const near = f32x4.add(f32x4.mul(f32x4.mul(y, z), x), x);
  return v128.bitselect(near, signed, f32x4.lt(ax, f32x4.splat(0.625)));
}

/** e^x - 1 per lane, accurate near 0 (where e^x - 1 cancels): x + x^2/2 + x^3/6 + ... below |x| < 0.5. */
@inline export function vexpm1(x: v128): v128 {
  const big = f32x4.sub(vexp(x), f32x4.splat(1));
  let y = f32x4.splat(1.0 / 5040.0);
  y = f32x4.add(f32x4.mul(y, x), f32x4.splat(1.0 / 720.0));
  y = f32x4.add(f32x4.mul(y, x), f32x4.splat(1.0 / 120.0));
  y = f32x4.add(f32x4.mul(y, x), f32x4.splat(1.0 / 24.0));
  y = f32x4.add(f32x4.mul(y, x), f32x4.splat(1.0 / 6.0));
  y = f32x4.add(f32x4.mul(y, x), f32x4.splat(0.5));
  const small = f32x4.add(f32x4.mul(f32x4.mul(y, x), x), x);
  return v128.bitselect(small, big, f32x4.lt(f32x4.abs(x), f32x4.splat(0.5)));
}

/** log(1 + e^x) per lane without overflow: max(x, 0) + log(1 + e^-|x|). */
@inline export function vsoftplus(x: v128): v128 {
  const t = vexp(f32x4.neg(f32x4.abs(x)));
  return f32x4.add(f32x4.max(x, f32x4.splat(0)), vlog1pSmall(t));
}

/** log(1 + t) for t in [0, 1], accurate for tiny t: t * log(u) / (u - 1) with u = 1 + t (Goldberg's trick). */
@inline function vlog1pSmall(t: v128): v128 {
  const u = f32x4.add(f32x4.splat(1), t);
  const d = f32x4.sub(u, f32x4.splat(1));
  const ratio = f32x4.div(f32x4.mul(t, vlog(u)), d);
  return v128.bitselect(t, ratio, f32x4.eq(d, f32x4.splat(0)));
}
