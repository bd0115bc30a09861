/**
 * Elementwise kernels over index ranges [start, end) (threads split the range). Tails shorter than a
 * vector reuse the vector code on a splatted lane, so each function has one definition.
 */
import { BinaryArgs, BinaryOp, ClipArgs, FillArgs, UnaryArgs, UnaryGradArgs, UnaryOp } from '../generated/kernels';
import { activate, derivativeFromOutput, LEAKY_RELU, RELU, ELU, SELU, SIGMOID, TANH, SOFTPLUS, LINEAR } from './activation';
import { vexp, vlog } from './vmath';

/** The fused-activation code of a unary op, or LINEAR when it is not one. */
@inline function activationOf(op: i32): i32 {
  switch (op) {
    case UnaryOp.Relu: return RELU;
    case UnaryOp.LeakyRelu: return LEAKY_RELU;
    case UnaryOp.Elu: return ELU;
    case UnaryOp.Selu: return SELU;
    case UnaryOp.Sigmoid: return SIGMOID;
    case UnaryOp.Tanh: return TANH;
    case UnaryOp.Softplus: return SOFTPLUS;
    default: return LINEAR;
  }
}

@inline function vunary(op: i32, x: v128, alpha: f32): v128 {
  const one = f32x4.splat(1), zero = f32x4.splat(0);
  switch (op) {
    case UnaryOp.Neg: return f32x4.neg(x);
    case UnaryOp.Abs: return f32x4.abs(x);
    case UnaryOp.Sign: {
      // NaN stays NaN, as in NumPy and TensorFlow 2.
      const s = f32x4.sub(v128.and(one, f32x4.gt(x, zero)), v128.and(one, f32x4.lt(x, zero)));
      return v128.bitselect(s, x, f32x4.eq(x, x));
    }
    case UnaryOp.Sqrt: return f32x4.sqrt(x);
    case UnaryOp.Rsqrt: return f32x4.div(one, f32x4.sqrt(x));
    case UnaryOp.Square: return f32x4.mul(x, x);
    case UnaryOp.Exp: return vexp(x);
    case UnaryOp.Log: return vlog(x);
    case UnaryOp.Reciprocal: return f32x4.div(one, x);
    case UnaryOp.Floor: return f32x4.floor(x);
    case UnaryOp.Ceil: return f32x4.ceil(x);
    case UnaryOp.Round: return f32x4.nearest(x);
    default: return activate(x, activationOf(op), alpha);
  }
}

/** erf with |error| < 1.2e-7 (Numerical Recipes' erfc fit), the reference backend's formula. */
function erf(x: f64): f64 {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(
    -z * z - 1.26551223 +
      t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
      t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
  );
  return x >= 0 ? 1 - r : r - 1;
}

/** The ops without a vector form here, in float64 like the reference. */
@inline function scalarUnary(op: i32, x: f64): f64 {
  return op == UnaryOp.Gelu ? 0.5 * x * (1 + erf(x / Math.SQRT2)) : Math.log1p(x);
}

function unaryRange(op: i32, x: usize, out: usize, alpha: f32, start: i32, end: i32): void {
  if (op == UnaryOp.Gelu || op == UnaryOp.Log1p) {
    for (let i = start; i < end; i++) store<f32>(out + <usize>i * 4, <f32>scalarUnary(op, load<f32>(x + <usize>i * 4)));
    return;
  }
  let i = start;
  for (; i + 4 <= end; i += 4) v128.store(out + <usize>i * 4, vunary(op, v128.load(x + <usize>i * 4), alpha));
  for (; i < end; i++) store<f32>(out + <usize>i * 4, f32x4.extract_lane(vunary(op, f32x4.splat(load<f32>(x + <usize>i * 4)), alpha), 0));
}

/** f'(x) given x and y = f(x). */
@inline function vderivative(op: i32, x: v128, y: v128, alpha: f32): v128 {
  const one = f32x4.splat(1), zero = f32x4.splat(0);
  switch (op) {
    case UnaryOp.Neg: return f32x4.splat(-1);
    case UnaryOp.Abs: return f32x4.sub(v128.and(one, f32x4.gt(x, zero)), v128.and(one, f32x4.lt(x, zero)));
    case UnaryOp.Sqrt: return f32x4.div(f32x4.splat(0.5), y);
    case UnaryOp.Rsqrt: return f32x4.div(f32x4.mul(f32x4.splat(-0.5), y), x);
    case UnaryOp.Square: return f32x4.add(x, x);
    case UnaryOp.Exp: return y;
    case UnaryOp.Log: return f32x4.div(one, x);
    case UnaryOp.Log1p: return f32x4.div(one, f32x4.add(one, x));
    case UnaryOp.Reciprocal: return f32x4.neg(f32x4.mul(y, y));
    default: return derivativeFromOutput(y, activationOf(op), alpha);
  }
}

