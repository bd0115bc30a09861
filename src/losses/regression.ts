/**
 * Regression losses beside mean squared and absolute error (losses.ts), with Keras's formulas: percentage
 * error, squared logarithmic error, log-cosh and cosine similarity. Each is a per-sample function (the
 * last axis reduced) and a class with Keras's name.
 */
import * as ops from '../ops/index.js';
import type { TensorLike } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { BuiltinLoss } from './loss.js';
import { NO_OPTIONS, pair } from './inputs.js';
import { EPSILON, matchRank } from './losses.js';

/** Both arguments as tensors of the same shape (Keras's rank rule), named for messages. */
function aligned(where: string, yTrue: TensorLike, yPred: TensorLike): [Tensor, Tensor] {
  const [t, p] = pair(where, yTrue, yPred);
  return [matchRank(where, t, p), p];
}

/** 100 * mean(|yTrue - yPred| / max(|yTrue|, 1e-7)): the error in percent of the target. */
export function meanAbsolutePercentageError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = aligned('meanAbsolutePercentageError', yTrue, yPred);
  return ops.mul(ops.mean(ops.abs(ops.div(ops.sub(t, p), ops.maximum(ops.abs(t), EPSILON))), -1), 100);
}

/** mean((log(1 + max(yPred, 1e-7)) - log(1 + max(yTrue, 1e-7)))^2): relative errors for positive targets. */
export function meanSquaredLogarithmicError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = aligned('meanSquaredLogarithmicError', yTrue, yPred);
  return ops.mean(ops.squaredDifference(ops.log1p(ops.maximum(p, EPSILON)), ops.log1p(ops.maximum(t, EPSILON))), -1);
}

/**
 * mean(log(cosh(yPred - yTrue))): about x^2 / 2 for small errors and |x| - log 2 for large ones, written
 * as x + softplus(-2x) - log 2 so that cosh never overflows.
 */
export function logCosh(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = aligned('logCosh', yTrue, yPred);
  const x = ops.sub(p, t);
  return ops.mean(ops.sub(ops.add(x, ops.softplus(ops.mul(x, -2))), Math.LN2), -1);
}

/** x / ||x|| over the last axis; a zero vector stays zero (its norm is floored at 1e-7, as Keras does). */
function l2Normalize(x: Tensor): Tensor {
  return ops.mul(x, ops.rsqrt(ops.maximum(ops.sum(ops.square(x), -1, { keepDims: true }), EPSILON * EPSILON)));
}

/**
 * The loss of Keras's CosineSimilarity: -cos(yTrue, yPred) over the last axis, so that minimising it makes
 * the vectors point the same way (-1 when they do, 0 when orthogonal or either is zero).
 */
export function cosineSimilarity(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = aligned('cosineSimilarity', yTrue, yPred);
  return ops.neg(ops.sum(ops.mul(l2Normalize(t), l2Normalize(p)), -1));
}

export class MeanAbsolutePercentageError extends BuiltinLoss {
  readonly className = 'MeanAbsolutePercentageError';
  readonly name = 'mean_absolute_percentage_error';
  readonly expects = 'any';
  constructor(options: Record<never, never> = {}) {
    super(NO_OPTIONS.parse('MeanAbsolutePercentageError', options));
  }
  perSample(yTrue: Tensor, yPred: Tensor): Tensor {
    return meanAbsolutePercentageError(yTrue, yPred);
  }
}

export class MeanSquaredLogarithmicError extends BuiltinLoss {
  readonly className = 'MeanSquaredLogarithmicError';
  readonly name = 'mean_squared_logarithmic_error';
  readonly expects = 'any';
  constructor(options: Record<never, never> = {}) {
    super(NO_OPTIONS.parse('MeanSquaredLogarithmicError', options));
  }
  perSample(yTrue: Tensor, yPred: Tensor): Tensor {
    return meanSquaredLogarithmicError(yTrue, yPred);
  }
}

export class LogCosh extends BuiltinLoss {
  readonly className = 'LogCosh';
  readonly name = 'log_cosh';
  readonly expects = 'any';
  constructor(options: Record<never, never> = {}) {
    super(NO_OPTIONS.parse('LogCosh', options));
  }
  perSample(yTrue: Tensor, yPred: Tensor): Tensor {
    return logCosh(yTrue, yPred);
  }
}

export class CosineSimilarity extends BuiltinLoss {
  readonly className = 'CosineSimilarity';
  readonly name = 'cosine_similarity';
  readonly expects = 'any';
  constructor(options: Record<never, never> = {}) {
    super(NO_OPTIONS.parse('CosineSimilarity', options));
  }
  perSample(yTrue: Tensor, yPred: Tensor): Tensor {
    return cosineSimilarity(yTrue, yPred);
  }
}
