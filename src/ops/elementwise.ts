/** Elementwise ops with NumPy broadcasting, each declared once with its backward rule. */
import type { BinaryOp, Broadcast, CompareOp, DifferentiableUnaryOp, UnaryOp } from '../backend/kernels.js';
import type { DType, FloatArray } from '../util/dtype.js';
import { isFloat } from '../util/dtype.js';
import { checkArg, is } from '../util/checks.js';
import { ValueError, describe } from '../util/errors.js';
import { broadcastShapes, broadcastStrides, sizeOf } from '../util/shape.js';
import type { TensorLike } from '../tensor/creation.js';
import { toTensor } from '../tensor/creation.js';
import { Tensor, kernelArray } from '../tensor/tensor.js';
import type { GradThunks } from './define-op.js';
import { bdata, castTo, empty, fdata, floatOperand, k, op, opNoGrad, operands } from './define-op.js';
import type { DifferentiableOp } from './op-names.js';

export function broadcastInfo(where: string, a: Tensor, b: Tensor): Broadcast {
  const shape = broadcastShapes(where, a.shape, b.shape);
  return { shape, size: sizeOf(shape), aStrides: broadcastStrides(a.shape, shape), bStrides: broadcastStrides(b.shape, shape) };
}

function binary(name: BinaryOp & DifferentiableOp, a: TensorLike, b: TensorLike, backward: (x: Tensor, y: Tensor, dy: Tensor, out: Tensor) => GradThunks): Tensor {
  const [x, y] = operands(name, { a, b }) as [Tensor, Tensor];
  return op(
    name,
    [x, y],
    () => {
      const bc = broadcastInfo(name, x, y);
      const { t, data } = empty(x.dtype, bc.shape);
      k(x).binary({ op: name, a: kernelArray(x), b: kernelArray(y), out: data, broadcast: bc });
      return t;
    },
    (dy, out) => backward(x, y, dy, out),
  );
}

export function add(a: TensorLike, b: TensorLike): Tensor {
  return binary('add', a, b, (_x, _y, dy) => [() => dy, () => dy]);
}

export function sub(a: TensorLike, b: TensorLike): Tensor {
  return binary('sub', a, b, (_x, _y, dy) => [() => dy, () => neg(dy)]);
}

export function mul(a: TensorLike, b: TensorLike): Tensor {
  return binary('mul', a, b, (x, y, dy) => [() => mul(dy, y), () => mul(dy, x)]);
}

export function div(a: TensorLike, b: TensorLike): Tensor {
  return binary('div', a, b, (x, y, dy) => [() => div(dy, y), () => neg(div(mul(dy, x), square(y)))]);
}

/** a ** b; the gradient with respect to b uses log(a) and is 0 where a <= 0. */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  return binary('pow', a, b, (x, y, dy, out) => [
    () => mul(dy, mul(y, pow(x, sub(y, 1)))),
    () => mul(dy, mul(out, where(greater(x, 0), log(where(greater(x, 0), x, 1)), 0))),
  ]);
}

/** Elementwise maximum; where a equals b the gradient goes to a. */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  return binary('maximum', a, b, (x, y, dy) => {
    const aWins = greaterEqual(x, y);
    return [() => where(aWins, dy, 0), () => where(aWins, 0, dy)];
  });
}

/** Elementwise minimum; where a equals b the gradient goes to a. */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  return binary('minimum', a, b, (x, y, dy) => {
    const aWins = lessEqual(x, y);
    return [() => where(aWins, dy, 0), () => where(aWins, 0, dy)];
  });
}

/** (a - b)^2, elementwise. */
export function squaredDifference(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands('squaredDifference', { a, b }) as [Tensor, Tensor];
  const d = sub(x, y);
  return op('squaredDifference', [x, y], () => square(d), (dy) => {
    const g = () => mul(dy, mul(d, 2));
    return [g, () => neg(g())];
  });
}

function unary(name: UnaryOp & DifferentiableOp & DifferentiableUnaryOp, x: TensorLike, alpha = 0): Tensor {
  const t = floatOperand(name, 'x', x);
  return op(
    name,
    [t],
    () => {
      const { t: out, data } = empty(t.dtype, t.shape);
      k(t).unary({ op: name, x: kernelArray(t), out: data, alpha });
      return out;
    },
    (dy, y) => [
      () => {
        const { t: g, data } = empty(t.dtype, t.shape);
        k(t).unaryGrad({ op: name, x: fdata(t), y: fdata(y), dy: fdata(dy), out: data as FloatArray, alpha });
        return g;
      },
    ],
  );
}

export function neg(x: TensorLike): Tensor {
  const t = toTensor('neg', 'x', x);
  if (!isFloat(t.dtype)) return mul(t, -1);
  return unary('neg', t);
}
export const sqrt = (x: TensorLike): Tensor => unary('sqrt', x);
export const rsqrt = (x: TensorLike): Tensor => unary('rsqrt', x);
export const square = (x: TensorLike): Tensor => unary('square', x);
export const exp = (x: TensorLike): Tensor => unary('exp', x);
export const log = (x: TensorLike): Tensor => unary('log', x);
export const log1p = (x: TensorLike): Tensor => unary('log1p', x);
export const abs = (x: TensorLike): Tensor => unary('abs', x);
export const reciprocal = (x: TensorLike): Tensor => unary('reciprocal', x);
export const relu = (x: TensorLike): Tensor => unary('relu', x);
export const selu = (x: TensorLike): Tensor => unary('selu', x);
export const gelu = (x: TensorLike): Tensor => unary('gelu', x);
export const sigmoid = (x: TensorLike): Tensor => unary('sigmoid', x);
export const tanh = (x: TensorLike): Tensor => unary('tanh', x);
export const softplus = (x: TensorLike): Tensor => unary('softplus', x);

