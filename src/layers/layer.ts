/**
 * The base of single-input layers. A layer declares `build(inputShape)` (its weights, through addWeight),
 * `call(x, { training })` (the maths) and `computeOutputShape`; `apply` builds it lazily from the first
 * input, checks inputs against what the layer was built for, and works on tensors and symbolic tensors.
 */
import { toTensor } from '../tensor/creation.js';
import type { TensorLike } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import type { DType } from '../util/dtype.js';
import { ShapeError, ValueError, describe } from '../util/errors.js';
import type { CallOptions } from './base-layer.js';
import { BaseLayer } from './base-layer.js';
import type { LayerShape } from './layer-shape.js';
import { fmtLayerShape } from './layer-shape.js';
import { SymbolicTensor } from './base-layer.js';

/** What a built layer accepts: a rank (exact or minimum) and sizes of given axes (negative from the end). */
export interface InputSpec {
  rank?: number;
  minRank?: number;
  axes?: Readonly<Record<number, number>>;
}

/** Checks `shape` against `spec`; the message names the layer, what it expected and what it received. */
export function checkInputSpec(label: string, spec: InputSpec, shape: LayerShape): void {
  const received = `received shape ${fmtLayerShape(shape)}`;
  if (spec.rank !== undefined && shape.length !== spec.rank) {
    throw new ShapeError(`${label}: expected input of rank ${spec.rank}${spec.rank === 4 ? ' [batch, height, width, channels]' : ''}, ${received}`);
  }
  if (spec.minRank !== undefined && shape.length < spec.minRank) {
    throw new ShapeError(`${label}: expected input of rank at least ${spec.minRank}, ${received}`);
  }
  for (const [key, size] of Object.entries(spec.axes ?? {})) {
    const axis = Number(key);
    const dim = shape[axis < 0 ? shape.length + axis : axis];
    if (dim !== null && dim !== size) {
      const which = axis === -1 ? 'last dimension' : `dimension ${axis}`;
      throw new ShapeError(`${label}: expected input with ${which} ${size}, ${received}`);
    }
  }
}

export abstract class Layer extends BaseLayer {
  /** Set by build: what later inputs must look like. */
  protected inputSpec: InputSpec | null = null;

  /** Creates the weights for inputs of `inputShape` (the batch size may be null). Layers without weights keep this. */
  build(_inputShape: LayerShape): void {}

  /** The layer's computation on a batch. */
  abstract call(x: Tensor, options: CallOptions): Tensor;

  /** The output shape for an input shape (identity unless overridden). */
  computeOutputShape(inputShape: LayerShape): LayerShape {
    return inputShape;
  }

  /** Runs the layer on a tensor, or records it on a symbolic tensor (functional models). */
  apply(x: TensorLike, options?: CallOptions): Tensor;
  apply(x: SymbolicTensor): SymbolicTensor;
  apply(x: TensorLike | SymbolicTensor, options: CallOptions = {}): Tensor | SymbolicTensor {
    if (x instanceof SymbolicTensor) {
      this.buildFor([x.shape]);
      return this.addNode([x], [{ shape: this.computeOutputShape(x.shape), dtype: this.outputDType(x.dtype) }])[0]!;
    }
    return this.invoke([toTensor(this.label, 'x', x)], options);
  }

  /** The dtype of the output for an input of `dtype` (the same; an Embedding turns indices into floats). */
  protected outputDType(dtype: DType): DType {
    return dtype;
  }

  /**
   * Records a node on symbolic inputs as a saved model lists them and returns every output of it; a
   * recurrent layer also takes its initial states and gives its states.
   */
  connect(inputs: readonly SymbolicTensor[]): SymbolicTensor[] {
    if (inputs.length !== 1) throw new ValueError(`${this.label}: takes one input, but the model file gives it ${inputs.length}`);
    return [this.apply(inputs[0]!)];
  }

  buildFor(inputShapes: readonly LayerShape[]): void {
    const shape = this.#single(inputShapes);
    this.ensureBuilt(() => this.build(shape));
    if (this.inputSpec) checkInputSpec(this.label, this.inputSpec, shape);
  }

  outputShapeFor(inputShapes: readonly LayerShape[]): LayerShape {
    return this.computeOutputShape(this.#single(inputShapes));
  }

  invoke(inputs: readonly Tensor[], options: CallOptions): Tensor {
    const x = inputs[0];
    if (inputs.length !== 1 || !(x instanceof Tensor)) {
      throw new ValueError(`${this.label}: expected one input tensor, received ${describe(inputs)}`);
    }
    this.ensureBuilt(() => this.build(x.shape));
    if (this.inputSpec) checkInputSpec(this.label, this.inputSpec, x.shape);
    const y = this.call(x, options);
    this.recordActivity(y, options);
    return y;
  }

  #single(inputShapes: readonly LayerShape[]): LayerShape {
    if (inputShapes.length !== 1) {
      throw new ValueError(`${this.label}: takes one input, received ${inputShapes.length} (${inputShapes.map(fmtLayerShape).join(', ')})`);
    }
    return inputShapes[0]!;
  }
}

/** The size of the last axis, required known: weights are sized by it. */
export function lastDimension(label: string, shape: LayerShape): number {
  const d = shape[shape.length - 1];
  if (d === undefined || d === null) {
    throw new ShapeError(`${label}: the last dimension of the input must be known to create the weights, received shape ${fmtLayerShape(shape)}`);
  }
  return d;
}
