/** Stochastic gradient descent with optional (Nesterov) momentum; Keras's defaults: lr 0.01, momentum 0. */
import { ValueError, describe } from '../util/errors.js';
import type { OptimizerOptions, Updates, UpdateTerms } from './optimizer.js';
import { Optimizer } from './optimizer.js';

export interface SGDOptions extends OptimizerOptions {
  momentum?: number;
  nesterov?: boolean;
}

export class SGD extends Optimizer {
  readonly name = 'SGD';
  readonly momentum: number;
  readonly nesterov: boolean;

  constructor(options: SGDOptions = {}) {
    super(options, 0.01);
    this.momentum = options.momentum ?? 0;
    if (typeof this.momentum !== 'number' || !(this.momentum >= 0 && this.momentum <= 1)) {
      throw new ValueError(`SGD: option 'momentum' expected a number in [0, 1], received ${describe(options.momentum)}`);
    }
    this.nesterov = options.nesterov ?? false;
  }

  protected slotSpecs(): Record<string, number> {
    return this.momentum > 0 ? { momentum: 0 } : {};
  }

  /** v = momentum*v - lr*g; p += nesterov ? momentum*v - lr*g : v. Without momentum: p -= lr*g. */
  protected updateStep({ variable, gradient, slots }: UpdateTerms<'momentum'>, lr: number): Updates<'momentum'> {
    const step = gradient.mul(lr);
    if (this.momentum === 0) return { variable: variable.sub(step) };
    const momentum = slots.momentum.mul(this.momentum).sub(step);
    const change = this.nesterov ? momentum.mul(this.momentum).sub(step) : momentum;
    return { momentum, variable: variable.add(change) };
  }
}
