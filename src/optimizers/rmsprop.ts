/** RMSprop; Keras's defaults: lr 0.001, rho 0.9, momentum 0, epsilon 1e-7, not centered. */
import { ValueError, describe } from '../util/errors.js';
import type { OptimizerOptions, Updates, UpdateTerms } from './optimizer.js';
import { Optimizer } from './optimizer.js';

export interface RMSpropOptions extends OptimizerOptions {
  rho?: number;
  momentum?: number;
  epsilon?: number;
  /** Normalise by the variance of the gradient instead of its second moment (default false). */
  centered?: boolean;
}

function inUnit(where: string, arg: string, v: number): number {
  if (typeof v !== 'number' || !(v >= 0 && v < 1)) throw new ValueError(`${where}: option '${arg}' expected a number in [0, 1), received ${describe(v)}`);
  return v;
}

type Slot = 'velocity' | 'momentum' | 'averageGradient';

export class RMSprop extends Optimizer {
  readonly name = 'RMSprop';
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;

  constructor(options: RMSpropOptions = {}) {
    super(options, 0.001);
    this.rho = inUnit('RMSprop', 'rho', options.rho ?? 0.9);
    this.momentum = inUnit('RMSprop', 'momentum', options.momentum ?? 0);
    this.epsilon = options.epsilon ?? 1e-7;
    this.centered = options.centered ?? false;
  }

  protected slotSpecs(): Record<string, number> {
    return {
      velocity: 0,
      ...(this.momentum > 0 ? { momentum: 0 } : {}),
      ...(this.centered ? { averageGradient: 0 } : {}),
    };
  }

  /**
   * velocity = rho*velocity + (1-rho)*g^2; denominator = velocity + eps, less averageGradient^2 when
   * centered (averageGradient = rho*averageGradient + (1-rho)*g); increment = lr*g/sqrt(denominator);
   * with momentum: momentum = momentum*momentum + increment, p -= momentum; else p -= increment.
   */
  protected updateStep({ variable, gradient, slots }: UpdateTerms<Slot>, lr: number): Updates<Slot> {
    const { rho } = this;
    const velocity = slots.velocity.mul(rho).add(gradient.square().mul(1 - rho));
    let denominator = velocity.add(this.epsilon);
    let averageGradient;
    if (this.centered) {
      averageGradient = slots.averageGradient.mul(rho).add(gradient.mul(1 - rho));
      denominator = denominator.sub(averageGradient.square());
    }
    const increment = gradient.mul(lr).div(denominator.sqrt());
    if (this.momentum === 0) return { velocity, ...(averageGradient && { averageGradient }), variable: variable.sub(increment) };
    const momentum = slots.momentum.mul(this.momentum).add(increment);
    return { velocity, ...(averageGradient && { averageGradient }), momentum, variable: variable.sub(momentum) };
  }
}
