/**
 * Symbolic tensors describe data that does not exist yet: `Input({ shape })` makes one, and applying a
 * layer to one records a node of the graph and returns the symbolic output. `Model({ inputs, outputs })`
 * walks these nodes back from its outputs.
 */
import type { DType } from '../util/dtype.js';
import type { BaseLayer } from './base-layer.js';
import type { LayerShape } from './layer-shape.js';
import { formatLayerShape } from './layer-shape.js';

/** One application of a layer to symbolic inputs. */
export interface LayerNode {
  readonly layer: BaseLayer;
  readonly inputs: readonly SymbolicTensor[];
}

export class SymbolicTensor {
  constructor(
    readonly shape: LayerShape,
    readonly dtype: DType,
    /** The layer application that produces this tensor. */
    readonly node: LayerNode,
    /** Which output of the node it is (a recurrent layer with `returnState` has its states after its output). */
    readonly index = 0,
  ) {}

  get rank(): number {
    return this.shape.length;
  }

  toString(): string {
    return `SymbolicTensor ${this.dtype} ${formatLayerShape(this.shape)} from '${this.node.layer.name}'${this.index > 0 ? ` (output ${this.index})` : ''}`;
  }
}
