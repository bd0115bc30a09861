/**
 * Conv2D: 2-D convolution over NHWC inputs with [kH, kW, inChannels, filters] kernels, bias and
 * activation fused into the convolution (the `conv2d` op).
 */
import type { Activation, ActivationIdentifier } from '../nn/activations.js';
import { getActivation } from '../nn/activations.js';
import type { Constraint, ConstraintIdentifier } from '../nn/constraints.js';
import type { Initializer, InitializerIdentifier } from '../nn/initializers.js';
import type { Regularizer, RegularizerIdentifier } from '../nn/regularizers.js';
import { conv2d } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import type { Padding } from '../util/conv-geometry.js';
import { checkPadding, convGeometry, pair } from '../util/conv-geometry.js';
import { checkOption, is } from '../util/checks.js';
import { ShapeError, ValueError, describe } from '../util/errors.js';
import type { LayerConfig, LayerOptions } from './base-layer.js';
import type { ConfigReader } from './config.js';
import { activationConfig, constraintConfig, initializerConfig, regularizerConfig } from './config.js';
import { Layer, checkInputSpec, lastDimension } from './layer.js';
import type { LayerShape } from './layer-shape.js';
import { fmtLayerShape } from './layer-shape.js';

export interface Conv2DOptions extends LayerOptions {
  filters: number;
  kernelSize: number | readonly [number, number];
  strides?: number | readonly [number, number];
  padding?: Padding;
  dilationRate?: number | readonly [number, number];
  /**
   * Groups of input channels convolved separately (default 1): each of `groups` groups of filters sees
   * channels / groups of the input, and the kernel is [kH, kW, channels / groups, filters].
   */
  groups?: number;
  activation?: ActivationIdentifier;
  useBias?: boolean;
  kernelInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier;
  biasRegularizer?: RegularizerIdentifier;
  /** Applied to the kernel after every optimizer step (MaxNorm, NonNeg, UnitNorm, MinMaxNorm). */
  kernelConstraint?: ConstraintIdentifier;
  biasConstraint?: ConstraintIdentifier;
}

/**
 * Output sizes of a window sliding over NHWC spatial axes, leaving unknown sizes unknown. The geometry
 * itself comes from util/conv-geometry (which also rejects windows that do not fit).
 */
export function spatialOutputShape(
  label: string,
  inputShape: LayerShape,
  window: [number, number],
  strides: [number, number],
  padding: Padding,
  dilations: [number, number],
  channels: number | null,
): LayerShape {
  checkInputSpec(label, { rank: 4 }, inputShape);
  const [, h, w, c] = inputShape;
  const effH = (window[0] - 1) * dilations[0] + 1, effW = (window[1] - 1) * dilations[1] + 1;
  const g = convGeometry(label, [1, h ?? effH, w ?? effW, c ?? 1], [window[0], window[1], c ?? 1, channels ?? 1], strides, padding, dilations);
  return [inputShape[0] ?? null, h === null ? null : g.outH, w === null ? null : g.outW, channels];
}

export class Conv2D extends Layer {
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: Padding;
  readonly dilationRate: [number, number];
  readonly groups: number;
  readonly activation: Activation;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  #kernel: Variable | null = null;
  #bias: Variable | null = null;

  constructor(options: Conv2DOptions) {
    super(options);
    this.filters = checkOption(this.label, 'filters', (options as Partial<Conv2DOptions> | undefined)?.filters, is.positiveInteger);
    this.kernelSize = pair(this.label, 'kernelSize', options.kernelSize);
    this.strides = pair(this.label, 'strides', options.strides ?? 1);
    this.padding = checkPadding(this.label, options.padding ?? 'valid');
    this.dilationRate = pair(this.label, 'dilationRate', options.dilationRate ?? 1);
    this.groups = checkOption(this.label, 'groups', options.groups, is.positiveInteger.default(1));
    if (this.filters % this.groups !== 0) {
      throw new ValueError(`${this.label}: option 'filters' (${this.filters}) must be divisible by option 'groups' (${this.groups})`);
    }
    this.activation = getActivation(options.activation, this.label);
    this.useBias = options.useBias ?? true;
    this.kernelInitializer = this.initializerOption(options.kernelInitializer, 'glorotUniform', 'kernelInitializer');
    this.biasInitializer = this.initializerOption(options.biasInitializer, 'zeros', 'biasInitializer');
    this.kernelRegularizer = this.regularizerOption(options.kernelRegularizer, 'kernelRegularizer');
    this.biasRegularizer = this.regularizerOption(options.biasRegularizer, 'biasRegularizer');
    this.kernelConstraint = this.constraintOption(options.kernelConstraint, 'kernelConstraint');
    this.biasConstraint = this.constraintOption(options.biasConstraint, 'biasConstraint');
  }

