/**
 * Embedding: token indices [batch, timesteps] to vectors [batch, timesteps, outputDim], one learned row
 * per index. With `maskZero`, index 0 is padding: the layer attaches a mask (true where the index is not
 * 0) that recurrent layers and losses after it respect, so inputDim must count the padding index.
 */
import type { Initializer, InitializerIdentifier } from '../nn/initializers.js';
import type { Regularizer, RegularizerIdentifier } from '../nn/regularizers.js';
import { cast, gather, notEqual } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { storage } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import type { DType } from '../util/dtype.js';
import { is, optionsSpec } from '../util/checks.js';
import type { SpecFor } from '../util/checks.js';
import { ShapeError, ValueError, fmtShape } from '../util/errors.js';
import type { LayerConfig, LayerOptions } from './base-layer.js';
import type { ConfigReader } from './config.js';
import { initializerConfig, regularizerConfig } from './config.js';
import { Layer } from './layer.js';
import { LAYER_OPTIONS, check, preLabel } from './layer-options.js';
import type { LayerShape } from './layer-shape.js';
import { fmtLayerShape } from './layer-shape.js';

export interface EmbeddingOptions extends LayerOptions {
  /** How many indices there are (the largest index + 1, the padding index 0 included). */
  inputDim: number;
  /** The size of each vector. */
  outputDim: number;
  /** Default randomUniform in [-0.05, 0.05], as Keras. */
  embeddingsInitializer?: InitializerIdentifier;
  embeddingsRegularizer?: RegularizerIdentifier | null;
  /** Index 0 is padding: attach a mask that later layers skip (default false). */
  maskZero?: boolean;
  /**
   * The length of the sequences (TensorFlow.js's option): the layer's input shape when no inputShape is
   * given, and the length its inputs must have. Several numbers for inputs of several axes.
   */
  inputLength?: number | readonly number[];
}

const SPEC = optionsSpec({
  ...LAYER_OPTIONS,
  inputDim: is.positiveInteger,
  outputDim: is.positiveInteger,
  embeddingsInitializer: check.initializer.optional(),
  embeddingsRegularizer: check.regularizer.or(is.satisfying<null>('null', (v): v is null => v === null)).optional(),
  maskZero: is.boolean.optional(),
  inputLength: is.positiveInteger.or(is.arrayOf(is.positiveInteger, { minLength: 1 })).optional(),
} satisfies SpecFor<EmbeddingOptions>);

export class Embedding extends Layer {
  readonly inputDim: number;
  readonly outputDim: number;
  readonly embeddingsInitializer: Initializer;
  readonly embeddingsRegularizer: Regularizer | null;
  readonly maskZero: boolean;
  readonly inputLength: readonly number[] | null;
  #embeddings: Variable | null = null;

  constructor(options: EmbeddingOptions) {
    const o = SPEC.parse(preLabel(new.target.name, options), options);
    const inputLength = o.inputLength === undefined ? null : typeof o.inputLength === 'number' ? [o.inputLength] : o.inputLength;
    super({ ...o, ...(o.inputShape === undefined && inputLength ? { inputShape: inputLength } : {}) });
    this.inputDim = o.inputDim;
    this.outputDim = o.outputDim;
    this.embeddingsInitializer = this.initializerOption(o.embeddingsInitializer, 'randomUniform', 'embeddingsInitializer');
    this.embeddingsRegularizer = this.regularizerOption(o.embeddingsRegularizer, 'embeddingsRegularizer');
    this.maskZero = o.maskZero ?? false;
    this.inputLength = inputLength;
  }

  get embeddings(): Variable | null {
    return this.#embeddings;
  }

  override build(_inputShape: LayerShape): void {
    this.#embeddings = this.addWeight({
      name: 'embeddings', shape: [this.inputDim, this.outputDim], initializer: this.embeddingsInitializer, regularizer: this.embeddingsRegularizer,
    });
  }

  call(x: Tensor): Tensor {
    this.#checkLength(x.shape);
    return gather(this.#embeddings!, this.#indices(x), 0);
  }

  /** True where the index is not the padding index 0 (with maskZero), else none. */
  override computeMask(inputs: readonly Tensor[]): Tensor | null {
    return this.maskZero ? notEqual(inputs[0]!, 0) : null;
  }

  /** Indices in, vectors out: the output is in the layer's float dtype. */
  protected override outputDType(): DType {
    return this.dtype;
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    this.#checkLength(inputShape);
    const shape = this.inputLength ? [inputShape[0] ?? null, ...this.inputLength] : inputShape;
    return [...shape, this.outputDim];
  }

  /** The indices as int32, each checked to be a whole number in [0, inputDim). */
  #indices(x: Tensor): Tensor {
    const values = storage(x);
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (!(v >= 0 && v < this.inputDim && Number.isInteger(v))) {
        throw new ValueError(
          `${this.label}: argument 'x' expected token indices, whole numbers in [0, ${this.inputDim - 1}] (inputDim ${this.inputDim}), received ${v} at position ${i} of shape ${fmtShape(x.shape)}`,
        );
      }
    }
    return x.dtype === 'int32' ? x : cast(x, 'int32');
  }

  #checkLength(shape: LayerShape): void {
    const length = this.inputLength;
    if (!length) return;
    const ok = shape.length === length.length + 1 && length.every((d, i) => shape[i + 1] === null || shape[i + 1] === d);
    if (!ok) throw new ShapeError(`${this.label}: expected input of shape [batch, ${length.join(', ')}] (option 'inputLength'), received ${fmtLayerShape(shape)}`);
  }

  override getConfig(): LayerConfig {
    const label = this.label;
    return {
      input_dim: this.inputDim,
      output_dim: this.outputDim,
      embeddings_initializer: initializerConfig(this.embeddingsInitializer, label, 'embeddingsInitializer'),
      embeddings_regularizer: regularizerConfig(this.embeddingsRegularizer, label, 'embeddingsRegularizer'),
      embeddings_constraint: null,
      mask_zero: this.maskZero,
      input_length: this.inputLength ? (this.inputLength.length === 1 ? this.inputLength[0]! : [...this.inputLength]) : null,
      ...super.getConfig(),
    };
  }

  static fromConfig(c: ConfigReader): Embedding {
    const length = c.get('input_length');
    const initializer = c.initializer('embeddings_initializer');
    const regularizer = c.regularizer('embeddings_regularizer');
    return new Embedding({
      ...c.base(),
      inputDim: c.integer('input_dim'),
      outputDim: c.integer('output_dim'),
      maskZero: c.boolean('mask_zero', false),
      ...(initializer ? { embeddingsInitializer: initializer } : {}),
      ...(regularizer ? { embeddingsRegularizer: regularizer } : {}),
      ...(length === undefined || length === null ? {} : { inputLength: typeof length === 'number' ? c.integer('input_length') : c.shape('input_length').map((d) => d ?? 0) }),
    });
  }
}
