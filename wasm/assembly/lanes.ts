/**
 * Loads and stores of either a whole vector or, for the tail of an array, a single element (splatted
 * into all lanes). Kernels write their maths once, as a step over `full` or single lanes, and call it
 * with a constant flag so the branch folds away.
 */

@inline export function ld(p: usize, full: bool): v128 {
  return full ? v128.load(p) : v128.load32_splat(p);
}

@inline export function st(p: usize, v: v128, full: bool): void {
  if (full) v128.store(p, v);
  else v128.store32_lane(p, v, 0);
}

/** Sum of the four lanes, in float64. */
@inline export function lanesSum(v: v128): f64 {
  return <f64>f32x4.extract_lane(v, 0) + <f64>f32x4.extract_lane(v, 1) + <f64>f32x4.extract_lane(v, 2) + <f64>f32x4.extract_lane(v, 3);
}
