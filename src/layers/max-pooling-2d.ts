/** MaxPooling2D: the maximum of each window of an NHWC input. */
import { maxPool2d } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { Pooling2D } from './pooling2d.js';

export class MaxPooling2D extends Pooling2D {
  call(x: Tensor): Tensor {
    return maxPool2d(x, { poolSize: this.poolSize, strides: this.strides, padding: this.padding });
  }
}
