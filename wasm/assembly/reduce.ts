/**
 * Reductions over the middle axis of an [outer, size, inner] view, for outer rows [o0, o1). Sums and
 * products accumulate in float64 (column sums in float64 totals of short float32 runs), maxima and
 * minima in float32 with NaN propagating.
 */
import { ReduceArgs, ReduceOp } from '../generated/kernels';

/** Bytes of work space `reduce` needs: one float64 accumulator per inner position. */
export function reduceWorkBytes(inner: i32): i32 {
  return inner * 8;
}

@inline function highHalf(v: v128): v128 {
  return v128.shuffle<f32>(v, v, 2, 3, 2, 3);
}

/** sum or prod of n contiguous floats, in float64. */
function sumOrProd(op: i32, x: usize, n: i32): f64 {
  const mul = op == ReduceOp.Prod;
  let lo = mul ? f64x2.splat(1) : f64x2.splat(0);
  let hi = lo;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(x + <usize>i * 4);
    const a = f64x2.promote_low_f32x4(v), b = f64x2.promote_low_f32x4(highHalf(v));
    lo = mul ? f64x2.mul(lo, a) : f64x2.add(lo, a);
    hi = mul ? f64x2.mul(hi, b) : f64x2.add(hi, b);
  }
  const both = mul ? f64x2.mul(lo, hi) : f64x2.add(lo, hi);
  let r = mul ? f64x2.extract_lane(both, 0) * f64x2.extract_lane(both, 1) : f64x2.extract_lane(both, 0) + f64x2.extract_lane(both, 1);
  for (; i < n; i++) {
    const v = <f64>load<f32>(x + <usize>i * 4);
    r = mul ? r * v : r + v;
  }
  return r;
}

/** max or min of n contiguous floats (NaN if any is NaN). */
function extreme(op: i32, x: usize, n: i32): f32 {
  const isMax = op == ReduceOp.Max;
  let m = f32x4.splat(isMax ? -Infinity : Infinity);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(x + <usize>i * 4);
    m = isMax ? f32x4.max(m, v) : f32x4.min(m, v);
  }
  for (; i < n; i++) {
    const v = v128.load32_splat(x + <usize>i * 4);
    m = isMax ? f32x4.max(m, v) : f32x4.min(m, v);
  }
  const s = v128.shuffle<f32>(m, m, 1, 0, 3, 2);
  m = isMax ? f32x4.max(m, s) : f32x4.min(m, s);
  const t = v128.shuffle<f32>(m, m, 2, 3, 0, 1);
  m = isMax ? f32x4.max(m, t) : f32x4.min(m, t);
  return f32x4.extract_lane(m, 0);
}

function reduceRows(op: i32, x: usize, out: usize, size: i32, inner: i32, o0: i32, o1: i32, work: usize): void {
  for (let o = o0; o < o1; o++) {
    const src = x + <usize>o * <usize>size * <usize>inner * 4;
    const dst = out + <usize>(o * inner) * 4;
    if (inner == 1) {
      store<f32>(dst, op == ReduceOp.Sum || op == ReduceOp.Prod ? <f32>sumOrProd(op, src, size) : extreme(op, src, size));
    } else if (op == ReduceOp.Sum) {
      columnSums(src, dst, size, inner, work);
    } else if (op == ReduceOp.Prod) {
      columnsSumOrProd(op, src, dst, size, inner, work);
    } else {
      columnsExtreme(op, src, dst, size, inner);
    }
  }
}

/** Rows summed in float32 registers before they are added to the float64 totals. */
const SUM_BLOCK_ROWS: i32 = 16;

/**
 * dst[j] = sum over r of src[r*inner + j] (a bias gradient, for instance): blocks of 16 rows are summed
 * in float32 vector registers, 16 columns at a time, and the block sums are added to float64 totals in
 * `work`: rounding stays that of 16-term float32 sums (not of the whole column) at a fraction of the
 * float64 traffic.
 */
