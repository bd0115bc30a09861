/** MaxPooling1D: the maximum of each window of steps of a [batch, steps, channels] input. */
import { maxPool1d } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { Pooling1D } from './pooling-1d.js';
import { checkSteps } from './steps.js';

export class MaxPooling1D extends Pooling1D {
  call(x: Tensor): Tensor {
    checkSteps(this.label, x.shape);
    return maxPool1d(x, { poolSize: this.poolSize, strides: this.strides, padding: this.padding });
  }
}
