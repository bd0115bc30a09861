/**
 * Level 4: stateful metrics (what compile's `metrics` take), the per-sample functions they average, and
 * plain scores of arrays (accuracyScore, f1Score, rocAucScore...), which share their definitions.
 */
import { ValueError, describe } from '../util/errors.js';
import { lookupName, snakeCase } from '../util/names.js';
import { BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy, accuracyFor } from './accuracy.js';
import { AUC } from './auc.js';
import { F1Score, Precision, Recall } from './confusion-metrics.js';
import { BinaryIoU, MeanIoU, OneHotMeanIoU } from './iou.js';
import { Metric } from './metric.js';
import {
  CosineSimilarity, LogCoshError, MeanAbsoluteError, MeanAbsolutePercentageError, MeanSquaredError, MeanSquaredLogarithmicError, R2Score,
  RootMeanSquaredError,
} from './regression.js';
import { SparseTopKCategoricalAccuracy, TopKCategoricalAccuracy } from './top-k.js';

export * from './metric.js';
export * from './accuracy.js';
export * from './classification.js';
export * from './ranking.js';
export * from './confusion-metrics.js';
export * from './auc.js';
export * from './top-k.js';
export * from './regression.js';
export * from './iou.js';

/** A metric for data of these shapes; `name` is the key it logs under (Keras's spelling of the name it was given). */
type Factory = (yTrueShape: readonly number[], yPredShape: readonly number[], name: string) => Metric;

const last = (shape: readonly number[]): number => shape[shape.length - 1] ?? 1;

/**
 * MeanIoU by name: the classes are the output's units, whose largest score is the predicted class;
 * labels are class ids, or one-hot rows when they have the output's shape. One unit is a binary mask.
 */
function meanIoUFor(t: readonly number[], p: readonly number[], name: string, oneHot: boolean): Metric {
  if (last(p) === 1) return new BinaryIoU({ name });
  const sparseYTrue = !oneHot && (t.length < p.length || last(t) === 1);
  return new MeanIoU({ numClasses: last(p), sparseYTrue, sparseYPred: false, name });
}

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
  meanAbsoluteError: (_t, _p, name) => new MeanAbsoluteError({ name }),
  meanSquaredError: (_t, _p, name) => new MeanSquaredError({ name }),
  rootMeanSquaredError: (_t, _p, name) => new RootMeanSquaredError({ name }),
  meanAbsolutePercentageError: (_t, _p, name) => new MeanAbsolutePercentageError({ name }),
  meanSquaredLogarithmicError: (_t, _p, name) => new MeanSquaredLogarithmicError({ name }),
  logCoshError: (_t, _p, name) => new LogCoshError({ name }),
  cosineSimilarity: (_t, _p, name) => new CosineSimilarity({ name }),
  r2Score: (_t, _p, name) => new R2Score({ name }),
  meanIoU: (t, p, name) => meanIoUFor(t, p, name, false),
  oneHotMeanIoU: (t, p, name) => meanIoUFor(t, p, name, true),
  binaryIoU: (_t, _p, name) => new BinaryIoU({ name }),
} satisfies Record<string, Factory>;

export type MetricName = keyof typeof BY_NAME | keyof typeof ALIASES;
export type MetricIdentifier = MetricName | (string & {}) | Metric;

/** Keras's short names; a metric given by one logs under it (`mae`), as in Keras. */
const ALIASES = {
  acc: 'accuracy',
  mae: 'meanAbsoluteError',
  mse: 'meanSquaredError',
  rmse: 'rootMeanSquaredError',
  mape: 'meanAbsolutePercentageError',
  msle: 'meanSquaredLogarithmicError',
  logcosh: 'logCoshError',
} satisfies Record<string, keyof typeof BY_NAME>;

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
  return factory === BY_NAME.accuracy ? accuracyFor(yTrueShape, yPredShape, id) : factory(yTrueShape, yPredShape, snakeCase(id));
}
