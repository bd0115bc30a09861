/**
 * Per-sample losses `(yTrue, yPred) => Tensor`: each returns one value per sample (the last axis is
 * reduced), and reduction over the batch with sample weights happens in one place (reduction.ts).
 * Cross-entropies on probabilities clip to [1e-7, 1 - 1e-7] like Keras; with `fromLogits` they work on
 * log-softmax / log-sigmoid directly, which is exact and stable for any logits.
 */
import * as ops from '../ops/index.js';
import type { TensorLike } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { storage } from '../tensor/tensor.js';
import type { SpecFor } from '../util/checks.js';
import { is, optionsSpec } from '../util/checks.js';
import { ShapeError, ValueError, describe, fmtShape } from '../util/errors.js';
import { pair } from './inputs.js';

/** Keras's fuzz factor: probabilities are kept this far from 0 and 1 before taking logs. */
export const EPSILON = 1e-7;

export interface CrossentropyOptions {
  /** Whether yPred holds logits (unnormalised scores) rather than probabilities (default false). */
  fromLogits?: boolean;
  /** Mixes the one-hot targets with the uniform distribution: y * (1 - s) + s / classes (default 0). */
  labelSmoothing?: number;
}

export type SparseCrossentropyOptions = Omit<CrossentropyOptions, 'labelSmoothing'>;

export interface HuberOptions {
  /** Where the loss turns from quadratic to linear (default 1, as Keras). */
  delta?: number;
}

export const CROSSENTROPY_OPTIONS = optionsSpec({
  fromLogits: is.boolean.default(false),
  labelSmoothing: is.numberIn(0, 1).default(0),
} satisfies SpecFor<CrossentropyOptions>);

export const SPARSE_CROSSENTROPY_OPTIONS = optionsSpec({ fromLogits: is.boolean.default(false) } satisfies SpecFor<SparseCrossentropyOptions>);

export const HUBER_OPTIONS = optionsSpec({ delta: is.positive.default(1) } satisfies SpecFor<HuberOptions>);


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
export function categoricalCrossentropy(yTrue: TensorLike, yPred: TensorLike, options: CrossentropyOptions = {}): Tensor {
  const where = 'categoricalCrossentropy';
  const { fromLogits, labelSmoothing: s } = CROSSENTROPY_OPTIONS.parse(where, options);
  const [truth, pred] = pair(where, yTrue, yPred);
  let y = matchRank(where, truth, pred);
  if (s > 0) y = ops.add(ops.mul(y, 1 - s), s / pred.shape[pred.rank - 1]!);
  const logP = fromLogits ? ops.logSoftmax(pred) : logProbabilities(pred);
  return ops.neg(ops.sum(ops.mul(y, logP), -1));
}

/** Cross-entropy with integer class labels of shape [n] (or [n, 1]) instead of one-hot rows. */
export function sparseCategoricalCrossentropy(yTrue: TensorLike, yPred: TensorLike, options: SparseCrossentropyOptions = {}): Tensor {
  const where = 'sparseCategoricalCrossentropy';
  const { fromLogits } = SPARSE_CROSSENTROPY_OPTIONS.parse(where, options);
  const [yTrueT, yPredT] = pair(where, yTrue, yPred);
  return sparseCrossentropy(where, yTrueT, yPredT, fromLogits);
}

function sparseCrossentropy(where: string, yTrue: Tensor, yPred: Tensor, fromLogits: boolean): Tensor {
  const classes = yPred.shape[yPred.rank - 1]!;
  const labels = yTrue.rank === yPred.rank && yTrue.shape[yTrue.rank - 1] === 1 ? ops.squeeze(yTrue, -1) : yTrue;
  if (labels.rank !== yPred.rank - 1 || labels.shape.some((d, i) => d !== yPred.shape[i])) {
    throw new ShapeError(
      `${where}: expected integer labels of shape ${fmtShape(yPred.shape.slice(0, -1))} for predictions of shape ${fmtShape(yPred.shape)}, received ${fmtShape(yTrue.shape)}`,
    );
  }
  checkClassIndices(where, labels, classes);
  const oneHot = ops.cast(ops.oneHot(labels, classes), yPred.dtype);
  const logP = fromLogits ? ops.logSoftmax(yPred) : logProbabilities(yPred);
  return ops.neg(ops.sum(ops.mul(oneHot, logP), -1));
}

/**
 * A label outside [0, classes) would one-hot to a row of zeros and add nothing to the loss, silently:
 * TensorFlow refuses it too.
 */
function checkClassIndices(where: string, labels: Tensor, classes: number): void {
  const values = storage(labels);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(Number.isInteger(v) && v >= 0 && v < classes)) {
      throw new ValueError(`${where}: argument 'yTrue' expected class indices in [0, ${classes - 1}] (the predictions have ${classes} classes), received ${describe(v)} at position ${i}`);
    }
  }
}

/** Mean over the last axis of -(y log p + (1 - y) log(1 - p)); targets are in [0, 1]. */
export function binaryCrossentropy(yTrue: TensorLike, yPred: TensorLike, options: CrossentropyOptions = {}): Tensor {
  const where = 'binaryCrossentropy';
  const { fromLogits, labelSmoothing: s } = CROSSENTROPY_OPTIONS.parse(where, options);
  const [truth, pred] = pair(where, yTrue, yPred);
  let y = matchRank(where, truth, pred);
  if (s > 0) y = ops.add(ops.mul(y, 1 - s), s / 2);
  if (fromLogits) {
    // max(x, 0) - x*y + log(1 + exp(-|x|)): the same value, without overflow for large |x|.
    const x = pred;
    return ops.mean(ops.add(ops.sub(ops.relu(x), ops.mul(x, y)), ops.log1p(ops.exp(ops.neg(ops.abs(x))))), -1);
  }
  const p = ops.clip(pred, EPSILON, 1 - EPSILON);
  const ll = ops.add(ops.mul(y, ops.log(p)), ops.mul(ops.sub(1, y), ops.log(ops.sub(1, p))));
  return ops.neg(ops.mean(ll, -1));
}

export function meanSquaredError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = pair('meanSquaredError', yTrue, yPred);
  return ops.mean(ops.squaredDifference(matchRank('meanSquaredError', t, p), p), -1);
}

export function meanAbsoluteError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = pair('meanAbsoluteError', yTrue, yPred);
  return ops.mean(ops.abs(ops.sub(matchRank('meanAbsoluteError', t, p), p)), -1);
}

/** Quadratic for errors up to `delta`, linear beyond (Keras's default delta is 1). */
export function huber(yTrue: TensorLike, yPred: TensorLike, options: HuberOptions = {}): Tensor {
  const { delta } = HUBER_OPTIONS.parse('huber', options);
  const [t, p] = pair('huber', yTrue, yPred);
  const err = ops.abs(ops.sub(matchRank('huber', t, p), p));
  const quadratic = ops.minimum(err, delta);
  const linear = ops.sub(err, quadratic);
  return ops.mean(ops.add(ops.mul(ops.square(quadratic), 0.5), ops.mul(linear, delta)), -1);
}
