/**
 * ModelCheckpoint: saves the model at the end of every epoch, or only when a monitored value improves,
 * into one folder that a kill at any moment leaves loadable (see checkpoint-files.ts). By default
 * the checkpoint carries the training state, so `fit(x, y, { resumeFrom: path })` continues the run.
 */
import { ValueError, describe } from '../../util/errors.js';
import type { Callback, Logs, TrainingParams, TrainingTarget } from '../callbacks/callback.js';
import type { MonitorMode } from '../callbacks/monitor.js';
import { Monitor } from '../callbacks/monitor.js';
import type { SavedModel } from './checkpoint-target.js';
import { savedModel } from './checkpoint-target.js';
import { writeCheckpoint } from './checkpoint-files.js';

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
}

export class ModelCheckpoint implements Callback {
  readonly path: string;
  readonly saveBestOnly: boolean;
  readonly monitor: Monitor;
  readonly includeTrainingState: boolean;
  readonly verbose: boolean;
  /** The best monitored value so far (saveBestOnly). */
  best: number;
  #model: SavedModel | null = null;

  constructor(options: ModelCheckpointOptions) {
    if (typeof options !== 'object' || options === null || typeof options.path !== 'string' || options.path === '') {
      throw new ValueError(`ModelCheckpoint: expected options with a 'path' (the checkpoint folder), received ${describe(options)}`);
    }
    this.path = options.path;
    this.saveBestOnly = options.saveBestOnly ?? false;
    this.monitor = new Monitor('ModelCheckpoint', options.monitor ?? 'val_loss', options.mode ?? 'auto', 0);
    this.includeTrainingState = options.includeTrainingState ?? true;
    this.verbose = options.verbose ?? false;
    this.best = this.monitor.worst;
  }

  setContext(model: TrainingTarget, _params: TrainingParams): void {
    this.#model = savedModel(model, 'ModelCheckpoint');
  }

  /** A resumed run's history already holds the earlier epochs: the best among them still counts. */
  onTrainBegin(): void {
    this.best = this.monitor.worst;
    for (const value of this.#model?.history?.history[this.monitor.key] ?? []) {
      if (this.monitor.improves(value, this.best)) this.best = value;
    }
  }

  onEpochEnd(epoch: number, logs: Logs): void {
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
