/** Top-k accuracy as a training metric: 1 for a sample whose true class is among its k highest outputs. */
import { Tensor, storage } from '../tensor/tensor.js';
import type { SpecFor } from '../util/checks.js';
import { is, optionsSpec } from '../util/checks.js';
import { ShapeError, fmtShape } from '../util/errors.js';
import { argmaxRows } from './arrays.js';
import { MeanMetric } from './metric.js';
import { checkTopK, inTopK } from './ranking.js';

export interface TopKMetricOptions {
  name?: string;
  /** How many of the highest outputs count (default 5, as Keras); at most the number of classes. */
  k?: number;
}

const OPTIONS = optionsSpec({ name: is.nonEmptyString.optional(), k: is.positiveInteger.default(5) } satisfies SpecFor<TopKMetricOptions>);

function topK(where: string, yTrue: Tensor, yPred: Tensor, k: number, sparse: boolean): Tensor {
  const c = yPred.shape[yPred.rank - 1]!;
  const n = yPred.size / c;
  const truth = Float64Array.from(storage(yTrue));
  const expected = sparse ? n : n * c;
  if (yPred.rank < 2 || truth.length !== expected) {
    const wanted = sparse ? 'class indices' : 'one-hot rows';
    throw new ShapeError(`${where}: expected ${wanted} for predictions of shape ${fmtShape(yPred.shape)}, received labels of shape ${fmtShape(yTrue.shape)}`);
  }
  checkTopK(where, k, c);
  const labels = sparse ? Int32Array.from(truth) : argmaxRows(truth, n, c);
  return new Tensor(inTopK(labels, storage(yPred), c, k), [n]);
}

export class TopKCategoricalAccuracy extends MeanMetric {
  constructor(options: TopKMetricOptions = {}) {
    const { name, k } = OPTIONS.parse('TopKCategoricalAccuracy', options);
    super(name ?? 'top_k_categorical_accuracy', (t, p) => topK('TopKCategoricalAccuracy', t, p, k, false));
  }
}

export class SparseTopKCategoricalAccuracy extends MeanMetric {
  constructor(options: TopKMetricOptions = {}) {
    const { name, k } = OPTIONS.parse('SparseTopKCategoricalAccuracy', options);
    super(name ?? 'sparse_top_k_categorical_accuracy', (t, p) => topK('SparseTopKCategoricalAccuracy', t, p, k, true));
  }
}
