/** Stochastic gradient descent with optional (Nesterov) momentum; Keras's defaults: lr 0.01, momentum 0. */
import type { Kernels } from '../backend/kernels.js';
import { fdata } from '../ops/define-op.js';
import type { Variable } from '../tensor/variable.js';
import type { FloatArray } from '../util/dtype.js';
import { ValueError, describe } from '../util/errors.js';
import type { OptimizerOptions } from './optimizer.js';
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

  protected updateStep(grad: FloatArray, variable: Variable, lr: number, k: Kernels): void {
    const velocity = this.momentum > 0 ? this.slot(variable, 'momentum') : null;
    k.sgdUpdate(fdata(variable), grad, velocity, lr, this.momentum, this.nesterov);
  }
}
