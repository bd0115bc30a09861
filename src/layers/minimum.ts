/** Minimum: the elementwise minimum of its inputs. */
import { minimum } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { ElementwiseMerge } from './elementwise-merge.js';

export class Minimum extends ElementwiseMerge {
  protected combine(a: Tensor, b: Tensor): Tensor {
    return minimum(a, b);
  }
}
