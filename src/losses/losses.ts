/**
 * Per-sample losses `(yTrue, yPred) => Tensor`: each returns one value per sample (the last axis is
 * reduced), and reduction over the batch with sample weights happens in one place (reduction.ts).
 * Cross-entropies on probabilities clip to [1e-7, 1 - 1e-7] like Keras; with `fromLogits` they work on
 * log-softmax / log-sigmoid directly, which is exact and stable for any logits.
 */
import * as ops from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { ShapeError, ValueError, describe, fmtShape } from '../util/errors.js';

/** Keras's fuzz factor: probabilities are kept this far from 0 and 1 before taking logs. */
export const EPSILON = 1e-7;

export interface CrossentropyOptions {
  /** Whether yPred holds logits (unnormalised scores) rather than probabilities (default false). */
  fromLogits?: boolean;
  /** Mixes the one-hot targets with the uniform distribution: y * (1 - s) + s / classes (default 0). */
  labelSmoothing?: number;
}

function checkSmoothing(where: string, s: number): number {
  if (typeof s !== 'number' || !(s >= 0 && s <= 1)) {
    throw new ValueError(`${where}: option 'labelSmoothing' expected a number in [0, 1], received ${describe(s)}`);
  }
  return s;
}

/** Keras's rank rule: labels of shape [n] go with predictions of shape [n, 1]. */
export function matchRank(where: string, yTrue: Tensor, yPred: Tensor): Tensor {
  const t = yTrue.rank === yPred.rank - 1 && yPred.shape[yPred.rank - 1] === 1 ? ops.expandDims(yTrue, -1) : yTrue;
  if (t.rank !== yPred.rank || t.shape.some((d, i) => d !== yPred.shape[i])) {
    throw new ShapeError(`${where}: labels of shape ${fmtShape(yTrue.shape)} do not match predictions of shape ${fmtShape(yPred.shape)}`);
  }
  return t.dtype === yPred.dtype ? t : ops.cast(t, yPred.dtype);
}

/** log of probabilities normalised over the last axis and clipped away from 0 and 1. */
function logProbabilities(yPred: Tensor): Tensor {
  // A row of zeros (a dead relu output) has no distribution; guarding the sum keeps it at the clip floor instead of NaN.
  const total = ops.maximum(ops.sum(yPred, -1, { keepDims: true }), EPSILON);
  return ops.log(ops.clip(ops.div(yPred, total), EPSILON, 1 - EPSILON));
}

/** -sum(y * log(p)) over the last axis; labels are one-hot (or soft) distributions. */
export function categoricalCrossentropy(yTrue: Tensor, yPred: Tensor, options: CrossentropyOptions = {}): Tensor {
  const where = 'categoricalCrossentropy';
  let y = matchRank(where, yTrue, yPred);
  const s = checkSmoothing(where, options.labelSmoothing ?? 0);
  if (s > 0) y = ops.add(ops.mul(y, 1 - s), s / yPred.shape[yPred.rank - 1]!);
  const logP = options.fromLogits ? ops.logSoftmax(yPred) : logProbabilities(yPred);
  return ops.neg(ops.sum(ops.mul(y, logP), -1));
}

/** Cross-entropy with integer class labels of shape [n] (or [n, 1]) instead of one-hot rows. */
export function sparseCategoricalCrossentropy(yTrue: Tensor, yPred: Tensor, options: Omit<CrossentropyOptions, 'labelSmoothing'> = {}): Tensor {
  const where = 'sparseCategoricalCrossentropy';
  const classes = yPred.shape[yPred.rank - 1]!;
  const labels = yTrue.rank === yPred.rank && yTrue.shape[yTrue.rank - 1] === 1 ? ops.squeeze(yTrue, -1) : yTrue;
  if (labels.rank !== yPred.rank - 1 || labels.shape.some((d, i) => d !== yPred.shape[i])) {
    throw new ShapeError(
      `${where}: expected integer labels of shape ${fmtShape(yPred.shape.slice(0, -1))} for predictions of shape ${fmtShape(yPred.shape)}, received ${fmtShape(yTrue.shape)}`,
    );
  }
  const oneHot = ops.cast(ops.oneHot(labels, classes), yPred.dtype);
  const logP = options.fromLogits ? ops.logSoftmax(yPred) : logProbabilities(yPred);
  return ops.neg(ops.sum(ops.mul(oneHot, logP), -1));
}

/** Mean over the last axis of -(y log p + (1 - y) log(1 - p)); targets are in [0, 1]. */
export function binaryCrossentropy(yTrue: Tensor, yPred: Tensor, options: CrossentropyOptions = {}): Tensor {
  const where = 'binaryCrossentropy';
  let y = matchRank(where, yTrue, yPred);
  const s = checkSmoothing(where, options.labelSmoothing ?? 0);
  if (s > 0) y = ops.add(ops.mul(y, 1 - s), s / 2);
  if (options.fromLogits) {
    // max(x, 0) - x*y + log(1 + exp(-|x|)): the same value, without overflow for large |x|.
    const x = yPred;
    return ops.mean(ops.add(ops.sub(ops.relu(x), ops.mul(x, y)), ops.log1p(ops.exp(ops.neg(ops.abs(x))))), -1);
  }
  const p = ops.clip(yPred, EPSILON, 1 - EPSILON);
  const ll = ops.add(ops.mul(y, ops.log(p)), ops.mul(ops.sub(1, y), ops.log(ops.sub(1, p))));
  return ops.neg(ops.mean(ll, -1));
}

export function meanSquaredError(yTrue: Tensor, yPred: Tensor): Tensor {
  return ops.mean(ops.squaredDifference(matchRank('meanSquaredError', yTrue, yPred), yPred), -1);
}

export function meanAbsoluteError(yTrue: Tensor, yPred: Tensor): Tensor {
  return ops.mean(ops.abs(ops.sub(matchRank('meanAbsoluteError', yTrue, yPred), yPred)), -1);
}

/** Quadratic for errors up to `delta`, linear beyond (Keras's default delta is 1). */
export function huber(yTrue: Tensor, yPred: Tensor, options: { delta?: number } = {}): Tensor {
  const delta = options.delta ?? 1;
  if (typeof delta !== 'number' || !(delta > 0)) throw new ValueError(`huber: option 'delta' expected a positive number, received ${describe(delta)}`);
  const err = ops.abs(ops.sub(matchRank('huber', yTrue, yPred), yPred));
  const quadratic = ops.minimum(err, delta);
  const linear = ops.sub(err, quadratic);
  return ops.mean(ops.add(ops.mul(ops.square(quadratic), 0.5), ops.mul(linear, delta)), -1);
}
