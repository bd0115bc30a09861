/** Activation: applies an activation function (by name or as a function) to its input. */
import type { Activation as ActivationFn, ActivationIdentifier } from '../nn/activations.js';
import { getActivation } from '../nn/activations.js';
import type { Tensor } from '../tensor/tensor.js';
import type { LayerConfig, LayerOptions } from './base-layer.js';
import type { ConfigReader } from './config.js';
import { activationConfig } from './config.js';
import { Layer } from './layer.js';
import { ValueError } from '../util/errors.js';

export interface ActivationOptions extends LayerOptions {
  activation: ActivationIdentifier;
}

export class Activation extends Layer {
  readonly activation: ActivationFn;

  constructor(options: ActivationOptions) {
    super(options);
    this.supportsMasking = true;
    const id = (options as Partial<ActivationOptions> | undefined)?.activation;
    if (id === undefined) throw new ValueError(`${this.label}: option 'activation' expected an activation (a name such as "relu", or a function), received undefined`);
    this.activation = getActivation(id, this.label);
  }

  override get outputActivation(): string {
    return this.activation.name;
  }

  override getConfig(): LayerConfig {
    return { activation: activationConfig(this.activation, this.label), ...super.getConfig() };
  }

  static fromConfig(c: ConfigReader): Activation {
    return new Activation({ ...c.base(), activation: c.activation('activation') });
  }

  call(x: Tensor): Tensor {
    return this.activation.apply(x);
  }
}
