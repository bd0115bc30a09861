/**
 * TerminateOnNaN: ends training quietly at the first batch whose loss is NaN or infinite, as Keras's
 * does, printing one line. Without it fit throws a NumericsError there, naming the epoch, the batch and
 * what in the batch holds NaN; with it fit returns the History instead (its last epoch logging the bad
 * loss), for runs that should end rather than fail — a hyperparameter search, say. Either way the bad
 * batch's gradients are not applied.
 */
import { optionsSpec } from '../../util/checks.js';
import type { Callback, Logs, TrainingParams, TrainingTarget } from './callback.js';

const OPTIONS = optionsSpec({});

export class TerminateOnNaN implements Callback {
  #model: TrainingTarget | null = null;
  #epoch = 0;
  /** The epoch and batch (0-based) where training was ended, or null. */
  stoppedAt: { epoch: number; batch: number } | null = null;

  constructor(options: Record<string, never> = {}) {
    OPTIONS.parse('TerminateOnNaN', options);
  }

  setContext(model: TrainingTarget, _params: TrainingParams): void {
    this.#model = model;
    this.stoppedAt = null;
  }

  onEpochBegin(epoch: number): void {
    this.#epoch = epoch;
  }

  onBatchEnd(batch: number, logs: Logs): void {
    const loss = logs['loss'];
    if (loss === undefined || Number.isFinite(loss)) return;
    console.log(`Epoch ${this.#epoch + 1}, batch ${batch + 1}: the loss is ${loss}, terminating training`);
    this.stoppedAt = { epoch: this.#epoch, batch };
    this.#model!.stopTraining = true;
  }
}
