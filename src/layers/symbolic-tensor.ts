/**
 * Symbolic tensors describe data that does not exist yet: `Input({ shape })` makes one, and applying a
 * layer to one records a node of the graph and returns the symbolic output. `Model({ inputs, outputs })`
 * walks these nodes back from its outputs.
 */
import type { DType } from '../util/dtype.js';
import type { BaseLayer } from './base-layer.js';

/** A shape whose batch axis (and possibly others) is unknown until data arrives: [null, 28, 28, 1]. */
export type LayerShape = readonly (number | null)[];

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
  ) {}

  get rank(): number {
    return this.shape.length;
  }

  toString(): string {
    return `SymbolicTensor ${this.dtype} ${formatLayerShape(this.shape)} from '${this.node.layer.name}'`;
  }
}

/** Shapes as Keras prints them: (None, 26, 26, 32). */
export function formatLayerShape(shape: LayerShape): string {
  const dims = shape.map((d) => (d === null ? 'None' : String(d)));
  return `(${dims.join(', ')}${dims.length === 1 ? ',' : ''})`;
}

/** A concrete shape read as a layer shape: the batch axis becomes unknown. */
export function withUnknownBatch(shape: readonly number[]): LayerShape {
  return shape.length === 0 ? [] : [null, ...shape.slice(1)];
}

/** Text for messages: [null, 28, 28, 1]. */
export function fmtLayerShape(shape: LayerShape): string {
  return `[${shape.map((d) => (d === null ? 'null' : String(d))).join(', ')}]`;
}
