/**
 * LeakyReLU: x above 0, negativeSlope * x below (default 0.3, as Keras). Keras 3 names the slope
 * `negative_slope`, Keras 2 and TensorFlow.js `alpha`: both are read, and both are written.
 */
import { leakyRelu } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { SpecFor } from '../util/checks.js';
import { is, optionsSpec } from '../util/checks.js';
import { ValueError } from '../util/errors.js';
import type { LayerConfig, LayerOptions } from './base-layer.js';
import type { ConfigReader } from './config.js';
import { Layer } from './layer.js';
import { LAYER_OPTIONS } from './layer-options.js';

export interface LeakyReLUOptions extends LayerOptions {
  /** Slope below 0 (default 0.3). */
  negativeSlope?: number;
  /** TensorFlow.js's and Keras 2's name for negativeSlope. */
  alpha?: number;
}

const OPTIONS = optionsSpec({ ...LAYER_OPTIONS, negativeSlope: is.finite.optional(), alpha: is.finite.optional() } satisfies SpecFor<LeakyReLUOptions>);

export class LeakyReLU extends Layer {
  readonly negativeSlope: number;

  constructor(options: LeakyReLUOptions = {}) {
    super(options);
    const o = OPTIONS.parse(this.label, options);
    if (o.negativeSlope !== undefined && o.alpha !== undefined && o.negativeSlope !== o.alpha) {
      throw new ValueError(`${this.label}: options 'negativeSlope' (${o.negativeSlope}) and 'alpha' (${o.alpha}) name the same slope; give one`);
    }
    this.negativeSlope = o.negativeSlope ?? o.alpha ?? 0.3;
    this.supportsMasking = true;
  }

  override get outputActivation(): string {
    return 'leakyRelu';
  }

  call(x: Tensor): Tensor {
    return leakyRelu(x, this.negativeSlope);
  }

  override getConfig(): LayerConfig {
    return { negative_slope: this.negativeSlope, alpha: this.negativeSlope, ...super.getConfig() };
  }

  static fromConfig(c: ConfigReader): LeakyReLU {
    const key = c.get('negative_slope') === undefined || c.get('negative_slope') === null ? 'alpha' : 'negative_slope';
    return new LeakyReLU({ ...c.base(), negativeSlope: c.number(key, 0.3) });
  }
}