function geluDerivative(x: f64): f64 {
  return 0.5 * (1 + erf(x / Math.SQRT2)) + (x * Math.exp(-0.5 * x * x)) / Math.sqrt(2 * Math.PI);
}

/** out = dy * f'(x), from x and y = f(x). */
function unaryGradRange(op: i32, x: usize, y: usize, dy: usize, out: usize, alpha: f32, start: i32, end: i32): void {
  if (op == UnaryOp.Gelu) {
    for (let i = start; i < end; i++) {
      const o = <usize>i * 4;
      store<f32>(out + o, <f32>(<f64>load<f32>(dy + o) * geluDerivative(load<f32>(x + o))));
    }
    return;
  }
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const o = <usize>i * 4;
    v128.store(out + o, f32x4.mul(v128.load(dy + o), vderivative(op, v128.load(x + o), v128.load(y + o), alpha)));
  }
  for (; i < end; i++) {
    const o = <usize>i * 4;
    const d = vderivative(op, f32x4.splat(load<f32>(x + o)), f32x4.splat(load<f32>(y + o)), alpha);
    store<f32>(out + o, load<f32>(dy + o) * f32x4.extract_lane(d, 0));
  }
}

@inline function vbinary(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case BinaryOp.Add: return f32x4.add(a, b);
    case BinaryOp.Sub: return f32x4.sub(a, b);
    case BinaryOp.Mul: return f32x4.mul(a, b);
    case BinaryOp.Div: return f32x4.div(a, b);
    // f32x4.max/min return NaN when either lane is NaN, as the reference does.
    case BinaryOp.Maximum: return f32x4.max(a, b);
    case BinaryOp.Minimum: return f32x4.min(a, b);
    default: {
      // pow has no vector form: lane by lane in float64, like the reference.
      const r0 = <f32>Math.pow(f32x4.extract_lane(a, 0), f32x4.extract_lane(b, 0));
      const r1 = <f32>Math.pow(f32x4.extract_lane(a, 1), f32x4.extract_lane(b, 1));
      const r2 = <f32>Math.pow(f32x4.extract_lane(a, 2), f32x4.extract_lane(b, 2));
      const r3 = <f32>Math.pow(f32x4.extract_lane(a, 3), f32x4.extract_lane(b, 3));
      return f32x4(r0, r1, r2, r3);
    }
  }
}

@inline function sbinary(op: i32, a: f32, b: f32): f32 {
  return f32x4.extract_lane(vbinary(op, f32x4.splat(a), f32x4.splat(b)), 0);
}

/** Loads 4 lanes from p, or splats *p when the operand is broadcast along this run (step 0). */
@inline function loadRun(p: usize, step: i32): v128 {
  return step != 0 ? v128.load(p) : v128.load32_splat(p);
}

/**
 * out[i] = a[i*aStep] op b[i*bStep] for i in [start, end): same-shape operands (steps 1) or a scalar
 * operand (step 0).
 */
function binaryFlat(op: i32, a: usize, b: usize, out: usize, aStep: i32, bStep: i32, start: i32, end: i32): void {
  binaryRun(op, a + <usize>(start * aStep) * 4, b + <usize>(start * bStep) * 4, out + <usize>start * 4, aStep, bStep, end - start);
}

@inline function binaryRun(op: i32, a: usize, b: usize, out: usize, aStep: i32, bStep: i32, n: i32): void {
  const aInc = <usize>(aStep * 16), bInc = <usize>(bStep * 16);
  let i = 0;
  if ((aStep | bStep) <= 1) {
    for (; i + 4 <= n; i += 4) {
      v128.store(out, vbinary(op, loadRun(a, aStep), loadRun(b, bStep)));
      a += aInc;
      b += bInc;
      out += 16;
    }
  }
  const aOne = <usize>aStep * 4, bOne = <usize>bStep * 4;
  for (; i < n; i++) {
    store<f32>(out, sbinary(op, load<f32>(a), load<f32>(b)));
    a += aOne;
    b += bOne;
    out += 4;
  }
}

