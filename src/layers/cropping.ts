/**
 * Cropping2D and Cropping3D: rows, columns (and planes) cut from the edges of NHWC / NDHWC inputs, with
 * Keras's forms for `cropping`: one amount for every side, one per axis, or [before, after] per axis.
 * Keras's defaults: nothing for Cropping2D, one on every side for Cropping3D.
 */
import { slice } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { SpecFor } from '../util/checks.js';
import { optionsSpec } from '../util/checks.js';
import { ShapeError } from '../util/errors.js';
import type { LayerConfig, LayerOptions } from './base-layer.js';
import type { ConfigReader } from './config.js';
import { Layer, checkInputSpec } from './layer.js';
import type { Amounts } from './layer-options.js';
import { LAYER_OPTIONS, amounts, amountsPerAxis } from './layer-options.js';
import type { LayerShape } from './layer-shape.js';
import { fmtLayerShape } from './layer-shape.js';

export interface CroppingOptions extends LayerOptions {
  cropping?: Amounts;
}

const SPECS = {
  2: optionsSpec({ ...LAYER_OPTIONS, cropping: amounts(2).optional() } satisfies SpecFor<CroppingOptions>),
  3: optionsSpec({ ...LAYER_OPTIONS, cropping: amounts(3).optional() } satisfies SpecFor<CroppingOptions>),
};

abstract class Cropping extends Layer {
  /** [before, after] for each spatial axis. */
  readonly cropping: [number, number][];

  constructor(options: CroppingOptions, readonly spatialRank: 2 | 3) {
    super(options);
    this.cropping = amountsPerAxis(SPECS[spatialRank].parse(this.label, options).cropping ?? (spatialRank === 2 ? 0 : 1), spatialRank);
  }

  override build(inputShape: LayerShape): void {
    this.inputSpec = { rank: this.spatialRank + 2 };
    this.computeOutputShape(inputShape);
  }

  call(x: Tensor): Tensor {
    const begin = [0, ...this.cropping.map((c) => c[0]), 0];
    const size = x.shape.map((d, i) => (i === 0 || i === x.rank - 1 ? -1 : d - this.cropping[i - 1]![0] - this.cropping[i - 1]![1]));
    return slice(x, begin, size);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    checkInputSpec(this.label, { rank: this.spatialRank + 2 }, inputShape);
    return inputShape.map((d, i) => {
      const c = this.cropping[i - 1];
      if (d === null || c === undefined) return d;
      if (c[0] + c[1] >= d) {
        throw new ShapeError(`${this.label}: cropping ${c[0]} + ${c[1]} from spatial axis ${i} leaves nothing of the input's ${d}, received shape ${fmtLayerShape(inputShape)}`);
      }
      return d - c[0] - c[1];
    });
  }

  override getConfig(): LayerConfig {
    return { cropping: this.cropping.map((c) => [...c]), data_format: 'channels_last', ...super.getConfig() };
  }

  protected static read(c: ConfigReader, spatialRank: 2 | 3): CroppingOptions {
    c.channelsLast();
    return { ...c.base(), cropping: c.amounts('cropping', spatialRank, spatialRank === 2 ? 0 : 1) };
  }
}

export class Cropping2D extends Cropping {
  constructor(options: CroppingOptions = {}) {
    super(options, 2);
  }

  static fromConfig(c: ConfigReader): Cropping2D {
    return new Cropping2D(Cropping.read(c, 2));
  }
}

export class Cropping3D extends Cropping {
  constructor(options: CroppingOptions = {}) {
    super(options, 3);
  }

  static fromConfig(c: ConfigReader): Cropping3D {
    return new Cropping3D(Cropping.read(c, 3));
  }
}
