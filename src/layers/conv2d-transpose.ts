/**
 * Conv2DTranspose: the transposed 2-D convolution (sometimes called deconvolution) that decoders use to
 * upsample, NHWC, with a [kH, kW, filters, inChannels] kernel as in Keras. With strides s and padding
 * "same" the output is s times the input; `outputPadding` picks among the sizes a strided convolution maps
 * back to the same input.
 */
import type { ConstraintIdentifier } from '../nn/constraints.js';
import type { Constraint } from '../nn/constraints.js';
import type { Initializer, InitializerIdentifier } from '../nn/initializers.js';
import type { Regularizer, RegularizerIdentifier } from '../nn/regularizers.js';
import { conv2dTranspose } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import { is, optionsSpec } from '../util/checks.js';
import type { SpecFor } from '../util/checks.js';
import { transposedOutputSize, tuple } from '../util/conv-geometry.js';
import type { LayerConfig } from './base-layer.js';
import type { ConfigReader } from './config.js';
import { constraintConfig, initializerConfig, regularizerConfig } from './config.js';
import type { ConvBaseOptions } from './conv-base.js';
import { ConvBase, convBaseChecks } from './conv-base.js';
import type { Window } from './layer-options.js';
import { constraintId, initializerId, isNull, outputPadding2, regularizerId, window2 } from './layer-options.js';
import type { LayerShape } from './layer-shape.js';

export interface Conv2DTransposeOptions extends ConvBaseOptions<Window> {
  filters: number;
  /** Extra rows and columns at the bottom and right (each smaller than its stride); null for Keras's default size. */
  outputPadding?: Window | null;
  kernelInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier;
  kernelConstraint?: ConstraintIdentifier;
}

const OPTIONS = optionsSpec({
  ...convBaseChecks(window2),
  filters: is.positiveInteger,
  outputPadding: outputPadding2.or(isNull).optional(),
  kernelInitializer: initializerId.optional(),
  kernelRegularizer: regularizerId.optional(),
  kernelConstraint: constraintId.optional(),
} satisfies SpecFor<Conv2DTransposeOptions>);

export class Conv2DTranspose extends ConvBase {
  readonly filters: number;
  readonly outputPadding: number[] | null;
  readonly kernelInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  #kernel: Variable | null = null;

  constructor(options: Conv2DTransposeOptions) {
    super(options, 2, OPTIONS);
    const o = OPTIONS.parse(this.label, options);
    this.filters = o.filters;
    this.outputPadding = o.outputPadding === null || o.outputPadding === undefined ? null : tuple(this.label, 'outputPadding', o.outputPadding, 2, 0);
    this.kernelInitializer = this.initializerOption(o.kernelInitializer, 'glorotUniform', 'kernelInitializer');
    this.kernelRegularizer = this.regularizerOption(o.kernelRegularizer, 'kernelRegularizer');
    this.kernelConstraint = this.constraintOption(o.kernelConstraint, 'kernelConstraint');
  }

  override build(inputShape: LayerShape): void {
    const channels = this.channels(inputShape);
    this.#kernel = this.addWeight({
      name: 'kernel', shape: [...this.kernelSize, this.filters, channels],
      initializer: this.kernelInitializer, regularizer: this.kernelRegularizer, constraint: this.kernelConstraint,
    });
    this.addBias(this.filters);
    this.inputSpec = { rank: 4, axes: { [-1]: channels } };
  }

  call(x: Tensor): Tensor {
    return this.finish(conv2dTranspose(x, this.#kernel!, {
      strides: [this.strides[0]!, this.strides[1]!], padding: this.padding, dilations: [this.dilationRate[0]!, this.dilationRate[1]!], outputPadding: this.outputPadding ? [this.outputPadding[0]!, this.outputPadding[1]!] : null,
    }));
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    this.channels(inputShape);
    const sizes = inputShape.slice(1, 3).map((d, i) =>
      d === null || d === undefined ? null : transposedOutputSize(d, this.kernelSize[i]!, this.strides[i]!, this.padding, this.dilationRate[i]!, this.outputPadding?.[i] ?? null),
    );
    return [inputShape[0] ?? null, ...sizes, this.filters];
  }

  override getConfig(): LayerConfig {
    const label = this.label;
    return {
      filters: this.filters,
      output_padding: this.outputPadding ? [...this.outputPadding] : null,
      kernel_initializer: initializerConfig(this.kernelInitializer, label, 'kernelInitializer'),
      kernel_regularizer: regularizerConfig(this.kernelRegularizer, label, 'kernelRegularizer'),
      kernel_constraint: constraintConfig(this.kernelConstraint, label, 'kernelConstraint'),
      ...super.getConfig(),
    };
  }

  static fromConfig(c: ConfigReader): Conv2DTranspose {
    const outputPadding = c.get('output_padding');
    return new Conv2DTranspose({
      ...ConvBase.readBase(c, 2),
      filters: c.integer('filters'),
      outputPadding: outputPadding === undefined || outputPadding === null ? null : c.intOrTuple('output_padding', 2),
      kernelInitializer: c.initializer('kernel_initializer'),
      kernelRegularizer: c.regularizer('kernel_regularizer'),
      kernelConstraint: c.constraint('kernel_constraint'),
    });
  }
}
