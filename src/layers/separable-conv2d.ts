/**
 * SeparableConv2D: a depthwise convolution (each channel with its own `depthMultiplier` filters) followed
 * by a 1x1 pointwise convolution that mixes channels into `filters` outputs, with bias and activation
 * fused into the pointwise one. Kernels: depthwise [kH, kW, channels, depthMultiplier] and pointwise
 * [1, 1, channels * depthMultiplier, filters], as Keras and TensorFlow.js name and shape them.
 */
import type { Constraint, ConstraintIdentifier } from '../nn/constraints.js';
import type { Initializer, InitializerIdentifier } from '../nn/initializers.js';
import type { Regularizer, RegularizerIdentifier } from '../nn/regularizers.js';
import { conv2d, depthwiseConv2d } from '../ops/index.js';
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
import { constraintId, initializerId, regularizerId, window2 } from './layer-options.js';
import type { LayerShape } from './layer-shape.js';

export interface SeparableConv2DOptions extends ConvBaseOptions<Window> {
  filters: number;
  /** Depthwise filters per input channel (default 1). */
  depthMultiplier?: number;
  depthwiseInitializer?: InitializerIdentifier;
  pointwiseInitializer?: InitializerIdentifier;
  depthwiseRegularizer?: RegularizerIdentifier;
  pointwiseRegularizer?: RegularizerIdentifier;
  depthwiseConstraint?: ConstraintIdentifier;
  pointwiseConstraint?: ConstraintIdentifier;
}

const OPTIONS = optionsSpec({
  ...convBaseChecks(window2),
  filters: is.positiveInteger,
  depthMultiplier: is.positiveInteger.optional(),
  depthwiseInitializer: initializerId.optional(),
  pointwiseInitializer: initializerId.optional(),
  depthwiseRegularizer: regularizerId.optional(),
  pointwiseRegularizer: regularizerId.optional(),
  depthwiseConstraint: constraintId.optional(),
  pointwiseConstraint: constraintId.optional(),
} satisfies SpecFor<SeparableConv2DOptions>);

export class SeparableConv2D extends ConvBase {
  readonly filters: number;
  readonly depthMultiplier: number;
  readonly depthwiseInitializer: Initializer;
  readonly pointwiseInitializer: Initializer;
  readonly depthwiseRegularizer: Regularizer | null;
  readonly pointwiseRegularizer: Regularizer | null;
  readonly depthwiseConstraint: Constraint | null;
  readonly pointwiseConstraint: Constraint | null;
  #depthwise: Variable | null = null;
  #pointwise: Variable | null = null;

  constructor(options: SeparableConv2DOptions) {
    super(options, 2, OPTIONS);
    const o = OPTIONS.parse(this.label, options);
    this.filters = o.filters;
    this.depthMultiplier = o.depthMultiplier ?? 1;
    this.depthwiseInitializer = this.initializerOption(o.depthwiseInitializer, 'glorotUniform', 'depthwiseInitializer');
    this.pointwiseInitializer = this.initializerOption(o.pointwiseInitializer, 'glorotUniform', 'pointwiseInitializer');
    this.depthwiseRegularizer = this.regularizerOption(o.depthwiseRegularizer, 'depthwiseRegularizer');
    this.pointwiseRegularizer = this.regularizerOption(o.pointwiseRegularizer, 'pointwiseRegularizer');
    this.depthwiseConstraint = this.constraintOption(o.depthwiseConstraint, 'depthwiseConstraint');
    this.pointwiseConstraint = this.constraintOption(o.pointwiseConstraint, 'pointwiseConstraint');
  }

  override build(inputShape: LayerShape): void {
    const channels = this.channels(inputShape);
    this.#depthwise = this.addWeight({
      name: 'depthwise_kernel', shape: [...this.kernelSize, channels, this.depthMultiplier],
      initializer: this.depthwiseInitializer, regularizer: this.depthwiseRegularizer, constraint: this.depthwiseConstraint,
    });
    this.#pointwise = this.addWeight({
      name: 'pointwise_kernel', shape: [1, 1, channels * this.depthMultiplier, this.filters],
      initializer: this.pointwiseInitializer, regularizer: this.pointwiseRegularizer, constraint: this.pointwiseConstraint,
    });
    this.addBias(this.filters);
    this.inputSpec = { rank: 4, axes: { [-1]: channels } };
  }

  call(x: Tensor): Tensor {
    const [sh, sw] = this.strides as [number, number], [dh, dw] = this.dilationRate as [number, number];
    const spatial = depthwiseConv2d(x, this.#depthwise!, { strides: [sh, sw], padding: this.padding, dilations: [dh, dw] });
    const { fusable } = this.activation;
    const y = conv2d(spatial, this.#pointwise!, { ...(this.bias ? { bias: this.bias } : {}), activation: fusable ?? 'linear' });
    return fusable ? y : this.activation.apply(y);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    this.channels(inputShape);
    return [inputShape[0] ?? null, ...this.convolvedSizes(inputShape), this.filters];
  }

  override getConfig(): LayerConfig {
    const label = this.label;
    return {
      filters: this.filters,
      depth_multiplier: this.depthMultiplier,
      depthwise_initializer: initializerConfig(this.depthwiseInitializer, label, 'depthwiseInitializer'),
      pointwise_initializer: initializerConfig(this.pointwiseInitializer, label, 'pointwiseInitializer'),
      depthwise_regularizer: regularizerConfig(this.depthwiseRegularizer, label, 'depthwiseRegularizer'),
      pointwise_regularizer: regularizerConfig(this.pointwiseRegularizer, label, 'pointwiseRegularizer'),
      depthwise_constraint: constraintConfig(this.depthwiseConstraint, label, 'depthwiseConstraint'),
      pointwise_constraint: constraintConfig(this.pointwiseConstraint, label, 'pointwiseConstraint'),
      ...super.getConfig(),
    };
  }

  static fromConfig(c: ConfigReader): SeparableConv2D {
    return new SeparableConv2D({
      ...ConvBase.readBase(c, 2),
      filters: c.integer('filters'),
      depthMultiplier: c.integer('depth_multiplier', 1),
      depthwiseInitializer: c.initializer('depthwise_initializer'),
      pointwiseInitializer: c.initializer('pointwise_initializer'),
      depthwiseRegularizer: c.regularizer('depthwise_regularizer'),
      pointwiseRegularizer: c.regularizer('pointwise_regularizer'),
      depthwiseConstraint: c.constraint('depthwise_constraint'),
      pointwiseConstraint: c.constraint('pointwise_constraint'),
    });
  }
}
