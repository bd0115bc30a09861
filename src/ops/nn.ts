/** Softmax, log-softmax, layer normalization and dropout. */
import { alloc } from '../backend/index.js';
import { ShapeError, ValueError, describe, fmtShape } from '../util/errors.js';
import { rng } from '../util/random.js';
import { broadcastShapes, normalizeAxis, shapesEqual, sizeOf } from '../util/shape.js';
import type { TensorLike } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import { empty, fdata, floatOperand, k, op, operands } from './define-op.js';
import { exp, mul, sub } from './elementwise.js';
import { sum } from './reduce.js';
import { transpose } from './shape.js';

/** Runs a last-axis kernel along any axis by moving that axis last and back. */
function alongAxis(where: string, x: TensorLike, axis: number, lastAxis: (t: Tensor) => Tensor): Tensor {
  const t = floatOperand(where, 'x', x);
  if (t.rank === 0) throw new ValueError(`${where}: argument 'x' expected rank >= 1, received a scalar`);
  const a = normalizeAxis(where, axis, t.rank);
  if (a === t.rank - 1) return lastAxis(t);
  const perm = t.shape.map((_, i) => i);
  perm[a] = t.rank - 1;
  perm[t.rank - 1] = a;
  return transpose(lastAxis(transpose(t, perm)), perm);
}

function lastAxisKernel(t: Tensor, kernel: 'softmax' | 'logSoftmax'): Tensor {
  const cols = t.shape[t.rank - 1]!;
  const rows = cols === 0 ? 0 : t.size / cols;
  const { t: out } = empty(t.dtype, t.shape);
  k(t)[kernel]({ x: fdata(t), out: fdata(out), rows, cols });
  return out;
}

/** exp(x) / sum(exp(x)) along `axis` (last by default), stable for large inputs. */
export function softmax(x: TensorLike, axis = -1): Tensor {
  return alongAxis('softmax', x, axis, (t) =>
    op('softmax', [t], () => lastAxisKernel(t, 'softmax'), (dy, y) => [() => mul(y, sub(dy, sum(mul(dy, y), -1, { keepDims: true })))]),
  );
}

/** x - logSumExp(x) along `axis` (last by default), stable for large inputs. */
export function logSoftmax(x: TensorLike, axis = -1): Tensor {
  return alongAxis('logSoftmax', x, axis, (t) =>
    op('logSoftmax', [t], () => lastAxisKernel(t, 'logSoftmax'), (dy, y) => [() => sub(dy, mul(exp(y), sum(dy, -1, { keepDims: true })))]),
  );
}

export interface LayerNormOptions {
  /** Added to the variance before its square root (Keras's default 1e-3). */
  epsilon?: number;
}

/**
 * Normalizes each row over the last axis, then scales and shifts it: (x - mean) / sqrt(variance + epsilon)
 * * gamma + beta, with gamma and beta of the last axis's size (what Keras's LayerNormalization computes).
 */
export function layerNorm(x: TensorLike, gamma: TensorLike, beta: TensorLike, options: LayerNormOptions = {}): Tensor {
  const where = 'layerNorm';
  const [input, scale, shift] = operands(where, { x: floatOperand(where, 'x', x), gamma, beta }) as [Tensor, Tensor, Tensor];
  if (input.rank === 0) throw new ValueError(`${where}: argument 'x' expected rank >= 1, received a scalar`);
  const cols = input.shape[input.rank - 1]!;
  for (const [arg, t] of [['gamma', scale], ['beta', shift]] as const) {
    if (!shapesEqual(t.shape, [cols])) throw new ShapeError(`${where}: argument '${arg}' expected shape [${cols}] (x's last axis), received ${fmtShape(t.shape)}`);
  }
  const epsilon = options.epsilon ?? 1e-3;
  if (typeof epsilon !== 'number' || !(epsilon > 0)) throw new ValueError(`${where}: option 'epsilon' expected a positive number, received ${describe(epsilon)}`);
  const rows = cols === 0 ? 0 : input.size / cols;
  const dtype = input.dtype;
  const { t: mean } = empty(dtype, [rows]), { t: rstd } = empty(dtype, [rows]);
  return op(
    where,
    [input, scale, shift],
    () => {
      const { t: out } = empty(dtype, input.shape);
      k(input).layerNorm({ x: fdata(input), gamma: fdata(scale), beta: fdata(shift), out: fdata(out), mean: fdata(mean), rstd: fdata(rstd), rows, cols, epsilon });
      return out;
    },
    (dy) => {
      // One kernel gives all three gradients; whichever is asked for first computes them.
      let grads: [Tensor, Tensor, Tensor] | null = null;
      const all = (): [Tensor, Tensor, Tensor] => {
        if (grads === null) {
          const dx = empty(dtype, input.shape).t, dGamma = empty(dtype, [cols]).t, dBeta = empty(dtype, [cols]).t;
          k(input).layerNormGrad({
            dy: fdata(dy), x: fdata(input), gamma: fdata(scale), mean: fdata(mean), rstd: fdata(rstd),
            dx: fdata(dx), dGamma: fdata(dGamma), dBeta: fdata(dBeta), rows, cols,
          });
          grads = [dx, dGamma, dBeta];
        }
        return grads;
      };
      return [() => all()[0], () => all()[1], () => all()[2]];
    },
  );
}

export interface DropoutOptions {
  /**
   * Shape of the random mask, broadcast over x (e.g. [batch, 1, 1, channels] drops whole feature maps).
   * Defaults to x's shape.
   */
  noiseShape?: readonly number[];
}

/**
 * Inverted dropout: zeroes each element with probability `rate` and scales the rest by 1 / (1 - rate), so
 * nothing needs rescaling at inference. The mask comes from the global seeded generator.
 */
export function dropout(x: TensorLike, rate: number, options: DropoutOptions = {}): Tensor {
  const t = floatOperand('dropout', 'x', x);
  if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) {
    throw new ValueError(`dropout: argument 'rate' expected a number in [0, 1), received ${describe(rate)}`);
  }
  if (rate === 0) return t;
  const maskShape = options.noiseShape ?? t.shape;
  if (!shapesEqual(broadcastShapes('dropout', maskShape, t.shape), t.shape)) {
    throw new ShapeError(`dropout: option 'noiseShape' ${fmtShape(maskShape)} must broadcast to x's shape ${fmtShape(t.shape)}`);
  }
  // The mask is drawn in JavaScript from the seeded generator (the same numbers on every backend).
  const data = alloc(t.dtype, sizeOf(maskShape));
  const g = rng();
  const keep = 1 / (1 - rate);
  // One 32-bit draw per element (a mask needs no 53-bit uniform): half the generator's work.
  const dropBelow = rate * 2 ** 32;
  for (let i = 0; i < data.length; i++) data[i] = g.nextUint32() < dropBelow ? 0 : keep;
  const mask = new Tensor(data, maskShape);
  return op('dropout', [t], () => mul(t, mask), (dy) => [() => mul(dy, mask)]);
}
