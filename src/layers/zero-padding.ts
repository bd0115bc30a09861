/**
 * ZeroPadding2D and ZeroPadding3D: rows, columns (and planes) of zeros around NHWC / NDHWC inputs, with
 * Keras's forms for `padding`: one amount for every side, one per axis, or [before, after] per axis.
 */
import { pad } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { SpecFor } from '../util/checks.js';
import { optionsSpec } from '../util/checks.js';
import type { LayerConfig, LayerOptions } from './base-layer.js';
import type { ConfigReader } from './config.js';
import { Layer, checkInputSpec } from './layer.js';
import type { Amounts } from './layer-options.js';
import { LAYER_OPTIONS, amounts, amountsPerAxis } from './layer-options.js';
import type { LayerShape } from './layer-shape.js';

export interface ZeroPaddingOptions extends LayerOptions {
  /** Default 1 on every side. */
  padding?: Amounts;
}

const SPECS = {
  2: optionsSpec({ ...LAYER_OPTIONS, padding: amounts(2).optional() } satisfies SpecFor<ZeroPaddingOptions>),
  3: optionsSpec({ ...LAYER_OPTIONS, padding: amounts(3).optional() } satisfies SpecFor<ZeroPaddingOptions>),
};

abstract class ZeroPadding extends Layer {
  /** [before, after] for each spatial axis. */
  readonly padding: [number, number][];

  constructor(options: ZeroPaddingOptions, readonly spatialRank: 2 | 3) {
    super(options);
    this.padding = amountsPerAxis(SPECS[spatialRank].parse(this.label, options).padding ?? 1, spatialRank);
  }

  override build(): void {
    this.inputSpec = { rank: this.spatialRank + 2 };
  }

  call(x: Tensor): Tensor {
    return pad(x, [[0, 0], ...this.padding, [0, 0]]);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    checkInputSpec(this.label, { rank: this.spatialRank + 2 }, inputShape);
    return inputShape.map((d, i) => {
      const p = this.padding[i - 1];
      return d === null || p === undefined ? d : d + p[0] + p[1];
    });
  }

  override getConfig(): LayerConfig {
    return { padding: this.padding.map((p) => [...p]), data_format: 'channels_last', ...super.getConfig() };
  }

  protected static read(c: ConfigReader, spatialRank: 2 | 3): ZeroPaddingOptions {
    c.channelsLast();
    return { ...c.base(), padding: c.amounts('padding', spatialRank, 1) };
  }
}

export class ZeroPadding2D extends ZeroPadding {
  constructor(options: ZeroPaddingOptions = {}) {
    super(options, 2);
  }

  static fromConfig(c: ConfigReader): ZeroPadding2D {
    return new ZeroPadding2D(ZeroPadding.read(c, 2));
  }
}

export class ZeroPadding3D extends ZeroPadding {
  constructor(options: ZeroPaddingOptions = {}) {
    super(options, 3);
  }

  static fromConfig(c: ConfigReader): ZeroPadding3D {
    return new ZeroPadding3D(ZeroPadding.read(c, 3));
  }
}
