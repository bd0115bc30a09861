/** GlobalMaxPooling2D: the maximum over height and width of each channel. */
import { globalMaxPool2d } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { GlobalPooling2D } from './global-pooling-2d.js';

export class GlobalMaxPooling2D extends GlobalPooling2D {
  call(x: Tensor): Tensor {
    return globalMaxPool2d(x);
  }
}
