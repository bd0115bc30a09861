/**
 * Nadam: Adam with Nesterov momentum (Dozat 2016), with the momentum schedule
 * mu_t = beta1 * (1 - 0.5 * 0.96^(0.004 t)) as the paper, PyTorch and tf.keras 2 write it (Keras 3 drops
 * the 0.004, which makes mu reach beta1 within a few dozen steps). Keras's defaults: lr 0.001, beta1 0.9,
 * beta2 0.999, epsilon 1e-7.
 */
import type { SpecFor } from '../util/checks.js';
import { is, optionsSpec } from '../util/checks.js';
import { BASE_OPTION_KEYS } from './base-options.js';
import type { OptimizerOptions, Updates, UpdateTerms } from './optimizer.js';
import { Optimizer } from './optimizer.js';

export interface NadamOptions extends OptimizerOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

const NADAM_OPTIONS = optionsSpec({
  ...BASE_OPTION_KEYS,
  beta1: is.numberIn(0, 1, '[)').default(0.9),
  beta2: is.numberIn(0, 1, '[)').default(0.999),
  epsilon: is.nonNegative.default(1e-7),
} satisfies SpecFor<NadamOptions>);

export class Nadam extends Optimizer {
  readonly name = 'Nadam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** The product of the momentum schedule over steps 1..step, kept for the next step. */
  #product = { step: 0, value: 1 };

  constructor(options: NadamOptions = {}) {
    const { beta1, beta2, epsilon } = NADAM_OPTIONS.parse('Nadam', options);
    super(options, 0.001);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
  }

  #mu(step: number): number {
    return this.beta1 * (1 - 0.5 * 0.96 ** (0.004 * step));
  }

  /**
   * mu_1 ... mu_t multiplied: Keras keeps it as optimizer state; it is a function of the step count, so
   * it is derived here (again from the start after a restore that moved the count).
   */
  #productThrough(step: number): number {
    if (this.#product.step !== step - 1) this.#product = { step: 0, value: 1 };
    while (this.#product.step < step) this.#product = { step: this.#product.step + 1, value: this.#product.value * this.#mu(this.#product.step + 1) };
    return this.#product.value;
  }

  protected slotSpecs(): Record<string, number> {
    return { m: 0, v: 0 };
  }

  /**
   * m += (g-m)*(1-beta1); v += (g^2-v)*(1-beta2);
   * mHat = mu_{t+1} m / (1 - prod_{t+1}) + (1 - mu_t) g / (1 - prod_t); vHat = v / (1 - beta2^t);
   * p -= lr mHat / (sqrt(vHat) + eps).
   */
  protected updateStep({ variable, gradient, slots }: UpdateTerms<'m' | 'v'>, lr: number): Updates<'m' | 'v'> {
    const t = this.iterations + 1;
    const muT = this.#mu(t), muNext = this.#mu(t + 1);
    const product = this.#productThrough(t), productNext = product * muNext;
    const m = slots.m.add(gradient.sub(slots.m).mul(1 - this.beta1));
    const v = slots.v.add(gradient.square().sub(slots.v).mul(1 - this.beta2));
    const mHat = m.mul(muNext / (1 - productNext)).add(gradient.mul((1 - muT) / (1 - product)));
    const vHat = v.mul(1 / (1 - this.beta2 ** t));
    return { m, v, variable: variable.sub(mHat.mul(lr).div(vHat.sqrt().add(this.epsilon))) };
  }
}
