/**
 * History: every epoch's logs, returned by fit (`history.history.loss`, `history.history.val_accuracy`),
 * and what they say about the run: the best epoch, and the epoch where overfitting started.
 */
import type { Callback, Logs, TrainingParams, TrainingPosition, TrainingTarget } from './callback.js';
import { ValueError, describe } from '../../util/errors.js';
import { Monitor } from './monitor.js';

export interface BestEpoch {
  /** The epoch, as counted in `History.epoch`. */
  epoch: number;
  value: number;
}

export interface OverfittingOptions {
  /** The validation value to watch (default 'val_loss'). */
  monitor?: string;
  /**
   * How much worse than its best the last value must be, relative to the best, to count as overfitting
   * rather than noise (default 0.02: 2%).
   */
  tolerance?: number;
}

export class History implements Callback {
  /** The epochs run (0-based). */
  readonly epoch: number[] = [];
  /** One array per metric, one value per epoch. */
  readonly history: Record<string, number[]> = {};
  params: TrainingParams | null = null;
  /**
   * The epoch whose onEpochEnd callbacks are running, with its logs (fit sets it). History records it after
   * them, since they may still change the logs; a checkpoint saved meanwhile counts it as done.
   */
  ending: { epoch: number; logs: Logs } | null = null;
  /** Where the run stands, updated by fit after every batch and at every epoch's end. */
  position: TrainingPosition | null = null;

  setContext(_model: TrainingTarget, params: TrainingParams): void {
    this.params = params;
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    this.epoch.push(epoch);
    for (const [key, value] of Object.entries(logs)) (this.history[key] ??= []).push(value);
    this.ending = null;
  }

  /**
   * The epoch with the best value of `monitor` (default 'val_loss'): the lowest for losses, the highest
   * for accuracy-like metrics; the first of equal ones. Null when the history does not have it.
   */
  bestEpoch(monitor = 'val_loss'): BestEpoch | null {
    const m = new Monitor('History.bestEpoch', monitor, 'auto', 0);
    const values = this.history[m.key];
    if (!values || values.length === 0) return null;
    let best = 0;
    values.forEach((v, i) => {
      if (m.improves(v, values[best]!)) best = i;
    });
    return { epoch: this.epoch[best]!, value: values[best]! };
  }

  /**
   * The epoch where overfitting started: the one after the best validation value, when the validation
   * value ended worse than its best (by more than the tolerance) while the training value kept improving.
   * Null while validation is near its best, when the run has no validation, or when the training value
   * got worse too (that is unstable training, not overfitting).
   */
  overfittingStart(options: OverfittingOptions = {}): number | null {
    const where = 'History.overfittingStart';
    const tolerance = options.tolerance ?? 0.02;
    if (typeof tolerance !== 'number' || !(tolerance >= 0)) throw new ValueError(`${where}: option 'tolerance' expected a non-negative number, received ${describe(options.tolerance)}`);
    const best = this.bestEpoch(options.monitor ?? 'val_loss');
    const m = new Monitor(where, options.monitor ?? 'val_loss', 'auto', tolerance * Math.abs(best?.value ?? 0));
    const values = this.history[m.key];
    if (!best || !values) return null;
    const at = this.epoch.indexOf(best.epoch);
    const last = values.length - 1;
    if (at === last || !m.improves(best.value, values[last]!)) return null;
    const training = this.history[m.key.replace(/^val_/, '')];
    if (training && training !== values && !m.improves(training[last]!, training[at]!)) return null;
    return this.epoch[at + 1]!;
  }
}
