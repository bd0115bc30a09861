/** Reductions over any axes, with keepDims. */
import type { ArgReduceOp, ReduceInfo, ReduceOp } from '../backend/kernels.js';
import { kernelsFor, onDevice } from '../backend/index.js';
import { firstNotInt32, isFloat } from '../util/dtype.js';
import type { SpecFor } from '../util/checks.js';
import { is, optionsSpec } from '../util/checks.js';
import { ValueError } from '../util/errors.js';
import { normalizeAxes, normalizeAxis, sizeOf } from '../util/shape.js';
import type { TensorLike } from '../tensor/creation.js';
import { toTensor } from '../tensor/creation.js';
import { Tensor, kernelArray, storage } from '../tensor/tensor.js';
import { empty, idata, k, op, opNoGrad, castTo } from './define-op.js';
import { abs, add, div, equal, exp, log, mul, square, stopGradient, sub, where } from './elementwise.js';
import { broadcastTo, reshape, transpose } from './shape.js';

export interface ReduceOptions {
  /** Keep reduced axes as size-1 dimensions (default false). */
  keepDims?: boolean;
}

type Axes = number | readonly number[] | undefined;

interface Plan {
  input: Tensor;
  info: ReduceInfo;
  outShape: number[];
  keptShape: number[];
}

const REDUCE_OPTIONS = optionsSpec({ keepDims: is.boolean.default(false) } satisfies SpecFor<ReduceOptions>);

/** Lays the reduction out as [outer, size, inner], transposing first when the reduced axes are not adjacent. */
function plan(where: string, x: Tensor, axes: Axes, options: ReduceOptions): Plan {
  const { keepDims } = REDUCE_OPTIONS.parse(where, options);
  const ax = normalizeAxes(where, axes, x.rank);
  const keptShape = x.shape.map((d, i) => (ax.includes(i) ? 1 : d));
  const outShape = keepDims ? keptShape : x.shape.filter((_, i) => !ax.includes(i));
  const adjacent = ax.every((a, i) => i === 0 || a === ax[i - 1]! + 1);
  if (ax.length === 0) return { input: x, info: { outer: x.size, size: 1, inner: 1 }, outShape, keptShape };
  if (adjacent) {
    const first = ax[0]!, last = ax[ax.length - 1]!;
    return {
      input: x,
      info: { outer: sizeOf(x.shape.slice(0, first)), size: sizeOf(x.shape.slice(first, last + 1)), inner: sizeOf(x.shape.slice(last + 1)) },
      outShape,
      keptShape,
    };
  }
  const kept = x.shape.map((_, i) => i).filter((i) => !ax.includes(i));
  const moved = transpose(x, [...kept, ...ax]);
  return { input: moved, info: { outer: sizeOf(kept.map((i) => x.shape[i]!)), size: sizeOf(ax.map((i) => x.shape[i]!)), inner: 1 }, outShape, keptShape };
}

function reduceForward(op: ReduceOp, p: Plan): Tensor {
  if ((op === 'sum' || op === 'prod') && !isFloat(p.input.dtype)) return countForward(op, p);
  const { t, data } = empty(p.input.dtype, p.outShape);
  k(p.input).reduce({ op, x: kernelArray(p.input), out: data, reduction: p.info });
  return t;
}

/** A sum or product of bool or int32 values, accumulated in float64 (exact below 2^53). */
function wideReduce(op: 'sum' | 'prod', p: Plan): Float64Array {
  const wide = new Float64Array(sizeOf(p.outShape));
  kernelsFor('float64').reduce({ op, x: storage(p.input), out: wide, reduction: p.info });
  return wide;
}

/**
 * Sums and products of bool and int32 are int32, as in NumPy and TensorFlow: a bool sum counts, and must
 * not wrap at 256 as the 8-bit storage of bool would. A result beyond int32 throws rather than wrapping.
 */
function countForward(op: 'sum' | 'prod', p: Plan): Tensor {
  if (onDevice([kernelArray(p.input)])) return deviceCount(op, p);
  const wide = wideReduce(op, p);
  const bad = firstNotInt32(wide);
  if (bad >= 0) {
    throw new ValueError(
      `${op}: the ${op === 'sum' ? 'sum' : 'product'} of ${p.input.dtype} values is ${wide[bad]}, beyond int32 (the dtype of ${op}s of int32 and bool tensors): cast x to float32 or float64 first`,
    );
  }
  return new Tensor(Int32Array.from(wide), p.outShape);
}

/**
 * countForward for values a device holds, which cannot be read without waiting: the device accumulates in
 * int32 (bool cast to int32 first), so a result beyond int32 wraps there instead of throwing.
 */
function deviceCount(op: 'sum' | 'prod', p: Plan): Tensor {
  const input = p.input.dtype === 'int32' ? p.input : castTo(p.input, 'int32');
  const { t, data } = empty('int32', p.outShape);
  k(input).reduce({ op, x: idata(input), out: data, reduction: p.info });
  return t;
}

