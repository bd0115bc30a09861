/**
 * Precision, recall and F1 as training metrics. Each accumulates a confusion matrix over the batches
 * (weighted by sample weights) and scores it with the same definitions as precisionScore, recallScore
 * and f1Score, so the value after an epoch equals the plain function on all of the epoch's predictions.
 * A model with one output unit is a binary problem (predicted positive when the output > threshold);
 * with k units the predicted class is the largest output and the score is averaged over the classes
 * ('macro' unless `average` says otherwise). An undefined score (no predicted positive, say) is 0, as
 * in Keras, since training must not stop over it.
 */
import type { Tensor } from '../tensor/tensor.js';
import { storage } from '../tensor/tensor.js';
import type { SpecFor } from '../util/checks.js';
import { is, optionsSpec } from '../util/checks.js';
import { ShapeError, fmtShape } from '../util/errors.js';
import { argmaxRows } from './arrays.js';
import type { Average, ClassScore } from './classification.js';
import { emptyConfusion, scoreFromConfusion } from './classification.js';
import { Metric } from './metric.js';

export interface ClassMetricOptions {
  name?: string;
  /** For one output unit: the score above which a sample is predicted positive (default 0.5). */
  threshold?: number;
  /** For several output units: how class scores are averaged (default 'macro'). */
  average?: Exclude<Average, 'binary'>;
}

const OPTIONS = optionsSpec({
  name: is.nonEmptyString.optional(),
  threshold: is.numberIn(0, 1).default(0.5),
  average: is.oneOf(['macro', 'micro', 'weighted'] as const).default('macro'),
} satisfies SpecFor<ClassMetricOptions>);

/** True and predicted class of every prediction of a batch (a binary output gives classes 0 and 1). */
export function batchClasses(where: string, yTrue: Tensor, yPred: Tensor, threshold: number): { truth: Int32Array; predicted: Int32Array; binary: boolean } {
  const k = yPred.shape[yPred.rank - 1] ?? 1;
  const binary = yPred.rank === 1 || k === 1;
  const p = Float64Array.from(storage(yPred));
  const t = Float64Array.from(storage(yTrue));
  const rows = binary ? p.length : p.length / k;
  if (binary) {
    if (t.length !== rows) throw new ShapeError(`${where}: labels of shape ${fmtShape(yTrue.shape)} do not match predictions of shape ${fmtShape(yPred.shape)}`);
    return { truth: Int32Array.from(t, (v) => (v > 0.5 ? 1 : 0)), predicted: Int32Array.from(p, (v) => (v > threshold ? 1 : 0)), binary };
  }
  let truth: Int32Array;
  if (t.length === p.length) truth = argmaxRows(t, rows, k);
  else if (t.length === rows) truth = Int32Array.from(t);
  else throw new ShapeError(`${where}: labels of shape ${fmtShape(yTrue.shape)} are neither class indices nor one-hot rows for predictions of shape ${fmtShape(yPred.shape)}`);
  return { truth, predicted: argmaxRows(p, rows, k), binary };
}

abstract class ConfusionMetric extends Metric {
  readonly name: string;
  readonly threshold: number;
  readonly average: Exclude<Average, 'binary'>;
  #matrix: number[][] = [];
  #binary = true;

  constructor(defaultName: string, protected readonly score: ClassScore, options: ClassMetricOptions) {
    super();
    const { name, threshold, average } = OPTIONS.parse(this.constructor.name, options);
    this.name = name ?? defaultName;
    this.threshold = threshold;
    this.average = average;
  }

  update(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor | null): void {
    const { truth, predicted, binary } = batchClasses(this.name, yTrue, yPred, this.threshold);
    this.#binary = binary;
    const weights = sampleWeight ? storage(sampleWeight) : null;
    const perSample = truth.length / (yPred.shape[0] ?? truth.length);
    for (let i = 0; i < truth.length; i++) {
      const size = Math.max(truth[i]!, predicted[i]!) + 1;
      while (this.#matrix.length < size) this.#grow();
      this.#matrix[truth[i]!]![predicted[i]!]! += weights ? weights[Math.floor(i / perSample)]! : 1;
    }
  }

  result(): number {
    if (this.#matrix.length === 0) return 0;
    const average = this.#binary ? 'binary' : this.average;
    return scoreFromConfusion(this.name, this.score, this.#matrix, { average, zeroDivision: 0 });
  }

  reset(): void {
    this.#matrix = [];
  }

  #grow(): void {
    const k = this.#matrix.length + 1;
    const grown = emptyConfusion(k);
    this.#matrix.forEach((row, i) => row.forEach((v, j) => (grown[i]![j] = v)));
    this.#matrix = grown;
  }
}

export class Precision extends ConfusionMetric {
  constructor(options: ClassMetricOptions = {}) {
    super('precision', 'precision', options);
  }
}

export class Recall extends ConfusionMetric {
  constructor(options: ClassMetricOptions = {}) {
    super('recall', 'recall', options);
  }
}

export class F1Score extends ConfusionMetric {
  constructor(options: ClassMetricOptions = {}) {
    super('f1_score', 'f1', options);
  }
}
