/**
 * EarlyStopping: stops training when the monitored value has not improved for `patience` epochs, and
 * optionally puts back the weights of the best epoch.
 */
import type { Tensor } from '../../tensor/tensor.js';
import { ValueError, describe } from '../../util/errors.js';
import type { Callback, Logs, TrainingParams, TrainingTarget } from './callback.js';
import type { MonitorMode } from './monitor.js';
import { Monitor } from './monitor.js';

export interface EarlyStoppingOptions {
  /** Default 'val_loss'. */
  monitor?: string;
  /** The smallest change that counts as an improvement (default 0). */
  minDelta?: number;
  /** Epochs without improvement before stopping (default 0). */
  patience?: number;
  mode?: MonitorMode;
  /** A value the monitored metric must beat for training to continue. */
  baseline?: number;
  /** Restore the weights of the best epoch when stopping (default false). */
  restoreBestWeights?: boolean;
  /** Epochs to wait before watching at all (default 0). */
  startFromEpoch?: number;
  /** Print a line when stopping (default false). */
  verbose?: boolean;
}

export class EarlyStopping implements Callback {
  readonly monitor: Monitor;
  readonly patience: number;
  readonly baseline: number | null;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  readonly verbose: boolean;
  /** The epoch at which training was stopped, or null. */
  stoppedEpoch: number | null = null;
  bestEpoch = 0;
  best = Infinity;
  #wait = 0;
  #bestWeights: Tensor[] | null = null;
  #model: TrainingTarget | null = null;

  constructor(options: EarlyStoppingOptions = {}) {
    this.monitor = new Monitor('EarlyStopping', options.monitor ?? 'val_loss', options.mode ?? 'auto', options.minDelta ?? 0);
    this.patience = options.patience ?? 0;
    if (!Number.isInteger(this.patience) || this.patience < 0) {
      throw new ValueError(`EarlyStopping: option 'patience' expected a non-negative integer, received ${describe(options.patience)}`);
    }
    this.baseline = options.baseline ?? null;
    this.restoreBestWeights = options.restoreBestWeights ?? false;
    this.startFromEpoch = options.startFromEpoch ?? 0;
    this.verbose = options.verbose ?? false;
  }

  setContext(model: TrainingTarget, _params: TrainingParams): void {
    this.#model = model;
  }

  onTrainBegin(): void {
    this.#wait = 0;
    this.stoppedEpoch = null;
    this.best = this.monitor.worst;
    this.bestEpoch = 0;
    this.#bestWeights = null;
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    const current = this.monitor.read(logs);
    if (current === undefined) {
      console.warn(this.monitor.missing('EarlyStopping', logs));
      return;
    }
    if (epoch < this.startFromEpoch) return;
    const model = this.#model!;
    if (this.restoreBestWeights && this.#bestWeights === null) this.#bestWeights = model.getWeights();
    this.#wait++;
    if (this.monitor.improves(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) this.#bestWeights = model.getWeights();
      // Improving on the last best is not enough while the baseline is not reached.
      if (this.baseline === null || this.monitor.improves(current, this.baseline)) this.#wait = 0;
      return;
    }
    if (this.#wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      model.stopTraining = true;
      if (this.restoreBestWeights && this.#bestWeights) {
        if (this.verbose) console.log(`Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.`);
        model.setWeights(this.#bestWeights);
      }
    }
  }

  onTrainEnd(): void {
    if (this.stoppedEpoch !== null && this.verbose) console.log(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
  }
}
