/** The base of layers that combine several inputs (Add, Concatenate) in functional models; they combine masks too. */
import { logicalAnd } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { ValueError, describe } from '../util/errors.js';
import type { CallOptions } from './base-layer.js';
import { BaseLayer } from './base-layer.js';
import type { LayerShape } from './layer-shape.js';
import { withUnknownBatch } from './layer-shape.js';
import { SymbolicTensor } from './base-layer.js';

export abstract class MergeLayer extends BaseLayer {
  override supportsMasking = true;
  abstract call(inputs: readonly Tensor[], options: CallOptions): Tensor;
  abstract computeOutputShape(inputShapes: readonly LayerShape[]): LayerShape;

  /** Runs the layer on tensors, or records it on symbolic tensors (functional models). */
  apply(inputs: readonly Tensor[], options?: CallOptions): Tensor;
  apply(inputs: readonly SymbolicTensor[]): SymbolicTensor;
  apply(inputs: readonly (Tensor | SymbolicTensor)[], options: CallOptions = {}): Tensor | SymbolicTensor {
    if (!Array.isArray(inputs) || inputs.length < 2) {
      throw new ValueError(`${this.label}: expected an array of at least two inputs, received ${describe(inputs)}`);
    }
    if (inputs.every((x): x is SymbolicTensor => x instanceof SymbolicTensor)) {
      const shapes = inputs.map((x) => x.shape);
      this.buildFor(shapes);
      return this.addNode(inputs, [{ shape: this.computeOutputShape(shapes), dtype: inputs[0]!.dtype }])[0]!;
    }
    if (inputs.some((x) => x instanceof SymbolicTensor)) {
      throw new ValueError(`${this.label}: expected all inputs symbolic or all concrete tensors, received a mix`);
    }
    return this.invoke(inputs as readonly Tensor[], options);
  }

  buildFor(inputShapes: readonly LayerShape[]): void {
    this.ensureBuilt(() => undefined);
    this.computeOutputShape(inputShapes);
  }

  outputShapeFor(inputShapes: readonly LayerShape[]): LayerShape {
    return this.computeOutputShape(inputShapes);
  }

  /**
   * A timestep is kept where every input that has a mask keeps it (Keras's merge layers, and TensorFlow.js's);
   * no mask when no input has one.
   */
  override computeMask(_inputs: readonly Tensor[], masks: readonly (Tensor | null)[]): Tensor | null {
    const present = masks.filter((m): m is Tensor => m !== null);
    return present.length === 0 ? null : present.slice(1).reduce((a, m) => logicalAnd(a, m), present[0]!);
  }

  invoke(inputs: readonly Tensor[], options: CallOptions): Tensor {
    this.buildFor(inputs.map((x) => withUnknownBatch(x.shape)));
    const y = this.call(inputs, options);
    this.recordActivity(y, options);
    return y;
  }
}
