/** GaussianNoise: adds normal noise of standard deviation `stddev` while training (a regularizer and augmentation); identity at inference. */
import { add } from '../ops/index.js';
import { randomNormal } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import type { SpecFor } from '../util/checks.js';
import { is, optionsSpec } from '../util/checks.js';
import type { CallOptions, LayerConfig, LayerOptions } from './base-layer.js';
import type { ConfigReader } from './config.js';
import { Layer } from './layer.js';
import { LAYER_OPTIONS } from './layer-options.js';

export interface GaussianNoiseOptions extends LayerOptions {
  stddev: number;
}

const OPTIONS = optionsSpec({ ...LAYER_OPTIONS, stddev: is.nonNegative } satisfies SpecFor<GaussianNoiseOptions>);

export class GaussianNoise extends Layer {
  readonly stddev: number;

  constructor(options: GaussianNoiseOptions) {
    super(options);
    this.stddev = OPTIONS.parse(this.label, options).stddev;
    this.supportsMasking = true;
  }

  call(x: Tensor, options: CallOptions): Tensor {
    if (!options.training || this.stddev === 0) return x;
    return add(x, randomNormal(x.shape, { stddev: this.stddev, dtype: x.dtype }));
  }

  override getConfig(): LayerConfig {
    return { stddev: this.stddev, seed: null, ...super.getConfig() };
  }

  static fromConfig(c: ConfigReader): GaussianNoise {
    return new GaussianNoise({ ...c.base(), stddev: c.number('stddev') });
  }
}
