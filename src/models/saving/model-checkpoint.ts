/**
 * ModelCheckpoint: saves the model at the end of every epoch, only when a monitored value improves, or
 * every N batches (`saveFreq`, Keras's save_freq), into one folder that a kill at any moment leaves
 * loadable (see checkpoint-files.ts). By default the checkpoint carries the training state — with, in the
 * middle of an epoch, the place in the data — so `fit(x, y, { resumeFrom: path })` continues the run.
 */
import { checkOption, is } from '../../util/checks.js';
import { ValueError, describe } from '../../util/errors.js';
import type { Callback, Logs, TrainingParams, TrainingTarget } from '../callbacks/callback.js';
import type { MonitorMode } from '../callbacks/monitor.js';
import { Monitor } from '../callbacks/monitor.js';
import type { SavedModel } from './checkpoint-target.js';
import { savedModel } from './checkpoint-target.js';
import { unlockCheckpoint, writeCheckpoint } from './checkpoint-files.js';

export interface ModelCheckpointOptions {
  /** The checkpoint's folder: model.json and its weights file, in the TensorFlow.js Layers format. */
  path: string;
  /** Save only when the monitored value beats the best so far (default false: every epoch). */
  saveBestOnly?: boolean;
  /** The logged value saveBestOnly watches (default 'val_loss'). */
  monitor?: string;
  mode?: MonitorMode;
  /** Save the optimizer's state, the epoch and the random generator's position too (default true). */
  includeTrainingState?: boolean;
  /** Print a line for each save (default false). */
  verbose?: boolean;
  /** 'epoch' (default): save at the end of every epoch; a number N: save after every N batches, mid-epoch too. */
  saveFreq?: 'epoch' | number;
}

export class ModelCheckpoint implements Callback {
  readonly path: string;
  readonly saveBestOnly: boolean;
  readonly monitor: Monitor;
  readonly includeTrainingState: boolean;
  readonly verbose: boolean;
  readonly saveFreq: 'epoch' | number;
  /** The best monitored value so far (saveBestOnly). */
  best: number;
  #model: SavedModel | null = null;
  #batches = 0;
  #epoch = 0;

  constructor(options: ModelCheckpointOptions) {
    if (typeof options !== 'object' || options === null || typeof options.path !== 'string' || options.path === '') {
      throw new ValueError(`ModelCheckpoint: expected options with a 'path' (the checkpoint folder), received ${describe(options)}`);
    }
    this.path = options.path;
    this.saveBestOnly = options.saveBestOnly ?? false;
    this.monitor = new Monitor('ModelCheckpoint', options.monitor ?? 'val_loss', options.mode ?? 'auto', 0);
    this.includeTrainingState = options.includeTrainingState ?? true;
    this.verbose = options.verbose ?? false;
    this.saveFreq = checkOption('ModelCheckpoint', 'saveFreq', options.saveFreq ?? 'epoch', is.oneOf(['epoch'] as const).or(is.positiveInteger));
    if (this.saveFreq !== 'epoch' && this.saveBestOnly) {
      throw new ValueError(`ModelCheckpoint: option 'saveBestOnly' compares epochs' logs, so it needs saveFreq 'epoch', received saveFreq ${this.saveFreq}`);
    }
    this.best = this.monitor.worst;
  }

  setContext(model: TrainingTarget, _params: TrainingParams): void {
    this.#model = savedModel(model, 'ModelCheckpoint');
  }

  /** A resumed run's history already holds the earlier epochs: the best among them still counts. */
  onTrainBegin(): void {
    this.#batches = 0;
    this.best = this.monitor.worst;
    for (const value of this.#model?.history?.history[this.monitor.key] ?? []) {
      if (this.monitor.improves(value, this.best)) this.best = value;
    }
  }

  onEpochBegin(epoch: number): void {
    this.#epoch = epoch;
  }

  /** Another process may checkpoint to the folder once this run is over. */
  onTrainEnd(): void {
    unlockCheckpoint(this.path);
  }

  onBatchEnd(batch: number): void {
    if (this.saveFreq === 'epoch' || ++this.#batches % this.saveFreq !== 0) return;
    if (this.verbose) console.log(`Epoch ${this.#epoch + 1}, batch ${batch + 1}: saving the model to ${this.path}`);
    writeCheckpoint(this.path, this.#model!.toArtifacts({ includeTrainingState: this.includeTrainingState }));
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    if (this.saveFreq !== 'epoch') return;
    if (this.saveBestOnly) {
      const current = this.monitor.read(logs);
      if (current === undefined) {
        console.warn(this.monitor.missing('ModelCheckpoint', logs));
        return;
      }
      if (!this.monitor.improves(current, this.best)) return;
      if (this.verbose) console.log(`Epoch ${epoch + 1}: ${this.monitor.key} improved from ${this.best} to ${current}, saving the model to ${this.path}`);
      this.best = current;
    } else if (this.verbose) {
      console.log(`Epoch ${epoch + 1}: saving the model to ${this.path}`);
    }
    writeCheckpoint(this.path, this.#model!.toArtifacts({ includeTrainingState: this.includeTrainingState }));
  }
}
