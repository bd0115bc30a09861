/**
 * Adam, and AdamW (Adam with decoupled weight decay). Keras's defaults: lr 0.001, beta1 0.9,
 * beta2 0.999, epsilon 1e-7; AdamW's weight decay 0.004.
 */
import { ValueError, describe } from '../util/errors.js';
import type { OptimizerOptions, Updates, UpdateTerms } from './optimizer.js';
import { Optimizer } from './optimizer.js';

export interface AdamOptions extends OptimizerOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** Use the maximum of past second moments (AMSGrad) (default false). */
  amsgrad?: boolean;
}

function beta(where: string, arg: string, v: number): number {
  if (typeof v !== 'number' || !(v >= 0 && v < 1)) throw new ValueError(`${where}: option '${arg}' expected a number in [0, 1), received ${describe(v)}`);
  return v;
}

export class Adam extends Optimizer {
  readonly name: string = 'Adam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly amsgrad: boolean;

  constructor(options: AdamOptions = {}) {
    super(options, 0.001);
    this.beta1 = beta(this.constructor.name, 'beta1', options.beta1 ?? 0.9);
    this.beta2 = beta(this.constructor.name, 'beta2', options.beta2 ?? 0.999);
    this.epsilon = options.epsilon ?? 1e-7;
    this.amsgrad = options.amsgrad ?? false;
  }

  protected slotSpecs(): Record<string, number> {
    return { m: 0, v: 0, ...(this.amsgrad ? { vHat: 0 } : {}) };
  }

  /**
   * m += (g-m)*(1-beta1); v += (g^2-v)*(1-beta2); with AMSGrad vHat = max(vHat, v) stands in for v;
   * p -= stepSize*m/(sqrt(v)+eps), the bias corrections folded into stepSize = lr*sqrt(1-beta2^t)/(1-beta1^t)
   * as Keras does.
   */
  protected updateStep({ variable, gradient, slots }: UpdateTerms<'m' | 'v' | 'vHat'>, lr: number): Updates<'m' | 'v' | 'vHat'> {
    const t = this.iterations + 1;
    const stepSize = (lr * Math.sqrt(1 - this.beta2 ** t)) / (1 - this.beta1 ** t);
    const m = slots.m.add(gradient.sub(slots.m).mul(1 - this.beta1));
    const v = slots.v.add(gradient.square().sub(slots.v).mul(1 - this.beta2));
    const vHat = this.amsgrad ? slots.vHat.maximum(v) : v;
    const variableNext = variable.sub(m.mul(stepSize).div(vHat.sqrt().add(this.epsilon)));
    return this.amsgrad ? { m, v, vHat, variable: variableNext } : { m, v, variable: variableNext };
  }
}

export class AdamW extends Adam {
  override readonly name = 'AdamW';

  constructor(options: AdamOptions = {}) {
    super({ ...options, weightDecay: options.weightDecay ?? 0.004 });
  }
}
