/** Softmax over the last axis and the optimizers' in-place update rules (Keras's), over index ranges. */
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
export function softmax(x: usize, out: usize, cols: i32, r0: i32, r1: i32): void {
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
export function logSoftmax(x: usize, out: usize, cols: i32, r0: i32, r1: i32): void {
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

@inline function sgdStep(
  i: i32, full: bool, param: usize, grad: usize, velocity: usize, lr: v128, momentum: v128, nesterov: bool,
): void {
  const o = <usize>i * 4;
  const step = f32x4.mul(lr, ld(grad + o, full));
  const p = ld(param + o, full);
  if (velocity == 0) {
    st(param + o, f32x4.sub(p, step), full);
    return;
  }
  const v = f32x4.sub(f32x4.mul(momentum, ld(velocity + o, full)), step);
  st(velocity + o, v, full);
  st(param + o, f32x4.add(p, nesterov ? f32x4.sub(f32x4.mul(momentum, v), step) : v), full);
}

/** v = momentum*v - lr*g; p += nesterov ? momentum*v - lr*g : v; without velocity (0): p -= lr*g. */
export function sgdUpdate(param: usize, grad: usize, velocity: usize, lr: f32, momentum: f32, nesterov: bool, start: i32, end: i32): void {
  const l = f32x4.splat(lr), m = f32x4.splat(momentum);
  let i = start;
  for (; i + 4 <= end; i += 4) sgdStep(i, true, param, grad, velocity, l, m, nesterov);
  for (; i < end; i++) sgdStep(i, false, param, grad, velocity, l, m, nesterov);
}

@inline function rmspropStep(
  i: i32, full: bool, param: usize, grad: usize, ms: usize, mom: usize, mg: usize, lr: f32, rho: f32, momentum: f32, epsilon: f32,
): void {
  const o = <usize>i * 4;
  const g = ld(grad + o, full);
  const rhoV = f32x4.splat(rho), keep = f32x4.splat(1 - rho);
  const s = f32x4.add(f32x4.mul(rhoV, ld(ms + o, full)), f32x4.mul(keep, f32x4.mul(g, g)));
  st(ms + o, s, full);
  let denom = f32x4.add(s, f32x4.splat(epsilon));
  if (mg != 0) {
    const a = f32x4.add(f32x4.mul(rhoV, ld(mg + o, full)), f32x4.mul(keep, g));
    st(mg + o, a, full);
    denom = f32x4.sub(denom, f32x4.mul(a, a));
  }
  const inc = f32x4.div(f32x4.mul(f32x4.splat(lr), g), f32x4.sqrt(denom));
  const p = ld(param + o, full);
  if (mom != 0) {
    const m = f32x4.add(f32x4.mul(f32x4.splat(momentum), ld(mom + o, full)), inc);
    st(mom + o, m, full);
    st(param + o, f32x4.sub(p, m), full);
  } else {
    st(param + o, f32x4.sub(p, inc), full);
  }
}

/** Keras's RMSprop (see kernels.ts); mom and mg are 0 when absent. */
export function rmspropUpdate(
  param: usize, grad: usize, ms: usize, mom: usize, mg: usize, lr: f32, rho: f32, momentum: f32, epsilon: f32, start: i32, end: i32,
): void {
  let i = start;
  for (; i + 4 <= end; i += 4) rmspropStep(i, true, param, grad, ms, mom, mg, lr, rho, momentum, epsilon);
  for (; i < end; i++) rmspropStep(i, false, param, grad, ms, mom, mg, lr, rho, momentum, epsilon);
}

@inline function adamStep(
  i: i32, full: bool, param: usize, grad: usize, m: usize, v: usize, vMax: usize, stepSize: f32, beta1: f32, beta2: f32, epsilon: f32,
): void {
  const o = <usize>i * 4;
  const g = ld(grad + o, full);
  const m0 = ld(m + o, full), v0 = ld(v + o, full);
  const mi = f32x4.add(m0, f32x4.mul(f32x4.sub(g, m0), f32x4.splat(1 - beta1)));
  let vi = f32x4.add(v0, f32x4.mul(f32x4.sub(f32x4.mul(g, g), v0), f32x4.splat(1 - beta2)));
  st(m + o, mi, full);
  st(v + o, vi, full);
  if (vMax != 0) {
    vi = f32x4.max(ld(vMax + o, full), vi);
    st(vMax + o, vi, full);
  }
  const upd = f32x4.div(f32x4.mul(f32x4.splat(stepSize), mi), f32x4.add(f32x4.sqrt(vi), f32x4.splat(epsilon)));
  st(param + o, f32x4.sub(ld(param + o, full), upd), full);
}

/** Keras's Adam / AMSGrad (vMax 0 when absent); stepSize already holds the bias corrections. */
export function adamUpdate(
  param: usize, grad: usize, m: usize, v: usize, vMax: usize, stepSize: f32, beta1: f32, beta2: f32, epsilon: f32, start: i32, end: i32,
): void {
  let i = start;
  for (; i + 4 <= end; i += 4) adamStep(i, true, param, grad, m, v, vMax, stepSize, beta1, beta2, epsilon);
  for (; i < end; i++) adamStep(i, false, param, grad, m, v, vMax, stepSize, beta1, beta2, epsilon);
}

@inline function adagradStep(i: i32, full: bool, param: usize, grad: usize, acc: usize, lr: f32, epsilon: f32): void {
  const o = <usize>i * 4;
  const g = ld(grad + o, full);
  const a = f32x4.add(ld(acc + o, full), f32x4.mul(g, g));
  st(acc + o, a, full);
  const upd = f32x4.div(f32x4.mul(f32x4.splat(lr), g), f32x4.sqrt(f32x4.add(a, f32x4.splat(epsilon))));
  st(param + o, f32x4.sub(ld(param + o, full), upd), full);
}

/** acc += g^2; p -= lr*g/sqrt(acc + eps). */
export function adagradUpdate(param: usize, grad: usize, acc: usize, lr: f32, epsilon: f32, start: i32, end: i32): void {
  let i = start;
  for (; i + 4 <= end; i += 4) adagradStep(i, true, param, grad, acc, lr, epsilon);
  for (; i < end; i++) adagradStep(i, false, param, grad, acc, lr, epsilon);
}

/** p *= factor. */
export function scaleInPlace(param: usize, factor: f32, start: i32, end: i32): void {
  const f = f32x4.splat(factor);
  let i = start;
  for (; i + 4 <= end; i += 4) v128.store(param + <usize>i * 4, f32x4.mul(v128.load(param + <usize>i * 4), f));
  for (; i < end; i++) st(param + <usize>i * 4, f32x4.mul(ld(param + <usize>i * 4, false), f), false);
}
