/** GlobalAveragePooling2D: the mean over height and width of each channel. */
import { globalAvgPool2d } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { GlobalPooling2D } from './global-pooling-2d.js';

export class GlobalAveragePooling2D extends GlobalPooling2D {
  call(x: Tensor): Tensor {
    return globalAvgPool2d(x);
  }
}
