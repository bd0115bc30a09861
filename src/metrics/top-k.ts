/** Top-k accuracy as a training metric: 1 for a sample whose true class is among its k highest outputs. */
import { Tensor, storage } from '../tensor/tensor.js';
import { ShapeError, ValueError, describe, fmtShape } from '../util/errors.js';
import { argmaxRows } from './arrays.js';
import { MeanMetric } from './metric.js';
import { inTopK } from './ranking.js';

function checkK(where: string, k: unknown): number {
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1) throw new ValueError(`${where}: option 'k' expected a positive integer, received ${describe(k)}`);
  return k;
}

function topK(where: string, yTrue: Tensor, yPred: Tensor, k: number, sparse: boolean): Tensor {
  const c = yPred.shape[yPred.rank - 1]!;
  const n = yPred.size / c;
  const truth = Float64Array.from(storage(yTrue));
  const expected = sparse ? n : n * c;
  if (yPred.rank < 2 || truth.length !== expected) {
    const wanted = sparse ? 'class indices' : 'one-hot rows';
    throw new ShapeError(`${where}: expected ${wanted} for predictions of shape ${fmtShape(yPred.shape)}, received labels of shape ${fmtShape(yTrue.shape)}`);
  }
  const labels = sparse ? Int32Array.from(truth) : argmaxRows(truth, n, c);
  return new Tensor(inTopK(labels, storage(yPred), c, k), [n]);
}

export class TopKCategoricalAccuracy extends MeanMetric {
  constructor(options: { name?: string; k?: number } = {}) {
    const k = checkK('TopKCategoricalAccuracy', options.k ?? 5);
    super(options.name ?? 'top_k_categorical_accuracy', (t, p) => topK('TopKCategoricalAccuracy', t, p, k, false));
  }
}

export class SparseTopKCategoricalAccuracy extends MeanMetric {
  constructor(options: { name?: string; k?: number } = {}) {
    const k = checkK('SparseTopKCategoricalAccuracy', options.k ?? 5);
    super(options.name ?? 'sparse_top_k_categorical_accuracy', (t, p) => topK('SparseTopKCategoricalAccuracy', t, p, k, true));
  }
}
