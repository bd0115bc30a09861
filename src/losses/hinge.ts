/**
 * Hinge losses for maximum-margin classifiers, with Keras's formulas. Labels are -1 or 1; labels that are
 * all 0 or 1 are read as -1 and 1 (2y - 1), as Keras does. Predictions are raw scores (a linear output).
 */
import * as ops from '../ops/index.js';
import type { TensorLike } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { storage } from '../tensor/tensor.js';
import { BuiltinLoss } from './loss.js';
import { NO_OPTIONS, pair } from './inputs.js';
import { matchRank } from './losses.js';

/** 1 - yTrue * yPred with labels in {-1, 1}: the margin still missing. */
function missingMargin(where: string, yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [truth, p] = pair(where, yTrue, yPred);
  let t = matchRank(where, truth, p);
  const labels = storage(t);
  let binary = true;
  for (let i = 0; i < labels.length && binary; i++) binary = labels[i] === 0 || labels[i] === 1;
  if (binary) t = ops.sub(ops.mul(t, 2), 1);
  return ops.sub(1, ops.mul(t, p));
}

/** mean(max(1 - yTrue * yPred, 0)) over the last axis. */
export function hinge(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return ops.mean(ops.relu(missingMargin('hinge', yTrue, yPred)), -1);
}

/** mean(max(1 - yTrue * yPred, 0)^2) over the last axis. */
export function squaredHinge(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return ops.mean(ops.square(ops.relu(missingMargin('squaredHinge', yTrue, yPred))), -1);
}

/**
 * max(neg - pos + 1, 0) with pos = sum(yTrue * yPred) (the true class's score, for one-hot labels) and
 * neg = max((1 - yTrue) * yPred) (the best other class's score).
 */
export function categoricalHinge(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const where = 'categoricalHinge';
  const [truth, p] = pair(where, yTrue, yPred);
  const t = matchRank(where, truth, p);
  const pos = ops.sum(ops.mul(t, p), -1);
  const neg = ops.max(ops.mul(ops.sub(1, t), p), -1);
  return ops.relu(ops.add(ops.sub(neg, pos), 1));
}

export class Hinge extends BuiltinLoss {
  readonly className = 'Hinge';
  readonly name = 'hinge';
  readonly expects = 'any';
  constructor(options: Record<never, never> = {}) {
    super(NO_OPTIONS.parse('Hinge', options));
  }
  perSample(yTrue: Tensor, yPred: Tensor): Tensor {
    return hinge(yTrue, yPred);
  }
}

export class SquaredHinge extends BuiltinLoss {
  readonly className = 'SquaredHinge';
  readonly name = 'squared_hinge';
  readonly expects = 'any';
  constructor(options: Record<never, never> = {}) {
    super(NO_OPTIONS.parse('SquaredHinge', options));
  }
  perSample(yTrue: Tensor, yPred: Tensor): Tensor {
    return squaredHinge(yTrue, yPred);
  }
}

export class CategoricalHinge extends BuiltinLoss {
  readonly className = 'CategoricalHinge';
  readonly name = 'categorical_hinge';
  readonly expects = 'any';
  constructor(options: Record<never, never> = {}) {
    super(NO_OPTIONS.parse('CategoricalHinge', options));
  }
  perSample(yTrue: Tensor, yPred: Tensor): Tensor {
    return categoricalHinge(yTrue, yPred);
  }
}