function columnSums(src: usize, dst: usize, size: i32, inner: i32, work: usize): void {
  for (let j = 0; j < inner; j++) store<f64>(work + <usize>j * 8, 0);
  const stride = <usize>inner * 4;
  const wide = inner & ~15, narrow = inner & ~3;
  for (let r0 = 0; r0 < size; r0 += SUM_BLOCK_ROWS) {
    const rows = min(SUM_BLOCK_ROWS, size - r0);
    const block = src + <usize>r0 * stride;
    let j = 0;
    for (; j < wide; j += 16) {
      let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0;
      let p = block + <usize>j * 4;
      for (let r = 0; r < rows; r++) {
        a0 = f32x4.add(a0, v128.load(p));
        a1 = f32x4.add(a1, v128.load(p, 16));
        a2 = f32x4.add(a2, v128.load(p, 32));
        a3 = f32x4.add(a3, v128.load(p, 48));
        p += stride;
      }
      addToTotals(work + <usize>j * 8, a0);
      addToTotals(work + <usize>(j + 4) * 8, a1);
      addToTotals(work + <usize>(j + 8) * 8, a2);
      addToTotals(work + <usize>(j + 12) * 8, a3);
    }
    for (; j < narrow; j += 4) {
      let a = f32x4.splat(0);
      let p = block + <usize>j * 4;
      for (let r = 0; r < rows; r++) {
        a = f32x4.add(a, v128.load(p));
        p += stride;
      }
      addToTotals(work + <usize>j * 8, a);
    }
    for (; j < inner; j++) {
      let t: f64 = 0;
      for (let r = 0; r < rows; r++) t += <f64>load<f32>(block + <usize>r * stride + <usize>j * 4);
      store<f64>(work + <usize>j * 8, load<f64>(work + <usize>j * 8) + t);
    }
  }
  for (let j = 0; j < inner; j++) store<f32>(dst + <usize>j * 4, <f32>load<f64>(work + <usize>j * 8));
}

/** Adds four float32 lanes to four float64 totals at w. */
@inline function addToTotals(w: usize, a: v128): void {
  v128.store(w, f64x2.add(v128.load(w), f64x2.promote_low_f32x4(a)));
  v128.store(w, f64x2.add(v128.load(w, 16), f64x2.promote_low_f32x4(highHalf(a))), 16);
}

/** dst[j] = prod over r of src[r*inner + j], accumulated in `work` (float64). */
function columnsSumOrProd(op: i32, src: usize, dst: usize, size: i32, inner: i32, work: usize): void {
  const mul = op == ReduceOp.Prod;
  const init = f64x2.splat(mul ? 1 : 0);
  let j = 0;
  for (; j + 2 <= inner; j += 2) v128.store(work + <usize>j * 8, init);
  if (j < inner) store<f64>(work + <usize>j * 8, mul ? 1 : 0);
  for (let r = 0; r < size; r++) {
    const row = src + <usize>(r * inner) * 4;
    j = 0;
    for (; j + 4 <= inner; j += 4) {
      const v = v128.load(row + <usize>j * 4);
      const w = work + <usize>j * 8;
      const a = f64x2.promote_low_f32x4(v), b = f64x2.promote_low_f32x4(highHalf(v));
      v128.store(w, mul ? f64x2.mul(v128.load(w), a) : f64x2.add(v128.load(w), a));
      v128.store(w, mul ? f64x2.mul(v128.load(w, 16), b) : f64x2.add(v128.load(w, 16), b), 16);
    }
    for (; j < inner; j++) {
      const w = work + <usize>j * 8;
      const v = <f64>load<f32>(row + <usize>j * 4);
      store<f64>(w, mul ? load<f64>(w) * v : load<f64>(w) + v);
    }
  }
  j = 0;
  for (; j + 4 <= inner; j += 4) {
    const w = work + <usize>j * 8;
    const a = f32x4.demote_f64x2_zero(v128.load(w)), b = f32x4.demote_f64x2_zero(v128.load(w, 16));
    v128.store(dst + <usize>j * 4, v128.shuffle<f32>(a, b, 0, 1, 4, 5));
  }
  for (; j < inner; j++) store<f32>(dst + <usize>j * 4, <f32>load<f64>(work + <usize>j * 8));
}

/** dst[j] = max or min over r of src[r*inner + j]; +-Infinity when size is 0. */
function columnsExtreme(op: i32, src: usize, dst: usize, size: i32, inner: i32): void {
  const isMax = op == ReduceOp.Max;
  const init = f32x4.splat(isMax ? -Infinity : Infinity);
  let j = 0;
  for (; j + 4 <= inner; j += 4) v128.store(dst + <usize>j * 4, init);
  for (; j < inner; j++) store<f32>(dst + <usize>j * 4, isMax ? -Infinity : Infinity);
  for (let r = 0; r < size; r++) {
    const row = src + <usize>(r * inner) * 4;
    j = 0;
    for (; j + 4 <= inner; j += 4) {
      const d = dst + <usize>j * 4;
      const v = v128.load(row + <usize>j * 4);
      v128.store(d, isMax ? f32x4.max(v128.load(d), v) : f32x4.min(v128.load(d), v));
    }
    for (; j < inner; j++) {
      const d = dst + <usize>j * 4;
      const v = v128.load32_splat(row + <usize>j * 4), cur = v128.load32_splat(d);
      store<f32>(d, f32x4.extract_lane(isMax ? f32x4.max(cur, v) : f32x4.min(cur, v), 0));
    }
  }
}

/** Outer rows [start, end); `scratch` holds reduceWorkBytes(inner). */
export function reduce(a: ReduceArgs, start: i32, end: i32, scratch: usize): void {
  reduceRows(a.op, a.x, a.out, a.reduction.size, a.reduction.inner, start, end, scratch);
}
