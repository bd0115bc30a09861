/** AveragePooling2D: the mean of each window of an NHWC input (padding excluded, as in Keras). */
import { avgPool2d } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { Pooling2D } from './pooling2d.js';

export class AveragePooling2D extends Pooling2D {
  call(x: Tensor): Tensor {
    return avgPool2d(x, { poolSize: this.poolSize, strides: this.strides, padding: this.padding });
  }
}
