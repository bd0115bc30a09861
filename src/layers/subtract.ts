/** Subtract: the first input minus the second (exactly two inputs, of one shape or broadcastable). */
import { sub } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { ValueError } from '../util/errors.js';
import { ElementwiseMerge } from './elementwise-merge.js';
import type { LayerShape } from './layer-shape.js';

export class Subtract extends ElementwiseMerge {
  protected combine(a: Tensor, b: Tensor): Tensor {
    return sub(a, b);
  }

  override computeOutputShape(inputShapes: readonly LayerShape[]): LayerShape {
    if (inputShapes.length !== 2) throw new ValueError(`${this.label}: takes exactly two inputs, received ${inputShapes.length}`);
    return super.computeOutputShape(inputShapes);
  }
}