function checkAlpha(where: string, alpha: number): number {
  if (typeof alpha !== 'number' || !Number.isFinite(alpha)) throw new ValueError(`${where}: argument 'alpha' expected a finite number, received ${describe(alpha)}`);
  return alpha;
}

/** x for x > 0, alpha * x otherwise (Keras's default alpha is 0.3; PyTorch's is 0.01). */
export function leakyRelu(x: TensorLike, alpha = 0.3): Tensor {
  return unary('leakyRelu', x, checkAlpha('leakyRelu', alpha));
}

export function elu(x: TensorLike, alpha = 1): Tensor {
  return unary('elu', x, checkAlpha('elu', alpha));
}

function unaryNoGrad(name: 'sign' | 'floor' | 'ceil' | 'round', x: TensorLike): Tensor {
  const t = toTensor(name, 'x', x);
  return opNoGrad(name, [t], () => {
    const { t: out, data } = empty(t.dtype, t.shape);
    k(t).unary({ op: name, x: kernelArray(t), out: data, alpha: 0 });
    return out;
  });
}
export const sign = (x: TensorLike): Tensor => unaryNoGrad('sign', x);
export const floor = (x: TensorLike): Tensor => unaryNoGrad('floor', x);
export const ceil = (x: TensorLike): Tensor => unaryNoGrad('ceil', x);
export const round = (x: TensorLike): Tensor => unaryNoGrad('round', x);

/** Limits values to [low, high]; the gradient passes where low <= x <= high. */
export function clip(x: TensorLike, low: number, high: number): Tensor {
  const t = toTensor('clip', 'x', x);
  if (typeof low !== 'number' || Number.isNaN(low)) throw new ValueError(`clip: argument 'low' expected a number, received ${describe(low)}`);
  if (typeof high !== 'number' || Number.isNaN(high)) throw new ValueError(`clip: argument 'high' expected a number, received ${describe(high)}`);
  if (low > high) throw new ValueError(`clip: expected low <= high, received low ${low} and high ${high}`);
  return op(
    'clip',
    [t],
    () => {
      const { t: out, data } = empty(t.dtype, t.shape);
      k(t).clip({ x: kernelArray(t), out: data, low, high });
      return out;
    },
    (dy) => [() => where(logicalAnd(greaterEqual(t, low), lessEqual(t, high)), dy, 0)],
  );
}

function compare(name: CompareOp, a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands(name, { a, b }) as [Tensor, Tensor];
  return opNoGrad(name, [x, y], () => {
    const bc = broadcastInfo(name, x, y);
    const { t, data } = empty('bool', bc.shape);
    k(x).compare({ op: name, a: kernelArray(x), b: kernelArray(y), out: bdata(t), broadcast: bc });
    return t;
  });
}
export const equal = (a: TensorLike, b: TensorLike): Tensor => compare('equal', a, b);
export const notEqual = (a: TensorLike, b: TensorLike): Tensor => compare('notEqual', a, b);
export const less = (a: TensorLike, b: TensorLike): Tensor => compare('less', a, b);
export const lessEqual = (a: TensorLike, b: TensorLike): Tensor => compare('lessEqual', a, b);
export const greater = (a: TensorLike, b: TensorLike): Tensor => compare('greater', a, b);
export const greaterEqual = (a: TensorLike, b: TensorLike): Tensor => compare('greaterEqual', a, b);
export const logicalAnd = (a: TensorLike, b: TensorLike): Tensor => compare('logicalAnd', a, b);
export const logicalOr = (a: TensorLike, b: TensorLike): Tensor => compare('logicalOr', a, b);
export const logicalNot = (a: TensorLike): Tensor => compare('equal', a, 0);

/** Picks a where condition is true, b elsewhere, broadcasting all three; gradients flow to a and b. */
export function where(condition: TensorLike, a: TensorLike, b: TensorLike): Tensor {
  let cond = toTensor('where', 'condition', condition);
  if (cond.dtype !== 'bool') cond = notEqual(cond, 0);
  const [x, y] = operands('where', { a, b }) as [Tensor, Tensor];
  return op(
    'where',
    [x, y],
    () => {
      const shape = broadcastShapes('where', cond.shape, broadcastShapes('where', x.shape, y.shape));
      const info: Broadcast = {
        shape, size: sizeOf(shape), aStrides: broadcastStrides(x.shape, shape), bStrides: broadcastStrides(y.shape, shape),
      };
      const { t, data } = empty(x.dtype, shape);
      k(x).where({ cond: bdata(cond), a: kernelArray(x), b: kernelArray(y), out: data, broadcast: info, condStrides: broadcastStrides(cond.shape, shape) });
      return t;
    },
    (dy) => [() => where(cond, dy, 0), () => where(cond, 0, dy)],
  );
}

/** Converts to another dtype; differentiable between float dtypes. */
export function cast(x: TensorLike, dtype: DType): Tensor {
  checkArg('cast', 'dtype', dtype, is.dtype);
  const t = toTensor('cast', 'x', x);
  return t.dtype === dtype ? t : castTo(t, dtype);
}

/** The same values, cut off from the gradient computation. */
export function stopGradient(x: TensorLike): Tensor {
  const t = toTensor('stopGradient', 'x', x);
  return new Tensor(kernelArray(t), t.shape);
}
