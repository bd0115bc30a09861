/** MaxPooling3D: the maximum of each window of an NDHWC input. */
import { maxPool3d } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { Pooling3D } from './pooling3d.js';

export class MaxPooling3D extends Pooling3D {
  call(x: Tensor): Tensor {
    return maxPool3d(x, { poolSize: this.poolSize, strides: this.strides, padding: this.padding });
  }
}
