/**
 * Adamax, Adam's variant on the infinity norm (Kingma & Ba, section 7.1). Keras's defaults: lr 0.001,
 * beta1 0.9, beta2 0.999, epsilon 1e-7.
 */
import type { SpecFor } from '../util/checks.js';
import { is, optionsSpec } from '../util/checks.js';
import { BASE_OPTION_KEYS } from './base-options.js';
import type { OptimizerOptions, Updates, UpdateTerms } from './optimizer.js';
import { Optimizer } from './optimizer.js';

export interface AdamaxOptions extends OptimizerOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

const ADAMAX_OPTIONS = optionsSpec({
  ...BASE_OPTION_KEYS,
  beta1: is.numberIn(0, 1, '[)').default(0.9),
  beta2: is.numberIn(0, 1, '[)').default(0.999),
  epsilon: is.nonNegative.default(1e-7),
} satisfies SpecFor<AdamaxOptions>);

export class Adamax extends Optimizer {
  readonly name = 'Adamax';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(options: AdamaxOptions = {}) {
    const { beta1, beta2, epsilon } = ADAMAX_OPTIONS.parse('Adamax', options);
    super(options, 0.001);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
  }

  protected slotSpecs(): Record<string, number> {
    return { m: 0, u: 0 };
  }

  /** m += (g-m)*(1-beta1); u = max(beta2*u, |g|); p -= lr/(1-beta1^t) * m/(u+eps). */
  protected updateStep({ variable, gradient, slots }: UpdateTerms<'m' | 'u'>, lr: number): Updates<'m' | 'u'> {
    const t = this.iterations + 1;
    const m = slots.m.add(gradient.sub(slots.m).mul(1 - this.beta1));
    const u = slots.u.mul(this.beta2).maximum(gradient.abs());
    return { m, u, variable: variable.sub(m.mul(lr / (1 - this.beta1 ** t)).div(u.add(this.epsilon))) };
  }
}
