/** RMSprop; Keras's defaults: lr 0.001, rho 0.9, momentum 0, epsilon 1e-7, not centered. */
import type { Kernels } from '../backend/kernels.js';
import { fdata } from '../ops/define-op.js';
import type { Variable } from '../tensor/variable.js';
import type { FloatArray } from '../util/dtype.js';
import { ValueError, describe } from '../util/errors.js';
import type { OptimizerOptions } from './optimizer.js';
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

  protected updateStep(grad: FloatArray, variable: Variable, lr: number, k: Kernels): void {
    k.rmspropUpdate(
      fdata(variable), grad, this.slot(variable, 'velocity'),
      this.momentum > 0 ? this.slot(variable, 'momentum') : null,
      this.centered ? this.slot(variable, 'averageGradient') : null,
      lr, this.rho, this.momentum, this.epsilon,
    );
  }
}
