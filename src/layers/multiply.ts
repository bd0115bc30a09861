/** Multiply: the elementwise product of its inputs (gating, attention masks). */
import { mul } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { ElementwiseMerge } from './elementwise-merge.js';

export class Multiply extends ElementwiseMerge {
  protected combine(a: Tensor, b: Tensor): Tensor {
    return mul(a, b);
  }
}
