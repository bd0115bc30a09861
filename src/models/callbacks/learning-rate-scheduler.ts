/**
 * LearningRateScheduler: at the start of every epoch, sets the optimizer's learning rate to
 * `schedule(epoch, currentLearningRate)`, as Keras's; the epoch's logs record it as `learning_rate`.
 * (For a rate that changes every step, give the optimizer a schedule such as CosineDecay instead.)
 */
import type { SpecFor } from '../../util/checks.js';
import { checkArg, is, optionsSpec } from '../../util/checks.js';
import { ValueError, describe } from '../../util/errors.js';
import type { Callback, Logs, TrainingParams, TrainingTarget } from './callback.js';

export type EpochSchedule = (epoch: number, learningRate: number) => number;

export interface LearningRateSchedulerOptions {
  /** Print a line whenever the learning rate is set (default false). */
  verbose?: boolean;
}

const OPTIONS = optionsSpec({ verbose: is.boolean.default(false) } satisfies SpecFor<LearningRateSchedulerOptions>);

export class LearningRateScheduler implements Callback {
  readonly schedule: EpochSchedule;
  readonly verbose: boolean;
  #model: TrainingTarget | null = null;

  constructor(schedule: EpochSchedule, options: LearningRateSchedulerOptions = {}) {
    this.schedule = checkArg('LearningRateScheduler', 'schedule', schedule, is.func<EpochSchedule>());
    this.verbose = OPTIONS.parse('LearningRateScheduler', options).verbose;
  }

  setContext(model: TrainingTarget, _params: TrainingParams): void {
    this.#model = model;
  }

  onEpochBegin(epoch: number): void {
    const optimizer = this.#model?.optimizer;
    if (!optimizer) throw new ValueError('LearningRateScheduler: the model has no optimizer; compile it first');
    const lr = this.schedule(epoch, optimizer.learningRate);
    if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0) {
      throw new ValueError(`LearningRateScheduler: the schedule must return a non-negative finite number, returned ${describe(lr)} for epoch ${epoch}`);
    }
    optimizer.learningRate = lr;
    if (this.verbose) console.log(`Epoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${lr}.`);
  }

  onEpochEnd(_epoch: number, logs: Logs): void {
    const optimizer = this.#model?.optimizer;
    if (optimizer) logs['learning_rate'] = optimizer.learningRate;
  }
}
