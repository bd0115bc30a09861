/** AveragePooling1D: the mean of each window of steps (padding excluded from the count, as in Keras). */
import { avgPool1d } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { Pooling1D } from './pooling-1d.js';
import { checkSteps } from './steps.js';

export class AveragePooling1D extends Pooling1D {
  call(x: Tensor): Tensor {
    checkSteps(this.label, x.shape);
    return avgPool1d(x, { poolSize: this.poolSize, strides: this.strides, padding: this.padding });
  }
}
