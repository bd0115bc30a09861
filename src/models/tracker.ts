/**
 * The running loss and metrics of an epoch (or of an evaluation), per output. With one output the logs
 * are Keras's `loss`, `accuracy`...; with several, the total `loss`, then each output's `<name>_loss`,
 * then each output's metrics as `<name>_<metric>`. Metrics named "accuracy" are resolved on the first
 * batch, when the shapes of labels and predictions are known.
 */
import type { Metric, MetricIdentifier } from '../metrics/index.js';
import { Mean, getMetric } from '../metrics/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Batch } from './array-data.js';
import type { Logs } from './callbacks/callback.js';

/** An output as the tracker sees it: its name and its metrics. */
export interface TrackedOutput {
  readonly name: string;
  readonly metrics: readonly MetricIdentifier[];
}

export class MetricsTracker {
  readonly #loss = new Mean('loss');
  readonly #outputLosses: Mean[];
  readonly #outputs: readonly TrackedOutput[];
  readonly #prefix: boolean;
  #metrics: Metric[][] | null = null;

  /** `prefixed`: name each output's values after it (models with several outputs). */
  constructor(outputs: readonly TrackedOutput[], prefixed = outputs.length > 1) {
    this.#outputs = outputs;
    this.#prefix = prefixed;
    this.#outputLosses = prefixed ? outputs.map((o) => new Mean(`${o.name}_loss`)) : [];
  }

  /** Adds a batch: the total loss and each output's (weighted by the batch size) and the predictions. */
  update(loss: number, outputLosses: readonly number[], batch: Batch, yPred: readonly Tensor[]): void {
    const n = batch.x[0]!.shape[0]!;
    this.#loss.add(loss, n);
    this.#outputLosses.forEach((m, i) => m.add(outputLosses[i]!, n));
    this.#metrics ??= this.#outputs.map((o, i) => o.metrics.map((id) => getMetric(id, batch.y[i]!.shape, yPred[i]!.shape, 'compile')));
    this.#metrics.forEach((ms, i) => {
      for (const m of ms) m.update(batch.y[i]!, yPred[i]!, batch.sampleWeight[i] ?? null);
    });
  }

  /** The logs so far: `loss`, each output's loss, then the metrics. */
  results(): Logs {
    const logs: Logs = { loss: this.#loss.result() };
    for (const m of this.#outputLosses) logs[m.name] = m.result();
    (this.#metrics ?? []).forEach((ms, i) => {
      for (const m of ms) logs[this.#prefix ? `${this.#outputs[i]!.name}_${m.name}` : m.name] = m.result();
    });
    return logs;
  }

  reset(): void {
    this.#loss.reset();
    for (const m of this.#outputLosses) m.reset();
    for (const m of (this.#metrics ?? []).flat()) m.reset();
  }
}
