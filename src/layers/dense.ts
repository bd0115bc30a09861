/** Dense: activation(x @ kernel + bias) over the last axis, computed by the fused `linear` op. */
import { checkOption, is } from '../util/checks.js';
import type { Activation, ActivationIdentifier } from '../nn/activations.js';
import { getActivation } from '../nn/activations.js';
import type { Constraint, ConstraintIdentifier } from '../nn/constraints.js';
import type { Initializer, InitializerIdentifier } from '../nn/initializers.js';
import type { Regularizer, RegularizerIdentifier } from '../nn/regularizers.js';
import { linear } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import type { LayerConfig, LayerOptions } from './base-layer.js';
import type { ConfigReader } from './config.js';
import { activationConfig, constraintConfig, initializerConfig, regularizerConfig } from './config.js';
import { Layer, lastDimension } from './layer.js';
import type { LayerShape } from './layer-shape.js';

export interface DenseOptions extends LayerOptions {
  units: number;
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

export class Dense extends Layer {
  readonly units: number;
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

  constructor(options: DenseOptions) {
    super(options);
    this.supportsMasking = true;
    // `new Dense()` from JavaScript: the message names the option that is missing.
    this.units = checkOption(this.label, 'units', (options as Partial<DenseOptions> | undefined)?.units, is.positiveInteger);
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
    const inputDim = lastDimension(this.label, inputShape);
    this.#kernel = this.addWeight({ name: 'kernel', shape: [inputDim, this.units], initializer: this.kernelInitializer, regularizer: this.kernelRegularizer, constraint: this.kernelConstraint });
    if (this.useBias) this.#bias = this.addWeight({ name: 'bias', shape: [this.units], initializer: this.biasInitializer, regularizer: this.biasRegularizer, constraint: this.biasConstraint });
    this.inputSpec = { minRank: 2, axes: { [-1]: inputDim } };
  }

  call(x: Tensor): Tensor {
    const { fusable } = this.activation;
    const y = linear(x, this.#kernel!, { ...(this.#bias ? { bias: this.#bias } : {}), activation: fusable ?? 'linear' });
    return fusable ? y : this.activation.apply(y);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    return [...inputShape.slice(0, -1), this.units];
  }

  override getConfig(): LayerConfig {
    const label = this.label;
    return {
      units: this.units,
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

  static fromConfig(c: ConfigReader): Dense {
    return new Dense({
      ...c.base(),
      units: c.integer('units'),
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
