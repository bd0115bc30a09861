/** ReduceLROnPlateau: multiplies the learning rate by `factor` when the monitored value stops improving. */
import { ValueError, describe } from '../../util/errors.js';
import type { Callback, Logs, TrainingParams, TrainingTarget } from './callback.js';
import type { MonitorMode } from './monitor.js';
import { Monitor } from './monitor.js';

export interface ReduceLROnPlateauOptions {
  /** Default 'val_loss'. */
  monitor?: string;
  /** New rate = rate * factor (default 0.1). */
  factor?: number;
  /** Epochs without improvement before reducing (default 10). */
  patience?: number;
  mode?: MonitorMode;
  /** The smallest change that counts as an improvement (default 1e-4). */
  minDelta?: number;
  /** Epochs to wait after a reduction before watching again (default 0). */
  cooldown?: number;
  /** The rate is never reduced below this (default 0). */
  minLr?: number;
  /** Print a line at each reduction (default false). */
  verbose?: boolean;
}

export class ReduceLROnPlateau implements Callback {
  readonly monitor: Monitor;
  readonly factor: number;
  readonly patience: number;
  readonly cooldown: number;
  readonly minLr: number;
  readonly verbose: boolean;
  #best = Infinity;
  #wait = 0;
  #cooldownLeft = 0;
  #model: TrainingTarget | null = null;

  constructor(options: ReduceLROnPlateauOptions = {}) {
    const where = 'ReduceLROnPlateau';
    this.monitor = new Monitor(where, options.monitor ?? 'val_loss', options.mode ?? 'auto', options.minDelta ?? 1e-4);
    this.factor = options.factor ?? 0.1;
    if (typeof this.factor !== 'number' || !(this.factor > 0 && this.factor < 1)) {
      throw new ValueError(`${where}: option 'factor' expected a number in (0, 1), received ${describe(options.factor)}`);
    }
    this.patience = options.patience ?? 10;
    this.cooldown = options.cooldown ?? 0;
    this.minLr = options.minLr ?? 0;
    this.verbose = options.verbose ?? false;
  }

  setContext(model: TrainingTarget, _params: TrainingParams): void {
    this.#model = model;
  }

  onTrainBegin(): void {
    this.#best = this.monitor.worst;
    this.#wait = 0;
    this.#cooldownLeft = 0;
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    const current = this.monitor.read(logs);
    if (current === undefined) {
      console.warn(this.monitor.missing('ReduceLROnPlateau', logs));
      return;
    }
    const optimizer = this.#model?.optimizer;
    if (!optimizer) return;
    if (this.#cooldownLeft > 0) {
      this.#cooldownLeft--;
      this.#wait = 0;
    }
    if (this.monitor.improves(current, this.#best)) {
      this.#best = current;
      this.#wait = 0;
      return;
    }
    if (this.#cooldownLeft > 0) return;
    this.#wait++;
    if (this.#wait < this.patience) return;
    const old = optimizer.learningRate;
    const next = Math.max(old * this.factor, this.minLr);
    if (next >= old) return;
    optimizer.learningRate = next;
    if (this.verbose) console.log(`Epoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${next}.`);
    this.#cooldownLeft = this.cooldown;
    this.#wait = 0;
  }
}
