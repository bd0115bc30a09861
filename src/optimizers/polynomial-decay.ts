/** A polynomial decay of the learning rate, with Keras's formula and options. */
import type { SpecFor } from '../util/checks.js';
import { is, optionsSpec } from '../util/checks.js';
import { BuiltinSchedule } from './schedules.js';

export interface PolynomialDecayOptions {
  initialLearningRate: number;
  decaySteps: number;
  /** The learning rate after decaySteps (default 0.0001, as Keras). */
  endLearningRate?: number;
  /** The exponent (default 1: linear). */
  power?: number;
  /** Start over after decaySteps, over the next multiple of decaySteps, instead of staying at the end (default false). */
  cycle?: boolean;
}

const OPTIONS = optionsSpec({
  initialLearningRate: is.nonNegative,
  decaySteps: is.positive,
  endLearningRate: is.nonNegative.default(0.0001),
  power: is.positive.default(1),
  cycle: is.boolean.default(false),
} satisfies SpecFor<PolynomialDecayOptions>);

/**
 * (initialLearningRate - endLearningRate) * (1 - step / decaySteps)^power + endLearningRate, constant
 * after decaySteps; with cycle, decaySteps grows to the first multiple of itself at or above the step.
 */
export class PolynomialDecay extends BuiltinSchedule<Required<PolynomialDecayOptions>> {
  readonly className = 'PolynomialDecay';

  constructor(options: PolynomialDecayOptions) {
    super(OPTIONS.parse('PolynomialDecay', options));
  }

  at(step: number): number {
    const { initialLearningRate, decaySteps, endLearningRate, power, cycle } = this.options;
    let steps = decaySteps;
    if (cycle) steps *= step === 0 ? 1 : Math.ceil(step / decaySteps);
    else step = Math.min(step, decaySteps);
    return (initialLearningRate - endLearningRate) * (1 - step / steps) ** power + endLearningRate;
  }
}