/**
 * A broadcast over (at most) four collapsed dimensions d0..d3 with element strides (0 along broadcast
 * dimensions); threads split d0 as [r0, r1). The innermost run is vectorised when its strides are 0 or 1.
 */
function binaryStrided(
  op: i32, a: usize, b: usize, out: usize, d1: i32, d2: i32, d3: i32,
  as0: i32, as1: i32, as2: i32, as3: i32, bs0: i32, bs1: i32, bs2: i32, bs3: i32, r0: i32, r1: i32,
): void {
  let o = out + <usize>(r0 * d1 * d2 * d3) * 4;
  for (let i0 = r0; i0 < r1; i0++) {
    for (let i1 = 0; i1 < d1; i1++) {
      for (let i2 = 0; i2 < d2; i2++) {
        const ao = a + <usize>(i0 * as0 + i1 * as1 + i2 * as2) * 4;
        const bo = b + <usize>(i0 * bs0 + i1 * bs1 + i2 * bs2) * 4;
        binaryRun(op, ao, bo, o, as3, bs3, d3);
        o += <usize>d3 * 4;
      }
    }
  }
}

/** out = min(max(x, low), high) per element; NaN stays NaN. */
function clipRange(x: usize, out: usize, low: f32, high: f32, start: i32, end: i32): void {
  const lo = f32x4.splat(low), hi = f32x4.splat(high);
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const v = v128.load(x + <usize>i * 4);
    const r = v128.bitselect(lo, v, f32x4.lt(v, lo));
    v128.store(out + <usize>i * 4, v128.bitselect(hi, r, f32x4.gt(r, hi)));
  }
  for (; i < end; i++) {
    const v = load<f32>(x + <usize>i * 4);
    store<f32>(out + <usize>i * 4, v < low ? low : v > high ? high : v);
  }
}

export function fillRange(out: usize, value: f32, start: i32, end: i32): void {
  const v = f32x4.splat(value);
  let i = start;
  for (; i + 4 <= end; i += 4) v128.store(out + <usize>i * 4, v);
  for (; i < end; i++) store<f32>(out + <usize>i * 4, value);
}

/** dst[i] += src[i] for i in [start, end) (sums the threads' partial results). */
export function addInto(dst: usize, src: usize, start: i32, end: i32): void {
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const o = <usize>i * 4;
    v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
  }
  for (; i < end; i++) {
    const o = <usize>i * 4;
    store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o));
  }
}

export function unary(a: UnaryArgs, start: i32, end: i32, scratch: usize): void {
  unaryRange(a.op, a.x, a.out, a.alpha, start, end);
}

export function unaryGrad(a: UnaryGradArgs, start: i32, end: i32, scratch: usize): void {
  unaryGradRange(a.op, a.x, a.y, a.dy, a.out, a.alpha, start, end);
}

/**
 * The broadcast arrives collapsed (src/backend/wasm/schedules.ts): at most one dimension, split by
 * elements, or exactly four (d0..d3), split along d0.
 */
export function binary(a: BinaryArgs, start: i32, end: i32, scratch: usize): void {
  const bc = a.broadcast;
  if (bc.shape.size <= 1) {
    const flat = bc.shape.size == 1;
    binaryFlat(a.op, a.a, a.b, a.out, flat ? bc.aStrides.at(0) : 1, flat ? bc.bStrides.at(0) : 1, start, end);
    return;
  }
  const s = bc.aStrides, t = bc.bStrides;
  binaryStrided(
    a.op, a.a, a.b, a.out, bc.shape.at(1), bc.shape.at(2), bc.shape.at(3),
    s.at(0), s.at(1), s.at(2), s.at(3), t.at(0), t.at(1), t.at(2), t.at(3), start, end,
  );
}

export function clip(a: ClipArgs, start: i32, end: i32, scratch: usize): void {
  clipRange(a.x, a.out, a.low, a.high, start, end);
}

export function fill(a: FillArgs, start: i32, end: i32, scratch: usize): void {
  fillRange(a.out, a.value, start, end);
}
