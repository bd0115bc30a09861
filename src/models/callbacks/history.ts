/** History: every epoch's logs, returned by fit (`history.history.loss`, `history.history.val_accuracy`). */
import type { Callback, Logs, TrainingParams, TrainingTarget } from './callback.js';

export class History implements Callback {
  /** The epochs run (0-based). */
  readonly epoch: number[] = [];
  /** One array per metric, one value per epoch. */
  readonly history: Record<string, number[]> = {};
  params: TrainingParams | null = null;

  setContext(_model: TrainingTarget, params: TrainingParams): void {
    this.params = params;
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    this.epoch.push(epoch);
    for (const [key, value] of Object.entries(logs)) (this.history[key] ??= []).push(value);
  }
}
