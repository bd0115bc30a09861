/**
 * What the convolution layers beside Conv2D share (Conv2DTranspose, DepthwiseConv2D, SeparableConv2D,
 * Conv3D, Conv3DTranspose): the window options, the bias and the activation applied after the
 * convolution, and their saved form. Each layer adds its kernels and its convolution.
 */
import type { Activation, ActivationIdentifier } from '../nn/activations.js';
import { getActivation } from '../nn/activations.js';
import type { Constraint, ConstraintIdentifier } from '../nn/constraints.js';
import type { Initializer, InitializerIdentifier } from '../nn/initializers.js';
import type { Regularizer, RegularizerIdentifier } from '../nn/regularizers.js';
import { add } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import type { Check } from '../util/checks.js';
import { is } from '../util/checks.js';
import type { Padding } from '../util/conv-geometry.js';
import { outputSize, tuple } from '../util/conv-geometry.js';
import { ShapeError } from '../util/errors.js';
import type { LayerConfig, LayerOptions } from './base-layer.js';
import type { ConfigReader } from './config.js';
import { activationConfig, constraintConfig, initializerConfig, regularizerConfig } from './config.js';
import { Layer, checkInputSpec } from './layer.js';
import type { Window } from './layer-options.js';
import { LAYER_OPTIONS, activationId, constraintId, initializerId, padding, regularizerId } from './layer-options.js';
import type { LayerShape } from './layer-shape.js';
import { fmtLayerShape } from './layer-shape.js';

export interface ConvBaseOptions<W> extends LayerOptions {
  kernelSize: W;
  strides?: W;
  padding?: Padding;
  dilationRate?: W;
  activation?: ActivationIdentifier;
  useBias?: boolean;
  biasInitializer?: InitializerIdentifier;
  biasRegularizer?: RegularizerIdentifier;
  biasConstraint?: ConstraintIdentifier;
}

/** The checks of ConvBaseOptions, for windows read by `window`. */
export function convBaseChecks<W>(window: Check<W>) {
  return {
    ...LAYER_OPTIONS,
    kernelSize: window,
    strides: window.optional(),
    padding: padding.optional(),
    dilationRate: window.optional(),
    activation: activationId.optional(),
    useBias: is.boolean.optional(),
    biasInitializer: initializerId.optional(),
    biasRegularizer: regularizerId.optional(),
    biasConstraint: constraintId.optional(),
  };
}

/** Anything that checks a whole options object (an optionsSpec). */
interface Parser {
  parse(where: string, options: unknown): unknown;
}

export abstract class ConvBase extends Layer {
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: Padding;
  readonly dilationRate: number[];
  readonly activation: Activation;
  readonly useBias: boolean;
  readonly biasInitializer: Initializer;
  readonly biasRegularizer: Regularizer | null;
  readonly biasConstraint: Constraint | null;
  protected bias: Variable | null = null;

  /** `spec` checks every option (the subclass's own included) before anything is read. */
  constructor(options: ConvBaseOptions<Window>, readonly spatialRank: 2 | 3, spec: Parser) {
    super(options);
    spec.parse(this.label, options);
    this.kernelSize = tuple(this.label, 'kernelSize', options.kernelSize, spatialRank);
    this.strides = tuple(this.label, 'strides', options.strides ?? 1, spatialRank);
    this.padding = options.padding ?? 'valid';
    this.dilationRate = tuple(this.label, 'dilationRate', options.dilationRate ?? 1, spatialRank);
    this.activation = getActivation(options.activation, this.label);
    this.useBias = options.useBias ?? true;
    this.biasInitializer = this.initializerOption(options.biasInitializer, 'zeros', 'biasInitializer');
    this.biasRegularizer = this.regularizerOption(options.biasRegularizer, 'biasRegularizer');
    this.biasConstraint = this.constraintOption(options.biasConstraint, 'biasConstraint');
  }

  override get outputActivation(): string {
    return this.activation.name;
  }

  /** Checks the input's rank and returns its (known) channel count. */
  protected channels(inputShape: LayerShape): number {
    checkInputSpec(this.label, { rank: this.spatialRank + 2 }, inputShape);
    const c = inputShape[inputShape.length - 1];
    if (c === null || c === undefined) {
      throw new ShapeError(`${this.label}: the channel dimension of the input must be known to create the weights, received shape ${fmtLayerShape(inputShape)}`);
    }
    return c;
  }

  /** Creates the bias of `size` outputs, when the layer uses one. */
  protected addBias(size: number): void {
    if (this.useBias) {
      this.bias = this.addWeight({ name: 'bias', shape: [size], initializer: this.biasInitializer, regularizer: this.biasRegularizer, constraint: this.biasConstraint });
    }
  }

  /** activation(y + bias). */
  protected finish(y: Tensor): Tensor {
    return this.activation.apply(this.bias ? add(y, this.bias) : y);
  }

  /** Output sizes of a forward convolution's spatial axes (unknown sizes stay unknown). */
  protected convolvedSizes(inputShape: LayerShape, window = this.kernelSize, strides = this.strides, dilations = this.dilationRate): (number | null)[] {
    return inputShape.slice(1, -1).map((d, i) => {
      if (d === null || d === undefined) return null;
      const effK = (window[i]! - 1) * dilations[i]! + 1;
      if (this.padding === 'valid' && effK > d) {
        throw new ShapeError(`${this.label}: the window of ${effK} (with dilation) does not fit in the input's size ${d} along spatial axis ${i + 1} with padding "valid"; use a smaller kernel or padding "same"`);
      }
      return outputSize(d, effK, strides[i]!, this.padding).out;
    });
  }

  override getConfig(): LayerConfig {
    const label = this.label;
    return {
      kernel_size: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      data_format: 'channels_last',
      dilation_rate: [...this.dilationRate],
      activation: activationConfig(this.activation, label),
      use_bias: this.useBias,
      bias_initializer: initializerConfig(this.biasInitializer, label, 'biasInitializer'),
      bias_regularizer: regularizerConfig(this.biasRegularizer, label, 'biasRegularizer'),
      bias_constraint: constraintConfig(this.biasConstraint, label, 'biasConstraint'),
      ...super.getConfig(),
    };
  }

  /** The shared settings from a saved config (channels_last only). */
  static readBase(c: ConfigReader, spatialRank: 2 | 3): ConvBaseOptions<Window> {
    c.channelsLast();
    return {
      ...c.base(),
      kernelSize: c.intOrTuple('kernel_size', spatialRank),
      strides: c.intOrTuple('strides', spatialRank, 1),
      padding: c.choice('padding', { valid: 'valid', same: 'same' } as const, 'valid'),
      dilationRate: c.intOrTuple('dilation_rate', spatialRank, 1),
      activation: c.activation('activation'),
      useBias: c.boolean('use_bias', true),
      biasInitializer: c.initializer('bias_initializer'),
      biasRegularizer: c.regularizer('bias_regularizer'),
      biasConstraint: c.constraint('bias_constraint'),
    };
  }
}
