/**
 * Level 4: stateful metrics (what compile's `metrics` take), the per-sample functions they average, and
 * plain scores of arrays (accuracyScore, f1Score, rocAucScore...), which share their definitions.
 */
import { ValueError, describe } from '../util/errors.js';
import { lookupName } from '../util/names.js';
import { BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy, accuracyFor } from './accuracy.js';
import { AUC } from './auc.js';
import { F1Score, Precision, Recall } from './confusion-metrics.js';
import { Metric } from './metric.js';
import { SparseTopKCategoricalAccuracy, TopKCategoricalAccuracy } from './top-k.js';

export * from './metric.js';
export * from './accuracy.js';
export * from './classification.js';
export * from './ranking.js';
export * from './confusion-metrics.js';
export * from './auc.js';
export * from './top-k.js';

type Factory = (yTrueShape: readonly number[], yPredShape: readonly number[]) => Metric;

const BY_NAME = {
  accuracy: (t, p) => accuracyFor(t, p),
  binaryAccuracy: () => new BinaryAccuracy(),
  categoricalAccuracy: () => new CategoricalAccuracy(),
  sparseCategoricalAccuracy: () => new SparseCategoricalAccuracy(),
  precision: () => new Precision(),
  recall: () => new Recall(),
  f1Score: () => new F1Score(),
  auc: () => new AUC(),
  prAuc: () => new AUC({ curve: 'PR' }),
  topKCategoricalAccuracy: () => new TopKCategoricalAccuracy(),
  sparseTopKCategoricalAccuracy: () => new SparseTopKCategoricalAccuracy(),
} satisfies Record<string, Factory>;

export type MetricName = keyof typeof BY_NAME | 'acc';
export type MetricIdentifier = MetricName | (string & {}) | Metric;

const ALIASES = { acc: 'accuracy' };

/** Checks a metric identifier early (at compile), so a misspelt name fails before any training. */
export function checkMetric(id: MetricIdentifier, where = 'getMetric'): void {
  if (id instanceof Metric) return;
  if (typeof id !== 'string') throw new ValueError(`${where}: argument 'metrics' expected names or Metric objects, received ${describe(id)}`);
  lookupName(where, 'metrics', id, BY_NAME, ALIASES);
}

/**
 * The metric for `id` on data of these shapes: "accuracy" becomes binary, sparse or categorical accuracy
 * as Keras decides (see accuracyFor) and keeps the name it was given.
 */
export function getMetric(id: MetricIdentifier, yTrueShape: readonly number[], yPredShape: readonly number[], where = 'getMetric'): Metric {
  if (id instanceof Metric) return id;
  checkMetric(id, where);
  const factory: Factory = lookupName(where, 'metrics', id, BY_NAME, ALIASES);
  return factory === BY_NAME.accuracy ? accuracyFor(yTrueShape, yPredShape, id) : factory(yTrueShape, yPredShape);
}
