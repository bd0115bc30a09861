/**
 * Adadelta (Zeiler 2012): step sizes from running averages of squared gradients and squared updates.
 * Keras's defaults: lr 0.001, rho 0.95, epsilon 1e-7.
 */
import type { SpecFor } from '../util/checks.js';
import { is, optionsSpec } from '../util/checks.js';
import { BASE_OPTION_KEYS } from './base-options.js';
import type { OptimizerOptions, Updates, UpdateTerms } from './optimizer.js';
import { Optimizer } from './optimizer.js';

export interface AdadeltaOptions extends OptimizerOptions {
  rho?: number;
  epsilon?: number;
}

const ADADELTA_OPTIONS = optionsSpec({
  ...BASE_OPTION_KEYS,
  rho: is.numberIn(0, 1, '[)').default(0.95),
  epsilon: is.nonNegative.default(1e-7),
} satisfies SpecFor<AdadeltaOptions>);

type Slot = 'accumulatedGrad' | 'accumulatedDelta';

export class Adadelta extends Optimizer {
  readonly name = 'Adadelta';
  readonly rho: number;
  readonly epsilon: number;

  constructor(options: AdadeltaOptions = {}) {
    const { rho, epsilon } = ADADELTA_OPTIONS.parse('Adadelta', options);
    super(options, 0.001);
    this.rho = rho;
    this.epsilon = epsilon;
  }

  protected slotSpecs(): Record<string, number> {
    return { accumulatedGrad: 0, accumulatedDelta: 0 };
  }

  /**
   * accumulatedGrad = rho*accumulatedGrad + (1-rho)*g^2;
   * delta = -sqrt(accumulatedDelta + eps) / sqrt(accumulatedGrad + eps) * g;
   * accumulatedDelta = rho*accumulatedDelta + (1-rho)*delta^2; p += lr*delta.
   */
  protected updateStep({ variable, gradient, slots }: UpdateTerms<Slot>, lr: number): Updates<Slot> {
    const { rho, epsilon } = this;
    const accumulatedGrad = slots.accumulatedGrad.mul(rho).add(gradient.square().mul(1 - rho));
    const delta = slots.accumulatedDelta.add(epsilon).sqrt().div(accumulatedGrad.add(epsilon).sqrt()).mul(gradient).neg();
    const accumulatedDelta = slots.accumulatedDelta.mul(rho).add(delta.square().mul(1 - rho));
    return { accumulatedGrad, accumulatedDelta, variable: variable.add(delta.mul(lr)) };
  }
}
