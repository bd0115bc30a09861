/** GlobalAveragePooling3D: the mean over depth, height and width of each channel. */
import { globalAvgPool3d, reshape } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { GlobalPooling3D } from './global-pooling-3d.js';

export class GlobalAveragePooling3D extends GlobalPooling3D {
  call(x: Tensor): Tensor {
    const y = globalAvgPool3d(x);
    return this.keepdims ? reshape(y, [x.shape[0]!, 1, 1, 1, x.shape[4]!]) : y;
  }
}
