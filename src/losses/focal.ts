/**
 * Focal cross-entropies (Lin et al., 2017, "Focal Loss for Dense Object Detection"), with Keras's formulas
 * and options: the cross-entropy of each class is scaled by (1 - p_t)^gamma, so well-classified samples
 * add little and training concentrates on hard ones. gamma = 0 gives back the plain cross-entropy.
 */
import * as ops from '../ops/index.js';
import type { TensorLike } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import type { SpecFor } from '../util/checks.js';
import { is, optionsSpec } from '../util/checks.js';
import type { ExpectedOutput } from './loss.js';
import { BuiltinLoss } from './loss.js';
import { pair } from './inputs.js';
import { EPSILON, matchRank } from './losses.js';

export interface FocalOptions {
  /** The focusing exponent (default 2, as Keras). */
  gamma?: number;
  /** Whether yPred holds logits rather than probabilities (default false). */
  fromLogits?: boolean;
  /** Squeezes the targets toward the uniform distribution by this amount (default 0). */
  labelSmoothing?: number;
}

export interface BinaryFocalOptions extends FocalOptions {
  /** Weigh class 1 by alpha and class 0 by 1 - alpha (default false). */
  applyClassBalancing?: boolean;
  /** The weight of class 1 when applyClassBalancing (default 0.25, as Keras). */
  alpha?: number;
}

export interface CategoricalFocalOptions extends FocalOptions {
  /** A factor on every class's term (default 0.25, as Keras). */
  alpha?: number;
}

const COMMON = {
  gamma: is.nonNegative.default(2),
  fromLogits: is.boolean.default(false),
  labelSmoothing: is.numberIn(0, 1).default(0),
};

export const BINARY_FOCAL_OPTIONS = optionsSpec({
  ...COMMON,
  applyClassBalancing: is.boolean.default(false),
  alpha: is.numberIn(0, 1).default(0.25),
} satisfies SpecFor<BinaryFocalOptions>);

export const CATEGORICAL_FOCAL_OPTIONS = optionsSpec({ ...COMMON, alpha: is.nonNegative.default(0.25) } satisfies SpecFor<CategoricalFocalOptions>);

/**
 * mean over the last axis of (1 - p_t)^gamma * BCE, where p_t is the probability given to the true class
 * (y p + (1 - y)(1 - p)); with applyClassBalancing each term is also weighed by alpha for class 1 and
 * 1 - alpha for class 0. Smoothed targets are y (1 - s) + s / 2.
 */
export function binaryFocalCrossentropy(yTrue: TensorLike, yPred: TensorLike, options: BinaryFocalOptions = {}): Tensor {
  const where = 'binaryFocalCrossentropy';
  const { gamma, fromLogits, labelSmoothing: s, applyClassBalancing, alpha } = BINARY_FOCAL_OPTIONS.parse(where, options);
  const [truth, pred] = pair(where, yTrue, yPred);
  let y = matchRank(where, truth, pred);
  if (s > 0) y = ops.add(ops.mul(y, 1 - s), s / 2);
  const notY = ops.sub(1, y);
  let p: Tensor, bce: Tensor;
  if (fromLogits) {
    // The logits form of the cross-entropy (max(x, 0) - x y + log(1 + exp(-|x|))) is exact for any logit.
    p = ops.sigmoid(pred);
    bce = ops.add(ops.sub(ops.relu(pred), ops.mul(pred, y)), ops.log1p(ops.exp(ops.neg(ops.abs(pred)))));
  } else {
    p = pred;
    const clipped = ops.clip(pred, EPSILON, 1 - EPSILON);
    bce = ops.neg(ops.add(ops.mul(y, ops.log(clipped)), ops.mul(notY, ops.log(ops.sub(1, clipped)))));
  }
  const pT = ops.add(ops.mul(y, p), ops.mul(notY, ops.sub(1, p)));
  let focal = ops.mul(ops.pow(ops.sub(1, pT), gamma), bce);
  if (applyClassBalancing) focal = ops.mul(ops.add(ops.mul(y, alpha), ops.mul(notY, 1 - alpha)), focal);
  return ops.mean(focal, -1);
}

/**
 * sum over the last axis of -alpha (1 - p)^gamma y log(p), with p the predicted distribution (normalised
 * and clipped to [1e-7, 1 - 1e-7], or the softmax of logits). Smoothed targets are y (1 - s) + s / classes.
 */
export function categoricalFocalCrossentropy(yTrue: TensorLike, yPred: TensorLike, options: CategoricalFocalOptions = {}): Tensor {
  const where = 'categoricalFocalCrossentropy';
  const { gamma, fromLogits, labelSmoothing: s, alpha } = CATEGORICAL_FOCAL_OPTIONS.parse(where, options);
  const [truth, pred] = pair(where, yTrue, yPred);
  let y = matchRank(where, truth, pred);
  if (s > 0) y = ops.add(ops.mul(y, 1 - s), s / pred.shape[pred.rank - 1]!);
  let p: Tensor, logP: Tensor;
  if (fromLogits) {
    logP = ops.logSoftmax(pred);
    p = ops.clip(ops.exp(logP), EPSILON, 1 - EPSILON);
  } else {
    p = ops.clip(ops.div(pred, ops.sum(pred, -1, { keepDims: true })), EPSILON, 1 - EPSILON);
    logP = ops.log(p);
  }
  const weight = ops.mul(ops.pow(ops.sub(1, p), gamma), alpha);
  return ops.neg(ops.sum(ops.mul(weight, ops.mul(y, logP)), -1));
}

export class BinaryFocalCrossentropy extends BuiltinLoss<Required<BinaryFocalOptions>> {
  readonly className = 'BinaryFocalCrossentropy';
  readonly name = 'binary_focal_crossentropy';
  readonly expects: ExpectedOutput;
  constructor(options: BinaryFocalOptions = {}) {
    super(BINARY_FOCAL_OPTIONS.parse('BinaryFocalCrossentropy', options));
    this.expects = this.options.fromLogits ? 'logits' : 'sigmoid';
  }
  perSample(yTrue: Tensor, yPred: Tensor): Tensor {
    return binaryFocalCrossentropy(yTrue, yPred, this.options);
  }
}

export class CategoricalFocalCrossentropy extends BuiltinLoss<Required<CategoricalFocalOptions>> {
  readonly className = 'CategoricalFocalCrossentropy';
  readonly name = 'categorical_focal_crossentropy';
  readonly expects: ExpectedOutput;
  constructor(options: CategoricalFocalOptions = {}) {
    super(CATEGORICAL_FOCAL_OPTIONS.parse('CategoricalFocalCrossentropy', options));
    this.expects = this.options.fromLogits ? 'logits' : 'softmax';
  }
  perSample(yTrue: Tensor, yPred: Tensor): Tensor {
    return categoricalFocalCrossentropy(yTrue, yPred, this.options);
  }
}
