/**
 * Conv1D: convolution over the steps of [batch, steps, channels] inputs with [kernelSize, channels /
 * groups, filters] kernels (Keras's layout), bias and activation fused in (the `conv1d` op). Padding
 * 'causal' pads the start only, so step t of the output sees steps <= t of the input.
 */
import type { Activation, ActivationIdentifier } from '../nn/activations.js';
import { getActivation } from '../nn/activations.js';
import type { Initializer, InitializerIdentifier } from '../nn/initializers.js';
import type { Regularizer, RegularizerIdentifier } from '../nn/regularizers.js';
import type { Padding1D } from '../ops/index.js';
import { conv1d } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import type { SpecFor } from '../util/checks.js';
import { is, optionsSpec } from '../util/checks.js';
import { ValueError } from '../util/errors.js';
import type { LayerConfig, LayerOptions } from './base-layer.js';
import { LAYER_OPTIONS, activationId, initializerId, preLabel, regularizerId } from './layer-options.js';
import type { ConfigReader } from './config.js';
import { activationConfig, initializerConfig, regularizerConfig } from './config.js';
import { Layer, lastDimension } from './layer.js';
import type { LayerShape } from './layer-shape.js';
import { checkSteps, oneSize, readOne, slidingShape } from './steps.js';

export interface Conv1DOptions extends LayerOptions {
  filters: number;
  /** Taps of the kernel: `3` or `[3]`. */
  kernelSize: number | readonly [number];
  strides?: number | readonly [number];
  /** 'valid' (default), 'same' or 'causal'. */
  padding?: Padding1D;
  dilationRate?: number | readonly [number];
  /** Independent convolutions over equal slices of the channels (default 1). */
  groups?: number;
  activation?: ActivationIdentifier;
  useBias?: boolean;
  kernelInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier;
  biasRegularizer?: RegularizerIdentifier;
}

const OPTIONS = optionsSpec({
  ...LAYER_OPTIONS,
  filters: is.positiveInteger,
  kernelSize: oneSize,
  strides: oneSize.optional(),
  padding: is.oneOf<Padding1D>(['valid', 'same', 'causal']).optional(),
  dilationRate: oneSize.optional(),
  groups: is.positiveInteger.optional(),
  activation: activationId.optional(),
  useBias: is.boolean.optional(),
  kernelInitializer: initializerId.optional(),
  biasInitializer: initializerId.optional(),
  kernelRegularizer: regularizerId.optional(),
  biasRegularizer: regularizerId.optional(),
} satisfies SpecFor<Conv1DOptions>);

export class Conv1D extends Layer {
  readonly filters: number;
  readonly kernelSize: number;
  readonly strides: number;
  readonly padding: Padding1D;
  readonly dilationRate: number;
  readonly groups: number;
  readonly activation: Activation;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  #kernel: Variable | null = null;
  #bias: Variable | null = null;

  constructor(options: Conv1DOptions) {
    const o = OPTIONS.parse(preLabel('Conv1D', options), options);
    super(options);
    this.filters = o.filters;
    this.kernelSize = o.kernelSize;
    this.strides = o.strides ?? 1;
    this.padding = o.padding ?? 'valid';
    this.dilationRate = o.dilationRate ?? 1;
    this.groups = o.groups ?? 1;
    if (this.strides > 1 && this.dilationRate > 1) {
      throw new ValueError(`${this.label}: options 'strides' and 'dilationRate' cannot both exceed 1 (as in Keras), received ${this.strides} and ${this.dilationRate}`);
    }
    if (this.filters % this.groups !== 0) {
      throw new ValueError(`${this.label}: option 'groups' (${this.groups}) must divide option 'filters' (${this.filters})`);
    }
    this.activation = getActivation(o.activation, this.label);
    this.useBias = o.useBias ?? true;
    this.kernelInitializer = this.initializerOption(o.kernelInitializer, 'glorotUniform', 'kernelInitializer');
    this.biasInitializer = this.initializerOption(o.biasInitializer, 'zeros', 'biasInitializer');
    this.kernelRegularizer = this.regularizerOption(o.kernelRegularizer, 'kernelRegularizer');
    this.biasRegularizer = this.regularizerOption(o.biasRegularizer, 'biasRegularizer');
  }

  override get outputActivation(): string {
    return this.activation.name;
  }

  override build(inputShape: LayerShape): void {
    checkSteps(this.label, inputShape);
    const channels = lastDimension(this.label, inputShape);
    if (channels % this.groups !== 0) {
      throw new ValueError(`${this.label}: option 'groups' (${this.groups}) must divide the input's ${channels} channels (shape [${inputShape.join(', ')}])`);
    }
    const shape = [this.kernelSize, channels / this.groups, this.filters];
    this.#kernel = this.addWeight({ name: 'kernel', shape, initializer: this.kernelInitializer, regularizer: this.kernelRegularizer });
    if (this.useBias) this.#bias = this.addWeight({ name: 'bias', shape: [this.filters], initializer: this.biasInitializer, regularizer: this.biasRegularizer });
    this.inputSpec = { rank: 3, axes: { [-1]: channels } };
  }

  call(x: Tensor): Tensor {
    checkSteps(this.label, x.shape);
    const { fusable } = this.activation;
    const y = conv1d(x, this.#kernel!, {
      strides: this.strides, padding: this.padding, dilation: this.dilationRate, groups: this.groups,
      ...(this.#bias ? { bias: this.#bias } : {}), activation: fusable ?? 'linear',
    });
    return fusable ? y : this.activation.apply(y);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    return slidingShape(this.label, inputShape, (this.kernelSize - 1) * this.dilationRate + 1, this.strides, this.padding, this.filters);
  }

  override getConfig(): LayerConfig {
    const label = this.label;
    return {
      filters: this.filters,
      kernel_size: [this.kernelSize],
      strides: [this.strides],
      padding: this.padding,
      data_format: 'channels_last',
      dilation_rate: [this.dilationRate],
      ...(this.groups === 1 ? {} : { groups: this.groups }),
      activation: activationConfig(this.activation, label),
      use_bias: this.useBias,
      kernel_initializer: initializerConfig(this.kernelInitializer, label, 'kernelInitializer'),
      bias_initializer: initializerConfig(this.biasInitializer, label, 'biasInitializer'),
      kernel_regularizer: regularizerConfig(this.kernelRegularizer, label, 'kernelRegularizer'),
      bias_regularizer: regularizerConfig(this.biasRegularizer, label, 'biasRegularizer'),
      ...super.getConfig(),
    };
  }

  static fromConfig(c: ConfigReader): Conv1D {
    c.channelsLast();
    return new Conv1D({
      ...c.base(),
      filters: c.integer('filters'),
      kernelSize: readOne(c, 'kernel_size'),
      strides: readOne(c, 'strides', 1),
      padding: c.choice('padding', { valid: 'valid', same: 'same', causal: 'causal' } as const, 'valid'),
      dilationRate: readOne(c, 'dilation_rate', 1),
      groups: c.integer('groups', 1),
      activation: c.activation('activation'),
      useBias: c.boolean('use_bias', true),
      kernelInitializer: c.initializer('kernel_initializer'),
      biasInitializer: c.initializer('bias_initializer'),
      kernelRegularizer: c.regularizer('kernel_regularizer'),
      biasRegularizer: c.regularizer('bias_regularizer'),
    });
  }
}
