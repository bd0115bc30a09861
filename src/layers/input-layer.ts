/** Input: the entry point of a functional model, a symbolic tensor of a given sample shape. */
import type { Tensor } from '../tensor/tensor.js';
import type { DType } from '../util/dtype.js';
import { ValueError, describe } from '../util/errors.js';
import type { CallOptions } from './base-layer.js';
import { BaseLayer } from './base-layer.js';
import type { LayerConfig } from './base-layer.js';
import { checkInputSpec } from './layer.js';
import type { LayerShape } from './layer-shape.js';
import { withUnknownBatch } from './layer-shape.js';
import type { SymbolicTensor } from './base-layer.js';

export interface InputOptions {
  /** Shape of one sample, without the batch axis; null for sizes known only at run time. */
  shape: readonly (number | null)[];
  name?: string;
  dtype?: DType;
}

/** The layer behind Input(): it has no weights and passes its input through, after checking its shape. */
export class InputLayer extends BaseLayer {
  readonly inputDType: DType;

  constructor(options: InputOptions) {
    if ((options as Partial<InputOptions> | undefined)?.shape === undefined) {
      throw new ValueError(`InputLayer: option 'shape' expected the shape of one sample (an array of sizes, null where unknown), received undefined`);
    }
    super({ ...(options.name !== undefined ? { name: options.name } : {}), inputShape: options.shape });
    this.inputDType = options.dtype ?? 'float32';
    // Its one node has no inputs: the symbolic tensor Input() returns.
    this.addNode([], [{ shape: this.batchInputShape!, dtype: this.inputDType }]);
  }

  /** As Keras writes an InputLayer: the batch shape, the input dtype, not sparse. */
  override getConfig(): LayerConfig {
    return { batch_input_shape: [...this.batchInputShape!], dtype: this.inputDType, sparse: false, name: this.name };
  }

  buildFor(): void {}

  outputShapeFor(): LayerShape {
    return this.batchInputShape!;
  }

  invoke(inputs: readonly Tensor[], _options: CallOptions): Tensor {
    const x = inputs[0]!;
    const shape = this.batchInputShape!;
    checkInputSpec(this.label, { rank: shape.length, axes: Object.fromEntries(shape.flatMap((d, i) => (d === null ? [] : [[i, d]]))) }, withUnknownBatch(x.shape));
    return x;
  }
}

/** A symbolic input for `Model({ inputs, outputs })`: `const x = Input({ shape: [28, 28, 1] })`. */
export function Input(options: InputOptions): SymbolicTensor {
  if (typeof options !== 'object' || options === null || !Array.isArray(options.shape)) {
    throw new ValueError(`Input: expected options with a 'shape' array (one sample's shape), received ${describe(options)}`);
  }
  return new InputLayer(options).output;
}
