/**
 * Learning-rate schedules: the learning rate as a function of the optimizer's step count. The library's
 * schedules carry Keras's class name and config, so a saved training config records them (schedule-config.ts).
 */
import type { SpecFor } from '../util/checks.js';
import { checkArg, is, optionsSpec } from '../util/checks.js';
import { ValueError, describe } from '../util/errors.js';
import type { JsonObject } from '../util/json.js';
import { snakeCase } from '../util/names.js';

export interface LearningRateSchedule {
  readonly name: string;
  /** The learning rate at `step` (0 for the first update). */
  at(step: number): number;
}

/** A schedule of the library: Keras's class name and config (the options in snake_case, and the name). */
export abstract class BuiltinSchedule<O extends object> implements LearningRateSchedule {
  abstract readonly className: string;
  /** The options with their defaults filled in. */
  constructor(readonly options: Readonly<O>) {}

  get name(): string {
    return this.className;
  }

  abstract at(step: number): number;

  getConfig(): JsonObject {
    const config: JsonObject = {};
    for (const [key, value] of Object.entries(this.options)) config[snakeCase(key)] = value === undefined ? null : (value as number | boolean | number[]);
    return { ...config, name: this.name };
  }
}

export interface ExponentialDecayOptions {
  initialLearningRate: number;
  decaySteps: number;
  decayRate: number;
  /** Decay in whole intervals of decaySteps instead of continuously (default false). */
  staircase?: boolean;
}

const DECAY_OPTIONS = optionsSpec({
  initialLearningRate: is.nonNegative,
  decaySteps: is.positive,
  decayRate: is.positive,
  staircase: is.boolean.default(false),
} satisfies SpecFor<ExponentialDecayOptions>);

/** initialLearningRate * decayRate ^ (step / decaySteps) (the exponent floored when staircase). */
export class ExponentialDecay extends BuiltinSchedule<Required<ExponentialDecayOptions>> {
  readonly className = 'ExponentialDecay';

  constructor(options: ExponentialDecayOptions) {
    super(DECAY_OPTIONS.parse('ExponentialDecay', options));
  }

  get initialLearningRate(): number {
    return this.options.initialLearningRate;
  }
  get decaySteps(): number {
    return this.options.decaySteps;
  }
  get decayRate(): number {
    return this.options.decayRate;
  }
  get staircase(): boolean {
    return this.options.staircase;
  }

  at(step: number): number {
    const { initialLearningRate, decaySteps, decayRate, staircase } = this.options;
    const p = step / decaySteps;
    return initialLearningRate * decayRate ** (staircase ? Math.floor(p) : p);
  }
}

export interface InverseTimeDecayOptions extends ExponentialDecayOptions {}

/** initialLearningRate / (1 + decayRate * step / decaySteps) (the ratio floored when staircase). */
export class InverseTimeDecay extends BuiltinSchedule<Required<InverseTimeDecayOptions>> {
  readonly className = 'InverseTimeDecay';

  constructor(options: InverseTimeDecayOptions) {
    super(DECAY_OPTIONS.parse('InverseTimeDecay', options));
  }

  at(step: number): number {
    const { initialLearningRate, decaySteps, decayRate, staircase } = this.options;
    const p = step / decaySteps;
    return initialLearningRate / (1 + decayRate * (staircase ? Math.floor(p) : p));
  }
}

/** values[i] while step <= boundaries[i] (and the last value after the last boundary), as in Keras. */
export class PiecewiseConstantDecay extends BuiltinSchedule<{ boundaries: number[]; values: number[] }> {
  readonly className = 'PiecewiseConstantDecay';

  constructor(boundaries: readonly number[], values: readonly number[]) {
    const where = 'PiecewiseConstantDecay';
    const b = checkArg(where, 'boundaries', boundaries, is.arrayOf(is.finite).where((v) => v.every((x, i) => i === 0 || x > v[i - 1]!), 'increasing finite numbers'));
    const v = checkArg(where, 'values', values, is.arrayOf(is.nonNegative));
    if (v.length !== b.length + 1) {
      throw new ValueError(`${where}: expected one more value than boundaries, received ${describe(boundaries)} and ${describe(values)}`);
    }
    super({ boundaries: b, values: v });
  }

  get boundaries(): readonly number[] {
    return this.options.boundaries;
  }
  get values(): readonly number[] {
    return this.options.values;
  }

  at(step: number): number {
    const i = this.options.boundaries.findIndex((b) => step <= b);
    return this.options.values[i === -1 ? this.options.values.length - 1 : i]!;
  }
}
