/** Maximum: the elementwise maximum of its inputs. */
import { maximum } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { ElementwiseMerge } from './elementwise-merge.js';

export class Maximum extends ElementwiseMerge {
  protected combine(a: Tensor, b: Tensor): Tensor {
    return maximum(a, b);
  }
}
