/**
 * Conv3D: 3-D convolution over NDHWC volumes (video, medical scans) with a [kD, kH, kW, inChannels,
 * filters] kernel, as Keras lays it out.
 */
import type { Constraint, ConstraintIdentifier } from '../nn/constraints.js';
import type { Initializer, InitializerIdentifier } from '../nn/initializers.js';
import type { Regularizer, RegularizerIdentifier } from '../nn/regularizers.js';
import { conv3d } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import type { SpecFor } from '../util/checks.js';
import { is, optionsSpec } from '../util/checks.js';
import type { LayerConfig } from './base-layer.js';
import type { ConfigReader } from './config.js';
import { constraintConfig, initializerConfig, regularizerConfig } from './config.js';
import type { ConvBaseOptions } from './conv-base.js';
import { ConvBase, convBaseChecks } from './conv-base.js';
import type { Window } from './layer-options.js';
import { constraintId, initializerId, regularizerId, window3 } from './layer-options.js';
import type { LayerShape } from './layer-shape.js';

export interface Conv3DOptions extends ConvBaseOptions<Window> {
  filters: number;
  kernelInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier;
  kernelConstraint?: ConstraintIdentifier;
}

const OPTIONS = optionsSpec({
  ...convBaseChecks(window3),
  filters: is.positiveInteger,
  kernelInitializer: initializerId.optional(),
  kernelRegularizer: regularizerId.optional(),
  kernelConstraint: constraintId.optional(),
} satisfies SpecFor<Conv3DOptions>);

export class Conv3D extends ConvBase {
  readonly filters: number;
  readonly kernelInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  #kernel: Variable | null = null;

  constructor(options: Conv3DOptions) {
    super(options, 3, OPTIONS);
    const o = OPTIONS.parse(this.label, options);
    this.filters = o.filters;
    this.kernelInitializer = this.initializerOption(o.kernelInitializer, 'glorotUniform', 'kernelInitializer');
    this.kernelRegularizer = this.regularizerOption(o.kernelRegularizer, 'kernelRegularizer');
    this.kernelConstraint = this.constraintOption(o.kernelConstraint, 'kernelConstraint');
  }

  override build(inputShape: LayerShape): void {
    const channels = this.channels(inputShape);
    this.#kernel = this.addWeight({
      name: 'kernel', shape: [...this.kernelSize, channels, this.filters],
      initializer: this.kernelInitializer, regularizer: this.kernelRegularizer, constraint: this.kernelConstraint,
    });
    this.addBias(this.filters);
    this.inputSpec = { rank: 5, axes: { [-1]: channels } };
  }

  call(x: Tensor): Tensor {
    const [sd, sh, sw] = this.strides as [number, number, number], [dd, dh, dw] = this.dilationRate as [number, number, number];
    return this.finish(conv3d(x, this.#kernel!, { strides: [sd, sh, sw], padding: this.padding, dilations: [dd, dh, dw] }));
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    this.channels(inputShape);
    return [inputShape[0] ?? null, ...this.convolvedSizes(inputShape), this.filters];
  }

  override getConfig(): LayerConfig {
    const label = this.label;
    return {
      filters: this.filters,
      kernel_initializer: initializerConfig(this.kernelInitializer, label, 'kernelInitializer'),
      kernel_regularizer: regularizerConfig(this.kernelRegularizer, label, 'kernelRegularizer'),
      kernel_constraint: constraintConfig(this.kernelConstraint, label, 'kernelConstraint'),
      ...super.getConfig(),
    };
  }

  static fromConfig(c: ConfigReader): Conv3D {
    if (c.integer('groups', 1) !== 1) throw c.fail('groups', '1 (grouped 3-D convolutions are not supported)');
    return new Conv3D({
      ...ConvBase.readBase(c, 3),
      filters: c.integer('filters'),
      kernelInitializer: c.initializer('kernel_initializer'),
      kernelRegularizer: c.regularizer('kernel_regularizer'),
      kernelConstraint: c.constraint('kernel_constraint'),
    });
  }
}