  override get outputActivation(): string {
    return this.activation.name;
  }

  override build(inputShape: LayerShape): void {
    checkInputSpec(this.label, { rank: 4 }, inputShape);
    const channels = lastDimension(this.label, inputShape);
    if (channels % this.groups !== 0) {
      throw new ShapeError(`${this.label}: the input's ${channels} channels must be divisible by option 'groups' (${this.groups}), received shape ${fmtLayerShape(inputShape)}`);
    }
    this.#kernel = this.addWeight({ name: 'kernel', shape: [...this.kernelSize, channels / this.groups, this.filters], initializer: this.kernelInitializer, regularizer: this.kernelRegularizer, constraint: this.kernelConstraint });
    if (this.useBias) this.#bias = this.addWeight({ name: 'bias', shape: [this.filters], initializer: this.biasInitializer, regularizer: this.biasRegularizer, constraint: this.biasConstraint });
    this.inputSpec = { rank: 4, axes: { [-1]: channels } };
  }

  call(x: Tensor): Tensor {
    const { fusable } = this.activation;
    const y = conv2d(x, this.#kernel!, {
      strides: this.strides, padding: this.padding, dilations: this.dilationRate, groups: this.groups,
      ...(this.#bias ? { bias: this.#bias } : {}), activation: fusable ?? 'linear',
    });
    return fusable ? y : this.activation.apply(y);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    return spatialOutputShape(this.label, inputShape, this.kernelSize, this.strides, this.padding, this.dilationRate, this.filters);
  }

  override getConfig(): LayerConfig {
    const label = this.label;
    return {
      filters: this.filters,
      kernel_size: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      data_format: 'channels_last',
      dilation_rate: [...this.dilationRate],
      groups: this.groups,
      activation: activationConfig(this.activation, label),
      use_bias: this.useBias,
      kernel_initializer: initializerConfig(this.kernelInitializer, label, 'kernelInitializer'),
      bias_initializer: initializerConfig(this.biasInitializer, label, 'biasInitializer'),
      kernel_regularizer: regularizerConfig(this.kernelRegularizer, label, 'kernelRegularizer'),
      bias_regularizer: regularizerConfig(this.biasRegularizer, label, 'biasRegularizer'),
      kernel_constraint: constraintConfig(this.kernelConstraint, label, 'kernelConstraint'),
      bias_constraint: constraintConfig(this.biasConstraint, label, 'biasConstraint'),
      ...super.getConfig(),
    };
  }

  static fromConfig(c: ConfigReader): Conv2D {
    c.channelsLast();
    return new Conv2D({
      ...c.base(),
      filters: c.integer('filters'),
      kernelSize: c.intOrPair('kernel_size'),
      strides: c.intOrPair('strides', 1),
      padding: c.choice('padding', { valid: 'valid', same: 'same' } as const, 'valid'),
      dilationRate: c.intOrPair('dilation_rate', 1),
      groups: c.integer('groups', 1),
      activation: c.activation('activation'),
      useBias: c.boolean('use_bias', true),
      kernelInitializer: c.initializer('kernel_initializer'),
      biasInitializer: c.initializer('bias_initializer'),
      kernelRegularizer: c.regularizer('kernel_regularizer'),
      biasRegularizer: c.regularizer('bias_regularizer'),
      kernelConstraint: c.constraint('kernel_constraint'),
      biasConstraint: c.constraint('bias_constraint'),
    });
  }
}
