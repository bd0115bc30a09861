/** AveragePooling3D: the mean of each window of an NDHWC input (padding excluded, as in Keras). */
import { avgPool3d } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { Pooling3D } from './pooling3d.js';

export class AveragePooling3D extends Pooling3D {
  call(x: Tensor): Tensor {
    return avgPool3d(x, { poolSize: this.poolSize, strides: this.strides, padding: this.padding });
  }
}
