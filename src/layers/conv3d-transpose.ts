/**
 * Conv3DTranspose: the transposed 3-D convolution, NDHWC, with a [kD, kH, kW, filters, inChannels] kernel
 * as in Keras; with strides s and padding "same" each spatial size is multiplied by s.
 */
import type { Constraint, ConstraintIdentifier } from '../nn/constraints.js';
import type { Initializer, InitializerIdentifier } from '../nn/initializers.js';
import type { Regularizer, RegularizerIdentifier } from '../nn/regularizers.js';
import { conv3dTranspose } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import type { SpecFor } from '../util/checks.js';
import { is, optionsSpec } from '../util/checks.js';
import { transposedOutputSize, tuple } from '../util/conv-geometry.js';
import type { LayerConfig } from './base-layer.js';
import type { ConfigReader } from './config.js';
import { constraintConfig, initializerConfig, regularizerConfig } from './config.js';
import type { ConvBaseOptions } from './conv-base.js';
import { ConvBase, convBaseChecks } from './conv-base.js';
import type { Window } from './layer-options.js';
import { constraintId, initializerId, isNull, outputPadding3, regularizerId, window3 } from './layer-options.js';
import type { LayerShape } from './layer-shape.js';

export interface Conv3DTransposeOptions extends ConvBaseOptions<Window> {
  filters: number;
  /** Extra planes, rows and columns after the output (each smaller than its stride); null for Keras's default size. */
  outputPadding?: Window | null;
  kernelInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier;
  kernelConstraint?: ConstraintIdentifier;
}

const OPTIONS = optionsSpec({
  ...convBaseChecks(window3),
  filters: is.positiveInteger,
  outputPadding: outputPadding3.or(isNull).optional(),
  kernelInitializer: initializerId.optional(),
  kernelRegularizer: regularizerId.optional(),
  kernelConstraint: constraintId.optional(),
} satisfies SpecFor<Conv3DTransposeOptions>);

export class Conv3DTranspose extends ConvBase {
  readonly filters: number;
  readonly outputPadding: number[] | null;
  readonly kernelInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  #kernel: Variable | null = null;

  constructor(options: Conv3DTransposeOptions) {
    super(options, 3, OPTIONS);
    const o = OPTIONS.parse(this.label, options);
    this.filters = o.filters;
    this.outputPadding = o.outputPadding === null || o.outputPadding === undefined ? null : tuple(this.label, 'outputPadding', o.outputPadding, 3, 0);
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
    this.inputSpec = { rank: 5, axes: { [-1]: channels } };
  }

  call(x: Tensor): Tensor {
    const [sd, sh, sw] = this.strides as [number, number, number], [dd, dh, dw] = this.dilationRate as [number, number, number];
    const p = this.outputPadding;
    return this.finish(conv3dTranspose(x, this.#kernel!, {
      strides: [sd, sh, sw], padding: this.padding, dilations: [dd, dh, dw], outputPadding: p ? [p[0]!, p[1]!, p[2]!] : null,
    }));
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    this.channels(inputShape);
    const sizes = inputShape.slice(1, 4).map((d, i) =>
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

  static fromConfig(c: ConfigReader): Conv3DTranspose {
    const outputPadding = c.get('output_padding');
    return new Conv3DTranspose({
      ...ConvBase.readBase(c, 3),
      filters: c.integer('filters'),
      outputPadding: outputPadding === undefined || outputPadding === null ? null : c.intOrTuple('output_padding', 3),
      kernelInitializer: c.initializer('kernel_initializer'),
      kernelRegularizer: c.regularizer('kernel_regularizer'),
      kernelConstraint: c.constraint('kernel_constraint'),
    });
  }
}
