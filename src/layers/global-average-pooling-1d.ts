/**
 * GlobalAveragePooling1D: the mean over the steps of each channel. With a mask, the mean of the steps it
 * keeps, as Keras computes it; a sequence with no step kept averages to 0 (Keras divides 0 by 0).
 */
import { cast, div, expandDims, maximum, mean, mul, sum } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { GlobalPooling1D } from './global-pooling-1d.js';

export class GlobalAveragePooling1D extends GlobalPooling1D {
  protected pool(x: Tensor, mask: Tensor | null): Tensor {
    const keepdims = this.keepdims;
    if (mask === null) return mean(x, 1, { keepDims: keepdims });
    const weights = expandDims(cast(mask, x.dtype), 2);
    return div(sum(mul(x, weights), 1, { keepDims: keepdims }), maximum(sum(weights, 1, { keepDims: keepdims }), 1));
  }
}
