/**
 * The callback interface of fit: hooks at the start and end of training, of each epoch and of each batch.
 * Hooks may be async. `logs` hold the running metrics (`loss`, `accuracy`, and `val_*` at epoch end).
 */
import type { Optimizer } from '../../optimizers/index.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { JsonObject } from '../../util/json.js';

export type Logs = Record<string, number>;

/** What fit tells callbacks about the run. */
export interface TrainingParams {
  epochs: number;
  /** The first epoch to run; a callback that restores a run (fit's resumeFrom) moves it in onTrainBegin. */
  initialEpoch: number;
  /** Batches per epoch; null while not known (a Dataset of unknown size, until its first epoch ends). */
  steps: number | null;
  /** Samples per epoch, when known (arrays). */
  samples: number | null;
  batchSize: number;
  verbose: 0 | 1 | 2;
  /**
   * Where the first epoch starts, when a restoring callback (fit's resumeFrom) continues a run saved in
   * the middle of an epoch: the batches of it already done and the place in the data.
   */
  resume: { step: number; data: JsonObject | null } | null;
}

/** Where a run stands: what a checkpoint taken now continues from. */
export interface TrainingPosition {
  /** The epoch training is in (after an epoch's end, the next one). */
  epoch: number;
  /** The batches of that epoch done. */
  step: number;
  /** The place in the data (null: the epoch starts its data afresh). */
  data: JsonObject | null;
  /** Milliseconds this epoch spent waiting for data. */
  waitedMs: number;
}

/** The parts of a model that callbacks use. */
export interface TrainingTarget {
  /** Set to true to end training after the current batch. */
  stopTraining: boolean;
  /** The run's History, with where the run stands (fit keeps it up to date). */
  readonly history: { readonly position: TrainingPosition | null } | null;
  readonly optimizer: Optimizer | null;
  getWeights(): Tensor[];
  setWeights(values: readonly Tensor[]): void;
}

type Hook<A extends unknown[]> = (...args: A) => void | Promise<void>;

export interface Callback {
  /**
   * True for a callback that restores a run in onTrainBegin (BackupAndRestore): fit calls it before the
   * others, so that they start from the restored state (the first epoch, the history).
   */
  readonly restoresTraining?: boolean;
  /** Called by fit before training starts. */
  setContext?(model: TrainingTarget, params: TrainingParams): void;
  onTrainBegin?: Hook<[logs: Logs]>;
  onTrainEnd?: Hook<[logs: Logs]>;
  onEpochBegin?: Hook<[epoch: number, logs: Logs]>;
  onEpochEnd?: Hook<[epoch: number, logs: Logs]>;
  onBatchBegin?: Hook<[batch: number, logs: Logs]>;
  onBatchEnd?: Hook<[batch: number, logs: Logs]>;
  /** Releases what the callback holds (a terminal progress bar); called when training ends or fails. */
  close?(): void;
}

type HookName = 'onTrainBegin' | 'onTrainEnd' | 'onEpochBegin' | 'onEpochEnd' | 'onBatchBegin' | 'onBatchEnd';

/** Calls a hook on every callback in order, awaiting only the hooks that return promises. */
export class CallbackList {
  constructor(readonly callbacks: readonly Callback[]) {}

  setContext(model: TrainingTarget, params: TrainingParams): void {
    for (const c of this.callbacks) c.setContext?.(model, params);
  }

  async call(hook: 'onTrainBegin' | 'onTrainEnd', logs: Logs): Promise<void>;
  async call(hook: Exclude<HookName, 'onTrainBegin' | 'onTrainEnd'>, index: number, logs: Logs): Promise<void>;
  async call(hook: HookName, a: number | Logs, b?: Logs): Promise<void> {
    for (const c of this.callbacks) {
      const fn = c[hook] as ((a: number | Logs, b?: Logs) => void | Promise<void>) | undefined;
      if (!fn) continue;
      const result = fn.call(c, a, b);
      if (result instanceof Promise) await result;
    }
  }

  close(): void {
    for (const c of this.callbacks) c.close?.();
  }
}
