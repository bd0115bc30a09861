/** Softmax, log-softmax and layer normalization over the last axis, over ranges of rows. */
import { LayerNormArgs, LayerNormGradArgs, LogSoftmaxArgs, SoftmaxArgs } from '../generated/kernels';
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

/** Rows [start, end): out = (x - mean) * rstd * gamma + beta; each row's mean and rstd are kept. */
export function layerNorm(a: LayerNormArgs, start: i32, end: i32, scratch: usize): void {
  const cols = a.cols;
  const invCols: f32 = cols > 0 ? <f32>1 / <f32>cols : 0;
  for (let r = start; r < end; r++) {
    const x = a.x + <usize>(r * cols) * 4, out = a.out + <usize>(r * cols) * 4;
    let s = f32x4.splat(0);
    let j = 0;
    for (; j + 4 <= cols; j += 4) s = f32x4.add(s, v128.load(x + <usize>j * 4));
    let sum = lanesSum(s);
    for (; j < cols; j++) sum += load<f32>(x + <usize>j * 4);
    const mean = <f32>sum * invCols;
    const m = f32x4.splat(mean);
    // Two passes: the variance of the centred values keeps its precision when the mean is large.
    let q = f32x4.splat(0);
    for (j = 0; j + 4 <= cols; j += 4) {
      const d = f32x4.sub(v128.load(x + <usize>j * 4), m);
      q = f32x4.add(q, f32x4.mul(d, d));
    }
    let squares = lanesSum(q);
    for (; j < cols; j++) {
      const d = load<f32>(x + <usize>j * 4) - mean;
      squares += d * d;
    }
    const rstd = <f32>1 / Mathf.sqrt(<f32>squares * invCols + a.epsilon);
    const v = f32x4.splat(rstd);
    for (j = 0; j + 4 <= cols; j += 4) {
      const o = <usize>j * 4;
      v128.store(out + o, f32x4.add(f32x4.mul(f32x4.mul(f32x4.sub(v128.load(x + o), m), v), v128.load(a.gamma + o)), v128.load(a.beta + o)));
    }
    for (; j < cols; j++) {
      const o = <usize>j * 4;
      store<f32>(out + o, (load<f32>(x + o) - mean) * rstd * load<f32>(a.gamma + o) + load<f32>(a.beta + o));
    }
    store<f32>(a.mean + <usize>r * 4, mean);
    store<f32>(a.rstd + <usize>r * 4, rstd);
  }
}

/**
 * Units [start, end) of rows + ceil(cols / 4): the first `rows` units are rows of dx; the rest are groups
 * of four columns of dGamma and dBeta, each summed over every row.
 */
export function layerNormGrad(a: LayerNormGradArgs, start: i32, end: i32, scratch: usize): void {
  const rows = a.rows, cols = a.cols;
  const invCols: f32 = cols > 0 ? <f32>1 / <f32>cols : 0;
  for (let u = start; u < end; u++) {
    if (u < rows) {
      const o = <usize>(u * cols) * 4;
      const mean = load<f32>(a.mean + <usize>u * 4), rstd = load<f32>(a.rstd + <usize>u * 4);
      // dx = rstd * (g - mean(g) - xhat * mean(g * xhat)), with g = dy * gamma and xhat = (x - mean) * rstd.
      let sumG: f32 = 0, sumGX: f32 = 0;
      for (let j = 0; j < cols; j++) {
        const p = <usize>j * 4;
        const g = load<f32>(a.dy + o + p) * load<f32>(a.gamma + p), xhat = (load<f32>(a.x + o + p) - mean) * rstd;
        sumG += g;
        sumGX += g * xhat;
      }
      const mg = sumG * invCols, mgx = sumGX * invCols;
      for (let j = 0; j < cols; j++) {
        const p = <usize>j * 4;
        const g = load<f32>(a.dy + o + p) * load<f32>(a.gamma + p), xhat = (load<f32>(a.x + o + p) - mean) * rstd;
        store<f32>(a.dx + o + p, rstd * (g - mg - xhat * mgx));
      }
    } else {
      const j0 = (u - rows) * 4, j1 = min(j0 + 4, cols);
      for (let j = j0; j < j1; j++) {
        let dg: f32 = 0, db: f32 = 0;
        for (let r = 0; r < rows; r++) {
          const d = load<f32>(a.dy + <usize>(r * cols + j) * 4);
          dg += d * (load<f32>(a.x + <usize>(r * cols + j) * 4) - load<f32>(a.mean + <usize>r * 4)) * load<f32>(a.rstd + <usize>r * 4);
          db += d;
        }
        store<f32>(a.dGamma + <usize>j * 4, dg);
        store<f32>(a.dBeta + <usize>j * 4, db);
      }
    }
  }
}
