/**
 * LambdaCallback: a callback from functions, as Keras's (any object with hooks is a callback too; this
 * one checks its keys, so a misspelt hook is an error instead of a function that never runs).
 */
import type { SpecFor } from '../../util/checks.js';
import { is, optionsSpec } from '../../util/checks.js';
import type { Callback, Logs } from './callback.js';

type Hook<A extends unknown[]> = (...args: A) => void | Promise<void>;

export interface LambdaCallbackOptions {
  onTrainBegin?: Hook<[logs: Logs]>;
  onTrainEnd?: Hook<[logs: Logs]>;
  onEpochBegin?: Hook<[epoch: number, logs: Logs]>;
  onEpochEnd?: Hook<[epoch: number, logs: Logs]>;
  onBatchBegin?: Hook<[batch: number, logs: Logs]>;
  onBatchEnd?: Hook<[batch: number, logs: Logs]>;
}

const OPTIONS = optionsSpec({
  onTrainBegin: is.func<Hook<[logs: Logs]>>().optional(),
  onTrainEnd: is.func<Hook<[logs: Logs]>>().optional(),
  onEpochBegin: is.func<Hook<[epoch: number, logs: Logs]>>().optional(),
  onEpochEnd: is.func<Hook<[epoch: number, logs: Logs]>>().optional(),
  onBatchBegin: is.func<Hook<[batch: number, logs: Logs]>>().optional(),
  onBatchEnd: is.func<Hook<[batch: number, logs: Logs]>>().optional(),
} satisfies SpecFor<LambdaCallbackOptions>);

export class LambdaCallback implements Callback {
  readonly onTrainBegin?: Hook<[logs: Logs]>;
  readonly onTrainEnd?: Hook<[logs: Logs]>;
  readonly onEpochBegin?: Hook<[epoch: number, logs: Logs]>;
  readonly onEpochEnd?: Hook<[epoch: number, logs: Logs]>;
  readonly onBatchBegin?: Hook<[batch: number, logs: Logs]>;
  readonly onBatchEnd?: Hook<[batch: number, logs: Logs]>;

  constructor(options: LambdaCallbackOptions = {}) {
    const hooks = OPTIONS.parse('LambdaCallback', options);
    this.onTrainBegin = hooks.onTrainBegin;
    this.onTrainEnd = hooks.onTrainEnd;
    this.onEpochBegin = hooks.onEpochBegin;
    this.onEpochEnd = hooks.onEpochEnd;
    this.onBatchBegin = hooks.onBatchBegin;
    this.onBatchEnd = hooks.onBatchEnd;
  }
}
