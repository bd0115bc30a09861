/** Learning-rate schedules: the learning rate as a function of the optimizer's step count. */
import { ValueError, describe } from '../util/errors.js';

export interface LearningRateSchedule {
  readonly name: string;
  /** The learning rate at `step` (0 for the first update). */
  at(step: number): number;
}

function positive(where: string, arg: string, v: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new ValueError(`${where}: option '${arg}' expected a positive number, received ${describe(v)}`);
  return v;
}

export interface ExponentialDecayOptions {
  initialLearningRate: number;
  decaySteps: number;
  decayRate: number;
  /** Decay in whole intervals of decaySteps instead of continuously (default false). */
  staircase?: boolean;
}

/** initialLearningRate * decayRate ^ (step / decaySteps) (the exponent floored when staircase). */
export class ExponentialDecay implements LearningRateSchedule {
  readonly name = 'ExponentialDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;

  constructor(options: ExponentialDecayOptions) {
    const where = 'ExponentialDecay';
    this.initialLearningRate = positive(where, 'initialLearningRate', options.initialLearningRate);
    this.decaySteps = positive(where, 'decaySteps', options.decaySteps);
    this.decayRate = positive(where, 'decayRate', options.decayRate);
    this.staircase = options.staircase ?? false;
  }

  at(step: number): number {
    const p = step / this.decaySteps;
    return this.initialLearningRate * this.decayRate ** (this.staircase ? Math.floor(p) : p);
  }
}

export interface InverseTimeDecayOptions extends ExponentialDecayOptions {}

/** initialLearningRate / (1 + decayRate * step / decaySteps) (the ratio floored when staircase). */
export class InverseTimeDecay implements LearningRateSchedule {
  readonly name = 'InverseTimeDecay';
  readonly #options: Required<InverseTimeDecayOptions>;

  constructor(options: InverseTimeDecayOptions) {
    const where = 'InverseTimeDecay';
    this.#options = {
      initialLearningRate: positive(where, 'initialLearningRate', options.initialLearningRate),
      decaySteps: positive(where, 'decaySteps', options.decaySteps),
      decayRate: positive(where, 'decayRate', options.decayRate),
      staircase: options.staircase ?? false,
    };
  }

  at(step: number): number {
    const { initialLearningRate, decaySteps, decayRate, staircase } = this.#options;
    const p = step / decaySteps;
    return initialLearningRate / (1 + decayRate * (staircase ? Math.floor(p) : p));
  }
}

/** values[i] while step <= boundaries[i] (and the last value after the last boundary), as in Keras. */
export class PiecewiseConstantDecay implements LearningRateSchedule {
  readonly name = 'PiecewiseConstantDecay';

  constructor(
    readonly boundaries: readonly number[],
    readonly values: readonly number[],
  ) {
    if (!Array.isArray(boundaries) || !Array.isArray(values) || values.length !== boundaries.length + 1) {
      throw new ValueError(
        `PiecewiseConstantDecay: expected one more value than boundaries, received ${describe(boundaries)} and ${describe(values)}`,
      );
    }
    values.forEach((v, i) => positive('PiecewiseConstantDecay', `values[${i}]`, v));
    if (boundaries.some((b, i) => i > 0 && b <= boundaries[i - 1]!)) {
      throw new ValueError(`PiecewiseConstantDecay: argument 'boundaries' expected increasing numbers, received ${describe(boundaries)}`);
    }
  }

  at(step: number): number {
    const i = this.boundaries.findIndex((b) => step <= b);
    return this.values[i === -1 ? this.values.length - 1 : i]!;
  }
}
