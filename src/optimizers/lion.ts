/**
 * Lion (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms"): the sign of an interpolated
 * momentum, so every coordinate moves by the learning rate. Keras's defaults: lr 0.001, beta1 0.9,
 * beta2 0.99; it wants a learning rate 3-10x smaller than Adam's.
 */
import type { SpecFor } from '../util/checks.js';
import { is, optionsSpec } from '../util/checks.js';
import { BASE_OPTION_KEYS } from './base-options.js';
import type { OptimizerOptions, Updates, UpdateTerms } from './optimizer.js';
import { Optimizer } from './optimizer.js';

export interface LionOptions extends OptimizerOptions {
  beta1?: number;
  beta2?: number;
}

const LION_OPTIONS = optionsSpec({
  ...BASE_OPTION_KEYS,
  beta1: is.numberIn(0, 1, '[]').default(0.9),
  beta2: is.numberIn(0, 1, '[]').default(0.99),
} satisfies SpecFor<LionOptions>);

export class Lion extends Optimizer {
  readonly name = 'Lion';
  readonly beta1: number;
  readonly beta2: number;

  constructor(options: LionOptions = {}) {
    const { beta1, beta2 } = LION_OPTIONS.parse('Lion', options);
    super(options, 0.001);
    this.beta1 = beta1;
    this.beta2 = beta2;
  }

  protected slotSpecs(): Record<string, number> {
    return { m: 0 };
  }

  /** p -= lr * sign(beta1*m + (1-beta1)*g); m = beta2*m + (1-beta2)*g. */
  protected updateStep({ variable, gradient, slots }: UpdateTerms<'m'>, lr: number): Updates<'m'> {
    const direction = slots.m.mul(this.beta1).add(gradient.mul(1 - this.beta1)).sign();
    return { m: slots.m.mul(this.beta2).add(gradient.mul(1 - this.beta2)), variable: variable.sub(direction.mul(lr)) };
  }
}
