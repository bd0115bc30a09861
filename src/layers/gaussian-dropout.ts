/**
 * GaussianDropout: multiplies values by normal noise of mean 1 and standard deviation
 * sqrt(rate / (1 - rate)) while training (dropout's variance without zeros); identity at inference.
 */
import { mul } from '../ops/index.js';
import { randomNormal } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import type { SpecFor } from '../util/checks.js';
import { is, optionsSpec } from '../util/checks.js';
import type { CallOptions, LayerConfig, LayerOptions } from './base-layer.js';
import type { ConfigReader } from './config.js';
import { Layer } from './layer.js';
import { LAYER_OPTIONS } from './layer-options.js';

export interface GaussianDropoutOptions extends LayerOptions {
  /** The dropout rate whose variance the noise has, in [0, 1). */
  rate: number;
}

const OPTIONS = optionsSpec({ ...LAYER_OPTIONS, rate: is.numberIn(0, 1, '[)') } satisfies SpecFor<GaussianDropoutOptions>);

export class GaussianDropout extends Layer {
  readonly rate: number;

  constructor(options: GaussianDropoutOptions) {
    super(options);
    this.rate = OPTIONS.parse(this.label, options).rate;
    this.supportsMasking = true;
  }

  call(x: Tensor, options: CallOptions): Tensor {
    if (!options.training || this.rate === 0) return x;
    return mul(x, randomNormal(x.shape, { mean: 1, stddev: Math.sqrt(this.rate / (1 - this.rate)), dtype: x.dtype }));
  }

  override getConfig(): LayerConfig {
    return { rate: this.rate, seed: null, ...super.getConfig() };
  }

  static fromConfig(c: ConfigReader): GaussianDropout {
    return new GaussianDropout({ ...c.base(), rate: c.number('rate') });
  }
}
