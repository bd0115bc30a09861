/** Softmax and log-softmax over the last axis, over ranges of rows. */
import { LogSoftmaxArgs, SoftmaxArgs } from '../generated/kernels';
import { ld, lanesSum, st } from './lanes';
import { vexp } from './vmath';

/** Maximum of a row (NaN if it holds one), -Infinity for an empty row. */
function rowMax(x: usize, cols: i32): f32 {
  let m = f32x4.splat(-Infinity);
  let j = 0;
  for (; j + 4 <= cols; j += 4) m = f32x4.max(m, v128.load(x + <usize>j * 4));
  for (; j < cols; j++) m = f32x4.max(m, v128.load32_splat(x + <usize>j * 4));
  const pairs = f32x4.max(m, v128.shuffle<f32>(m, m, 1, 0, 3, 2));
  return f32x4.extract_lane(f32x4.max(pairs, v128.shuffle<f32>(pairs, pairs, 2, 3, 0, 1)), 0);
}

/** Rows [r0, r1) of a [rows, cols] array: exp(x - max) / sum, stable for large inputs. */
function softmaxRows(x: usize, out: usize, cols: i32, r0: i32, r1: i32): void {
  for (let r = r0; r < r1; r++) {
    const xr = x + <usize>(r * cols) * 4, or = out + <usize>(r * cols) * 4;
    const m = f32x4.splat(rowMax(xr, cols));
    let s = f32x4.splat(0);
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const e = vexp(f32x4.sub(v128.load(xr + <usize>j * 4), m));
      v128.store(or + <usize>j * 4, e);
      s = f32x4.add(s, e);
    }
    let sum = lanesSum(s);
    for (; j < cols; j++) {
      const e = f32x4.extract_lane(vexp(f32x4.sub(v128.load32_splat(xr + <usize>j * 4), m)), 0);
      store<f32>(or + <usize>j * 4, e);
      sum += e;
    }
    const inv = f32x4.splat(<f32>(1 / sum));
    j = 0;
    for (; j + 4 <= cols; j += 4) v128.store(or + <usize>j * 4, f32x4.mul(v128.load(or + <usize>j * 4), inv));
    for (; j < cols; j++) st(or + <usize>j * 4, f32x4.mul(ld(or + <usize>j * 4, false), inv), false);
  }
}

/** Rows [r0, r1): x - max - log(sum(exp(x - max))). */
function logSoftmaxRows(x: usize, out: usize, cols: i32, r0: i32, r1: i32): void {
  for (let r = r0; r < r1; r++) {
    const xr = x + <usize>(r * cols) * 4, or = out + <usize>(r * cols) * 4;
    const mx = rowMax(xr, cols);
    const m = f32x4.splat(mx);
    let s = f32x4.splat(0);
    let j = 0;
    for (; j + 4 <= cols; j += 4) s = f32x4.add(s, vexp(f32x4.sub(v128.load(xr + <usize>j * 4), m)));
    let sum = lanesSum(s);
    for (; j < cols; j++) sum += f32x4.extract_lane(vexp(f32x4.sub(v128.load32_splat(xr + <usize>j * 4), m)), 0);
    // The log-sum-exp as a float32 pair hi + lo, so that x - lse loses nothing to rounding lse.
    const lse = <f64>mx + Math.log(sum);
    const hi = <f32>lse;
    const h = f32x4.splat(hi), l = f32x4.splat(<f32>(lse - <f64>hi));
    j = 0;
    for (; j + 4 <= cols; j += 4) v128.store(or + <usize>j * 4, f32x4.sub(f32x4.sub(v128.load(xr + <usize>j * 4), h), l));
    for (; j < cols; j++) st(or + <usize>j * 4, f32x4.sub(f32x4.sub(ld(xr + <usize>j * 4, false), h), l), false);
  }
}

export function softmax(a: SoftmaxArgs, start: i32, end: i32, scratch: usize): void {
  softmaxRows(a.x, a.out, a.cols, start, end);
}

export function logSoftmax(a: LogSoftmaxArgs, start: i32, end: i32, scratch: usize): void {
  logSoftmaxRows(a.x, a.out, a.cols, start, end);
}
