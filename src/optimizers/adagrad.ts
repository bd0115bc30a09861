/** Adagrad; Keras's defaults: lr 0.001, initial accumulator 0.1, epsilon 1e-7. */
import { ValueError, describe } from '../util/errors.js';
import type { OptimizerOptions, Updates, UpdateTerms } from './optimizer.js';
import { Optimizer } from './optimizer.js';

export interface AdagradOptions extends OptimizerOptions {
  initialAccumulatorValue?: number;
  epsilon?: number;
}

export class Adagrad extends Optimizer {
  readonly name = 'Adagrad';
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;

  constructor(options: AdagradOptions = {}) {
    super(options, 0.001);
    this.initialAccumulatorValue = options.initialAccumulatorValue ?? 0.1;
    if (typeof this.initialAccumulatorValue !== 'number' || !(this.initialAccumulatorValue >= 0)) {
      throw new ValueError(`Adagrad: option 'initialAccumulatorValue' expected a non-negative number, received ${describe(options.initialAccumulatorValue)}`);
    }
    this.epsilon = options.epsilon ?? 1e-7;
  }

  protected slotSpecs(): Record<string, number> {
    return { accumulator: this.initialAccumulatorValue };
  }

  /** accumulator += g^2; p -= lr*g/sqrt(accumulator + eps). */
  protected updateStep({ variable, gradient, slots }: UpdateTerms<'accumulator'>, lr: number): Updates<'accumulator'> {
    const accumulator = slots.accumulator.add(gradient.square());
    return { accumulator, variable: variable.sub(gradient.mul(lr).div(accumulator.add(this.epsilon).sqrt())) };
  }
}
