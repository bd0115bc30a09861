/**
 * Accuracy in its three forms, and Keras's rule for which one "accuracy" means: binary when the model has
 * one output unit, sparse when labels are class indices, categorical when they are one-hot rows.
 */
import * as ops from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { SpecFor } from '../util/checks.js';
import { is, optionsSpec } from '../util/checks.js';
import { ShapeError, fmtShape } from '../util/errors.js';
import { MeanMetric } from './metric.js';

export interface AccuracyOptions {
  /** The key in logs and history (default: Keras's name of the metric). */
  name?: string;
}

export interface BinaryAccuracyOptions extends AccuracyOptions {
  /** A prediction above it counts as class 1 (default 0.5). */
  threshold?: number;
}

const NAME_ONLY = optionsSpec({ name: is.nonEmptyString.optional() } satisfies SpecFor<AccuracyOptions>);
const BINARY_OPTIONS = optionsSpec({ name: is.nonEmptyString.optional(), threshold: is.finite.default(0.5) } satisfies SpecFor<BinaryAccuracyOptions>);

function sameShape(where: string, yTrue: Tensor, yPred: Tensor): Tensor {
  const t = yTrue.rank === yPred.rank - 1 && yPred.shape[yPred.rank - 1] === 1 ? ops.expandDims(yTrue, -1) : yTrue;
  if (t.rank !== yPred.rank || t.shape.some((d, i) => d !== yPred.shape[i])) {
    throw new ShapeError(`${where}: labels of shape ${fmtShape(yTrue.shape)} do not match predictions of shape ${fmtShape(yPred.shape)}`);
  }
  return t;
}

/** 1 where (yPred > threshold) equals the 0/1 label, averaged over the last axis. */
export function binaryAccuracy(yTrue: Tensor, yPred: Tensor, threshold = 0.5): Tensor {
  const t = sameShape('binaryAccuracy', yTrue, yPred);
  return ops.mean(ops.cast(ops.equal(ops.greater(t, 0.5), ops.greater(yPred, threshold)), 'float32'), -1);
}

/** 1 where the largest prediction is at the one-hot label's position. */
export function categoricalAccuracy(yTrue: Tensor, yPred: Tensor): Tensor {
  const t = sameShape('categoricalAccuracy', yTrue, yPred);
  return ops.cast(ops.equal(ops.argmax(t, -1), ops.argmax(yPred, -1)), 'float32');
}

/** 1 where the largest prediction is at the integer label. */
export function sparseCategoricalAccuracy(yTrue: Tensor, yPred: Tensor): Tensor {
  const labels = yTrue.rank === yPred.rank && yTrue.shape[yTrue.rank - 1] === 1 ? ops.squeeze(yTrue, -1) : yTrue;
  if (labels.rank !== yPred.rank - 1 || labels.shape.some((d, i) => d !== yPred.shape[i])) {
    throw new ShapeError(
      `sparseCategoricalAccuracy: expected labels of shape ${fmtShape(yPred.shape.slice(0, -1))} for predictions of shape ${fmtShape(yPred.shape)}, received ${fmtShape(yTrue.shape)}`,
    );
  }
  return ops.cast(ops.equal(ops.cast(labels, 'int32'), ops.argmax(yPred, -1)), 'float32');
}

export class BinaryAccuracy extends MeanMetric {
  constructor(options: BinaryAccuracyOptions = {}) {
    const { name, threshold } = BINARY_OPTIONS.parse('BinaryAccuracy', options);
    super(name ?? 'binary_accuracy', (t, p) => binaryAccuracy(t, p, threshold));
  }
}

export class CategoricalAccuracy extends MeanMetric {
  constructor(options: AccuracyOptions = {}) {
    super(NAME_ONLY.parse('CategoricalAccuracy', options).name ?? 'categorical_accuracy', categoricalAccuracy);
  }
}

export class SparseCategoricalAccuracy extends MeanMetric {
  constructor(options: AccuracyOptions = {}) {
    super(NAME_ONLY.parse('SparseCategoricalAccuracy', options).name ?? 'sparse_categorical_accuracy', sparseCategoricalAccuracy);
  }
}

/**
 * The accuracy Keras picks for metrics: ["accuracy"]: binary for a single output unit, sparse when the
 * labels have one axis fewer than the predictions (or a last axis of 1), categorical otherwise.
 */
export function accuracyFor(yTrueShape: readonly number[], yPredShape: readonly number[], name = 'accuracy'): MeanMetric {
  const predLast = yPredShape[yPredShape.length - 1];
  const trueLast = yTrueShape[yTrueShape.length - 1];
  if (predLast === 1) return new BinaryAccuracy({ name });
  if (yTrueShape.length < yPredShape.length || trueLast === 1) return new SparseCategoricalAccuracy({ name });
  return new CategoricalAccuracy({ name });
}
