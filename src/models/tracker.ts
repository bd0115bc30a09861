/**
 * The running loss and metrics of an epoch (or of an evaluation). Metrics named "accuracy" are resolved
 * on the first batch, when the shapes of labels and predictions are known.
 */
import type { Metric, MetricIdentifier } from '../metrics/index.js';
import { Mean, getMetric } from '../metrics/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Batch } from './array-data.js';
import type { Logs } from './callbacks/callback.js';

export class MetricsTracker {
  readonly #loss = new Mean('loss');
  #metrics: Metric[] | null = null;

  constructor(readonly ids: readonly MetricIdentifier[]) {}

  /** Adds a batch: its mean loss (weighted by its size) and its predictions. */
  update(loss: number, batch: Batch, yPred: Tensor): void {
    this.#loss.add(loss, batch.x.shape[0]!);
    this.#metrics ??= this.ids.map((id) => getMetric(id, batch.y.shape, yPred.shape, 'compile'));
    for (const m of this.#metrics) m.update(batch.y, yPred, batch.sampleWeight);
  }

  /** `{ loss, ...metrics }` so far. */
  results(): Logs {
    const logs: Logs = { loss: this.#loss.result() };
    for (const m of this.#metrics ?? []) logs[m.name] = m.result();
    return logs;
  }

  reset(): void {
    this.#loss.reset();
    for (const m of this.#metrics ?? []) m.reset();
  }
}
