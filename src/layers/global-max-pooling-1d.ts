/**
 * GlobalMaxPooling1D: the maximum over the steps of each channel. With a mask, over the steps it keeps
 * (a sequence with no step kept gives 0); Keras's ignores the mask and lets padding steps win.
 */
import { cast, expandDims, greater, max, where } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { GlobalPooling1D } from './global-pooling-1d.js';

/** What masked steps become before the maximum: below any value a float32 holds. */
const LOWEST = -3.4028234663852886e38;

export class GlobalMaxPooling1D extends GlobalPooling1D {
  protected pool(x: Tensor, mask: Tensor | null): Tensor {
    const keepDims = this.keepdims;
    if (mask === null) return max(x, 1, { keepDims });
    const steps = expandDims(mask, 2);
    const kept = greater(max(cast(steps, x.dtype), 1, { keepDims }), 0);
    return where(kept, max(where(steps, x, LOWEST), 1, { keepDims }), 0);
  }
}
