/**
 * SpatialDropout1D, 2D and 3D: dropout of whole feature maps. Neighbouring values of a map are strongly
 * correlated, so dropping them one by one barely regularizes; these drop every value of a channel
 * together (the mask is [batch, 1, ..., 1, channels]) and scale the rest by 1 / (1 - rate). Training only.
 */
import { dropout } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { SpecFor } from '../util/checks.js';
import { is, optionsSpec } from '../util/checks.js';
import type { CallOptions, LayerConfig, LayerOptions } from './base-layer.js';
import type { ConfigReader } from './config.js';
import { Layer } from './layer.js';
import { LAYER_OPTIONS } from './layer-options.js';

export interface SpatialDropoutOptions extends LayerOptions {
  /** The fraction of channels dropped, in [0, 1). */
  rate: number;
}

const OPTIONS = optionsSpec({ ...LAYER_OPTIONS, rate: is.numberIn(0, 1, '[)') } satisfies SpecFor<SpatialDropoutOptions>);

abstract class SpatialDropout extends Layer {
  readonly rate: number;

  constructor(options: SpatialDropoutOptions, readonly spatialRank: 1 | 2 | 3) {
    super(options);
    this.rate = OPTIONS.parse(this.label, options).rate;
    this.supportsMasking = true;
  }

  override build(): void {
    this.inputSpec = { rank: this.spatialRank + 2 };
  }

  call(x: Tensor, options: CallOptions): Tensor {
    if (!options.training || this.rate === 0) return x;
    return dropout(x, this.rate, { noiseShape: x.shape.map((d, i) => (i === 0 || i === x.rank - 1 ? d : 1)) });
  }

  override getConfig(): LayerConfig {
    return { rate: this.rate, noise_shape: null, seed: null, ...super.getConfig() };
  }

  protected static read(c: ConfigReader): SpatialDropoutOptions {
    c.channelsLast();
    return { ...c.base(), rate: c.number('rate') };
  }
}

export class SpatialDropout1D extends SpatialDropout {
  constructor(options: SpatialDropoutOptions) {
    super(options, 1);
  }

  static fromConfig(c: ConfigReader): SpatialDropout1D {
    return new SpatialDropout1D(SpatialDropout.read(c));
  }
}

export class SpatialDropout2D extends SpatialDropout {
  constructor(options: SpatialDropoutOptions) {
    super(options, 2);
  }

  static fromConfig(c: ConfigReader): SpatialDropout2D {
    return new SpatialDropout2D(SpatialDropout.read(c));
  }
}

export class SpatialDropout3D extends SpatialDropout {
  constructor(options: SpatialDropoutOptions) {
    super(options, 3);
  }

  static fromConfig(c: ConfigReader): SpatialDropout3D {
    return new SpatialDropout3D(SpatialDropout.read(c));
  }
}
