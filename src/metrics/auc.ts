/**
 * AUC as a training metric, computed exactly: it keeps every score and label of the epoch (a few bytes
 * per prediction) and computes rocAucScore, or averagePrecisionScore for `curve: 'PR'`, over all of them.
 * Keras approximates with 200 thresholds; the exact value costs one sort per epoch. With k output units
 * it is the mean over classes, one against the rest. While the labels seen hold a single class the
 * area is undefined and the metric reads NaN.
 */
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { storage } from '../tensor/tensor.js';
import type { SpecFor } from '../util/checks.js';
import { is, optionsSpec } from '../util/checks.js';
import { ShapeError, ValueError, fmtShape } from '../util/errors.js';
import { Metric } from './metric.js';
import { averagePrecisionScore, rocAucScore } from './ranking.js';

export interface AUCOptions {
  name?: string;
  /** 'ROC' (default) or 'PR' (average precision: the area under the precision-recall curve). */
  curve?: 'ROC' | 'PR';
}

const OPTIONS = optionsSpec({ name: is.nonEmptyString.optional(), curve: is.oneOf(['ROC', 'PR'] as const).default('ROC') } satisfies SpecFor<AUCOptions>);

export class AUC extends Metric {
  readonly name: string;
  readonly curve: 'ROC' | 'PR';
  #labels: number[] = [];
  #scores: number[] = [];
  #weights: number[] = [];
  #columns = 1;

  constructor(options: AUCOptions = {}) {
    super();
    const { name, curve } = OPTIONS.parse('AUC', options);
    this.curve = curve;
    this.name = name ?? (curve === 'ROC' ? 'auc' : 'pr_auc');
  }

  update(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor | null): void {
    const n = yPred.shape[0] ?? 1;
    const columns = yPred.size / n;
    const scores = storage(yPred), labels = storage(yTrue);
    if (this.#scores.length > 0 && columns !== this.#columns) {
      throw new ShapeError(`${this.name}: predictions of shape ${fmtShape(yPred.shape)} have ${columns} columns, earlier batches had ${this.#columns}`);
    }
    this.#columns = columns;
    const oneHot = labels.length === scores.length;
    if (!oneHot && labels.length !== n) {
      throw new ShapeError(`${this.name}: labels of shape ${fmtShape(yTrue.shape)} are neither 0/1 labels nor class indices for predictions of shape ${fmtShape(yPred.shape)}`);
    }
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < columns; c++) {
        const truth = oneHot ? labels[i * columns + c]! : columns === 1 ? labels[i]! : labels[i] === c ? 1 : 0;
        this.#labels.push(truth > 0.5 ? 1 : 0);
        this.#scores.push(scores[i * columns + c]!);
      }
      this.#weights.push(sampleWeight ? storage(sampleWeight)[i]! : 1);
    }
  }

  result(): number {
    const n = this.#weights.length;
    if (n === 0) return NaN;
    const shape = this.#columns === 1 ? [n] : [n, this.#columns];
    const labels = tensor(Float64Array.from(this.#labels), { shape, dtype: 'float64' }), scores = tensor(Float64Array.from(this.#scores), { shape, dtype: 'float64' });
    const options = { sampleWeight: Float64Array.from(this.#weights) };
    try {
      return this.curve === 'ROC' ? rocAucScore(labels, scores, options) : averagePrecisionScore(labels, scores, options);
    } catch (e) {
      if (e instanceof ValueError) return NaN; // only one class seen so far
      throw e;
    }
  }

  reset(): void {
    this.#labels = [];
    this.#scores = [];
    this.#weights = [];
  }
}
