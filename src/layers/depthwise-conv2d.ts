/**
 * DepthwiseConv2D: each input channel convolved with its own `depthMultiplier` filters (MobileNet's
 * spatial convolution), NHWC, with a [kH, kW, channels, depthMultiplier] kernel; the output has
 * channels * depthMultiplier channels.
 */
import type { Constraint, ConstraintIdentifier } from '../nn/constraints.js';
import type { Initializer, InitializerIdentifier } from '../nn/initializers.js';
import type { Regularizer, RegularizerIdentifier } from '../nn/regularizers.js';
import { depthwiseConv2d } from '../ops/index.js';
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

export interface DepthwiseConv2DOptions extends ConvBaseOptions<Window> {
  /** Filters per input channel (default 1). */
  depthMultiplier?: number;
  depthwiseInitializer?: InitializerIdentifier;
  depthwiseRegularizer?: RegularizerIdentifier;
  depthwiseConstraint?: ConstraintIdentifier;
}

const OPTIONS = optionsSpec({
  ...convBaseChecks(window2),
  depthMultiplier: is.positiveInteger.optional(),
  depthwiseInitializer: initializerId.optional(),
  depthwiseRegularizer: regularizerId.optional(),
  depthwiseConstraint: constraintId.optional(),
} satisfies SpecFor<DepthwiseConv2DOptions>);

export class DepthwiseConv2D extends ConvBase {
  readonly depthMultiplier: number;
  readonly depthwiseInitializer: Initializer;
  readonly depthwiseRegularizer: Regularizer | null;
  readonly depthwiseConstraint: Constraint | null;
  #kernel: Variable | null = null;

  constructor(options: DepthwiseConv2DOptions) {
    super(options, 2, OPTIONS);
    const o = OPTIONS.parse(this.label, options);
    this.depthMultiplier = o.depthMultiplier ?? 1;
    this.depthwiseInitializer = this.initializerOption(o.depthwiseInitializer, 'glorotUniform', 'depthwiseInitializer');
    this.depthwiseRegularizer = this.regularizerOption(o.depthwiseRegularizer, 'depthwiseRegularizer');
    this.depthwiseConstraint = this.constraintOption(o.depthwiseConstraint, 'depthwiseConstraint');
  }

  override build(inputShape: LayerShape): void {
    const channels = this.channels(inputShape);
    this.#kernel = this.addWeight({
      name: 'depthwise_kernel', shape: [...this.kernelSize, channels, this.depthMultiplier],
      initializer: this.depthwiseInitializer, regularizer: this.depthwiseRegularizer, constraint: this.depthwiseConstraint,
    });
    this.addBias(channels * this.depthMultiplier);
    this.inputSpec = { rank: 4, axes: { [-1]: channels } };
  }

  call(x: Tensor): Tensor {
    const [sh, sw] = this.strides as [number, number], [dh, dw] = this.dilationRate as [number, number];
    const { fusable } = this.activation;
    const y = depthwiseConv2d(x, this.#kernel!, {
      strides: [sh, sw], padding: this.padding, dilations: [dh, dw], ...(this.bias ? { bias: this.bias } : {}), activation: fusable ?? 'linear',
    });
    return fusable ? y : this.activation.apply(y);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    const c = this.channels(inputShape);
    return [inputShape[0] ?? null, ...this.convolvedSizes(inputShape), c * this.depthMultiplier];
  }

  override getConfig(): LayerConfig {
    const label = this.label;
    return {
      depth_multiplier: this.depthMultiplier,
      depthwise_initializer: initializerConfig(this.depthwiseInitializer, label, 'depthwiseInitializer'),
      depthwise_regularizer: regularizerConfig(this.depthwiseRegularizer, label, 'depthwiseRegularizer'),
      depthwise_constraint: constraintConfig(this.depthwiseConstraint, label, 'depthwiseConstraint'),
      ...super.getConfig(),
    };
  }

  static fromConfig(c: ConfigReader): DepthwiseConv2D {
    return new DepthwiseConv2D({
      ...ConvBase.readBase(c, 2),
      depthMultiplier: c.integer('depth_multiplier', 1),
      depthwiseInitializer: c.initializer('depthwise_initializer'),
      depthwiseRegularizer: c.regularizer('depthwise_regularizer'),
      depthwiseConstraint: c.constraint('depthwise_constraint'),
    });
  }
}