/** Sum over `axes` (all axes by default). */
export function sum(x: TensorLike, axes?: Axes, options: ReduceOptions = {}): Tensor {
  const t = toTensor('sum', 'x', x);
  const p = plan('sum', t, axes, options);
  return op('sum', [t], () => reduceForward('sum', p), (dy) => [() => broadcastTo(reshape(dy, p.keptShape), t.shape)]);
}

/** Mean over `axes` (all axes by default). */
export function mean(x: TensorLike, axes?: Axes, options: ReduceOptions = {}): Tensor {
  const t = toTensor('mean', 'x', x);
  const p = plan('mean', t, axes, options);
  const count = p.info.size;
  // The mean of bool or int32 values is float32 (as in NumPy and TensorFlow), from an exact float64 sum.
  const forward = isFloat(t.dtype)
    ? () => div(reduceForward('sum', p), count)
    : onDevice([kernelArray(t)])
    ? () => div(reduceForward('sum', { ...p, input: castTo(p.input, 'float32') }), count)
    : () => {
        const wide = wideReduce('sum', p);
        const data = new Float32Array(wide.length);
        for (let i = 0; i < wide.length; i++) data[i] = wide[i]! / count;
        return new Tensor(data, p.outShape);
      };
  return op(
    'mean',
    [t],
    forward,
    (dy) => [() => broadcastTo(reshape(div(dy, count), p.keptShape), t.shape)],
  );
}

/** Product over `axes`; the gradient is y / x, so it is only defined for inputs without zeros. */
export function prod(x: TensorLike, axes?: Axes, options: ReduceOptions = {}): Tensor {
  const t = toTensor('prod', 'x', x);
  const p = plan('prod', t, axes, options);
  return op('prod', [t], () => reduceForward('prod', p), (dy, y) => [() => mul(broadcastTo(reshape(mul(dy, y), p.keptShape), t.shape), div(1, t))]);
}

/** The gradient of max/min is shared equally among the positions that attain the extreme value. */
function extreme(name: 'max' | 'min', x: TensorLike, axes: Axes, options: ReduceOptions): Tensor {
  const t = toTensor(name, 'x', x);
  const p = plan(name, t, axes, options);
  if (t.size === 0) throw new ValueError(`${name}: cannot reduce an empty tensor (shape [${t.shape.join(', ')}])`);
  return op(name, [t], () => reduceForward(name, p), (dy, y) => [
    () => {
      const hits = castTo(equal(t, reshape(y, p.keptShape)), t.dtype);
      const count = sum(hits, axes, { keepDims: true });
      return mul(div(hits, count), reshape(dy, p.keptShape));
    },
  ]);
}

export function max(x: TensorLike, axes?: Axes, options: ReduceOptions = {}): Tensor {
  return extreme('max', x, axes, options);
}

export function min(x: TensorLike, axes?: Axes, options: ReduceOptions = {}): Tensor {
  return extreme('min', x, axes, options);
}

function argReduce(name: ArgReduceOp, x: TensorLike, axis: number): Tensor {
  const t = toTensor(name, 'x', x);
  const a = normalizeAxis(name, axis, t.rank);
  if (t.shape[a] === 0) throw new ValueError(`${name}: axis ${a} has size 0, so there is no ${name === 'argmax' ? 'maximum' : 'minimum'}`);
  return opNoGrad(name, [t], () => {
    const { t: out, data } = empty('int32', t.shape.filter((_, i) => i !== a));
    k(t).argReduce({
      op: name, x: kernelArray(t), out: idata(out),
      reduction: { outer: sizeOf(t.shape.slice(0, a)), size: t.shape[a]!, inner: sizeOf(t.shape.slice(a + 1)) },
    });
    return out;
  });
}

/** Index of the largest value along `axis` (last axis by default); ties give the first. */
export function argmax(x: TensorLike, axis = -1): Tensor {
  return argReduce('argmax', x, axis);
}

/** Index of the smallest value along `axis` (last axis by default); ties give the first. */
export function argmin(x: TensorLike, axis = -1): Tensor {
  return argReduce('argmin', x, axis);
}

/** log(sum(exp(x))) over `axes`, computed stably by subtracting the maximum first. */
export function logSumExp(x: TensorLike, axes?: Axes, options: ReduceOptions = {}): Tensor {
  const t = toTensor('logSumExp', 'x', x);
  const p = plan('logSumExp', t, axes, options);
  // An all -Infinity row has max -Infinity; shifting by 0 there keeps the result -Infinity instead of NaN.
  const rawMax = max(t, axes, { keepDims: true });
  const m = stopGradient(where(equal(abs(rawMax), Infinity), 0, rawMax));
  const shifted = log(sum(exp(sub(t, m)), axes, { keepDims: true }));
  const result = add(shifted, m);
  return reshape(result, p.outShape);
}

/** Population variance over `axes` (divides by n, like NumPy and Keras). */
export function variance(x: TensorLike, axes?: Axes, options: ReduceOptions = {}): Tensor {
  const t = toTensor('variance', 'x', x);
  REDUCE_OPTIONS.parse('variance', options);
  const centered = sub(t, mean(t, axes, { keepDims: true }));
  return mean(square(centered), axes, options);
}
