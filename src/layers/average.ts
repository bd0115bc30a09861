/** Average: the elementwise mean of its inputs (ensembles inside one model). */
import { add, div } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { ElementwiseMerge } from './elementwise-merge.js';

export class Average extends ElementwiseMerge {
  protected combine(a: Tensor, b: Tensor): Tensor {
    return add(a, b);
  }

  override call(inputs: readonly Tensor[]): Tensor {
    return div(super.call(inputs), inputs.length);
  }
}
