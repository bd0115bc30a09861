/**
 * FTRL-Proximal (McMahan et al. 2013), as Keras writes it: per-coordinate rates from the accumulated
 * squared gradients, L1 and L2 penalties applied in closed form (L1 makes weights exactly 0), and an
 * optional L2 shrinkage on the gradient. Keras's defaults: lr 0.001, learningRatePower -0.5, initial
 * accumulator 0.1, l1 = l2 = l2Shrinkage = beta = 0.
 */
import type { Term } from '../backend/expression.js';
import type { SpecFor } from '../util/checks.js';
import { is, optionsSpec } from '../util/checks.js';
import { BASE_OPTION_KEYS } from './base-options.js';
import type { OptimizerOptions, Updates, UpdateTerms } from './optimizer.js';
import { Optimizer } from './optimizer.js';

export interface FtrlOptions extends OptimizerOptions {
  /** How the rate falls with the accumulator: rate ~ accumulator^learningRatePower (<= 0; default -0.5). */
  learningRatePower?: number;
  initialAccumulatorValue?: number;
  l1RegularizationStrength?: number;
  l2RegularizationStrength?: number;
  /** L2 penalty on the weights added to the gradient (shrinks weights toward 0, unlike the L2 above). */
  l2ShrinkageRegularizationStrength?: number;
  beta?: number;
}

const FTRL_OPTIONS = optionsSpec({
  ...BASE_OPTION_KEYS,
  learningRatePower: is.numberIn(-Infinity, 0, '(]').default(-0.5),
  initialAccumulatorValue: is.nonNegative.default(0.1),
  l1RegularizationStrength: is.nonNegative.default(0),
  l2RegularizationStrength: is.nonNegative.default(0),
  l2ShrinkageRegularizationStrength: is.nonNegative.default(0),
  beta: is.nonNegative.default(0),
} satisfies SpecFor<FtrlOptions>);

export class Ftrl extends Optimizer {
  readonly name = 'Ftrl';
  readonly learningRatePower: number;
  readonly initialAccumulatorValue: number;
  readonly l1RegularizationStrength: number;
  readonly l2RegularizationStrength: number;
  readonly l2ShrinkageRegularizationStrength: number;
  readonly beta: number;

  constructor(options: FtrlOptions = {}) {
    const o = FTRL_OPTIONS.parse('Ftrl', options);
    super(options, 0.001);
    this.learningRatePower = o.learningRatePower;
    this.initialAccumulatorValue = o.initialAccumulatorValue;
    this.l1RegularizationStrength = o.l1RegularizationStrength;
    this.l2RegularizationStrength = o.l2RegularizationStrength;
    this.l2ShrinkageRegularizationStrength = o.l2ShrinkageRegularizationStrength;
    this.beta = o.beta;
  }

  protected slotSpecs(): Record<string, number> {
    return { accumulator: this.initialAccumulatorValue, linear: 0 };
  }

  /** accumulator^(-learningRatePower): a square root for the default power, exp/log otherwise. */
  #rateTerm(accumulator: Term): Term {
    const p = -this.learningRatePower;
    return p === 0.5 ? accumulator.sqrt() : p === 0 ? accumulator.mul(0).add(1) : accumulator.log().mul(p).exp();
  }

  /**
   * g' = g + 2*l2Shrinkage*p; accumulator' = accumulator + g^2;
   * linear += g' - (accumulator'^-power - accumulator^-power)/lr * p;
   * quadratic = accumulator'^-power/lr + 2*(l2 + beta/(2 lr)); p = (clip(linear, -l1, l1) - linear)/quadratic.
   */
  protected updateStep({ variable, gradient, slots }: UpdateTerms<'accumulator' | 'linear'>, lr: number): Updates<'accumulator' | 'linear'> {
    const l1 = this.l1RegularizationStrength;
    const l2 = this.l2RegularizationStrength + this.beta / (2 * lr);
    const shrunk = this.l2ShrinkageRegularizationStrength > 0 ? gradient.add(variable.mul(2 * this.l2ShrinkageRegularizationStrength)) : gradient;
    const accumulator = slots.accumulator.add(gradient.square());
    const rate = this.#rateTerm(accumulator);
    const linear = slots.linear.add(shrunk).sub(rate.sub(this.#rateTerm(slots.accumulator)).mul(1 / lr).mul(variable));
    const quadratic = rate.mul(1 / lr).add(2 * l2);
    const next = linear.minimum(l1).maximum(-l1).sub(linear).div(quadratic);
    return { accumulator, linear, variable: next };
  }
}
