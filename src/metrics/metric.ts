/**
 * Stateful metrics: `update` accumulates a batch, `result` reads the value so far, `reset` starts over.
 * Values are accumulated in JavaScript numbers (float64), so long epochs do not lose precision.
 */
import * as ops from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { noGrad } from '../tensor/tape.js';
import { ShapeError, fmtShape } from '../util/errors.js';

export abstract class Metric {
  /** The key under which the metric appears in logs and history (`accuracy`, `val_accuracy`). */
  abstract readonly name: string;
  abstract update(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor | null): void;
  abstract result(): number;
  abstract reset(): void;
}

/** A weighted running mean of values. The loss is tracked with one (weighted by batch size). */
export class Mean extends Metric {
  #total = 0;
  #count = 0;

  constructor(readonly name = 'mean') {
    super();
  }

  /** Adds `value` with weight `weight` (e.g. a batch's mean loss weighted by its number of samples). */
  add(value: number, weight = 1): void {
    this.#total += value * weight;
    this.#count += weight;
  }

  update(_yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor | null): void {
    noGrad(() => {
      const w = sampleWeight ? ops.cast(sampleWeight, yPred.dtype) : null;
      this.#total += (w ? ops.sum(ops.mul(yPred, w)) : ops.sum(yPred)).item();
      this.#count += w ? ops.sum(w).item() : yPred.size;
    });
  }

  result(): number {
    return this.#count === 0 ? 0 : this.#total / this.#count;
  }

  reset(): void {
    this.#total = 0;
    this.#count = 0;
  }
}

/** A per-sample function averaged over samples, with optional sample weights (Keras's MeanMetricWrapper). */
export class MeanMetric extends Metric {
  readonly #mean = new Mean();

  constructor(
    readonly name: string,
    private readonly perSample: (yTrue: Tensor, yPred: Tensor) => Tensor,
  ) {
    super();
  }

  update(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor | null): void {
    noGrad(() => {
      let values = this.perSample(yTrue, yPred);
      // One value per sample: per-sample results that keep axes are averaged over them first.
      if (values.rank > 1) values = ops.mean(values, values.shape.slice(1).map((_, i) => i + 1));
      if (sampleWeight && sampleWeight.size !== values.size) {
        throw new ShapeError(`${this.name}: argument 'sampleWeight' expected ${values.size} weights (one per sample), received shape ${fmtShape(sampleWeight.shape)}`);
      }
      this.#mean.update(yTrue, values, sampleWeight ? ops.reshape(sampleWeight, values.shape) : null);
    });
  }

  result(): number {
    return this.#mean.result();
  }

  reset(): void {
    this.#mean.reset();
  }
}
