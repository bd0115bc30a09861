/**
 * UpSampling2D and UpSampling3D: spatial sizes multiplied by integer factors, NHWC / NDHWC. UpSampling2D
 * repeats pixels ("nearest", the default) or interpolates them ("bilinear", with half-pixel centers as
 * Keras computes it; TensorFlow.js's bilinear UpSampling2D uses an older rule and gives other values).
 */
import type { UpSamplingInterpolation } from '../ops/index.js';
import { upSampling2d, upSampling3d } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { SpecFor } from '../util/checks.js';
import { is, optionsSpec } from '../util/checks.js';
import { tuple } from '../util/conv-geometry.js';
import type { LayerConfig, LayerOptions } from './base-layer.js';
import type { ConfigReader } from './config.js';
import { Layer, checkInputSpec } from './layer.js';
import type { Window } from './layer-options.js';
import { LAYER_OPTIONS, window2, window3 } from './layer-options.js';
import type { LayerShape } from './layer-shape.js';

export interface UpSampling2DOptions extends LayerOptions {
  /** Factor per spatial axis (default 2). */
  size?: Window;
  interpolation?: UpSamplingInterpolation;
}

export interface UpSampling3DOptions extends LayerOptions {
  /** Factor per spatial axis (default 2). */
  size?: Window;
}

const OPTIONS_2D = optionsSpec({
  ...LAYER_OPTIONS,
  size: window2.optional(),
  interpolation: is.oneOf<UpSamplingInterpolation>(['nearest', 'bilinear']).optional(),
} satisfies SpecFor<UpSampling2DOptions>);
const OPTIONS_3D = optionsSpec({ ...LAYER_OPTIONS, size: window3.optional() } satisfies SpecFor<UpSampling3DOptions>);

/** Anything that checks the options and reads a size (an optionsSpec). */
interface SizeParser {
  parse(where: string, options: unknown): { size?: Window | undefined };
}

abstract class UpSampling extends Layer {
  /** The factor of each spatial axis. */
  readonly size: number[];

  constructor(options: LayerOptions, spec: SizeParser, spatialRank: 2 | 3) {
    super(options);
    this.size = tuple(this.label, 'size', spec.parse(this.label, options).size ?? 2, spatialRank);
  }

  override build(): void {
    this.inputSpec = { rank: this.size.length + 2 };
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    checkInputSpec(this.label, { rank: this.size.length + 2 }, inputShape);
    return inputShape.map((d, i) => (d === null || i === 0 || i > this.size.length ? d : d * this.size[i - 1]!));
  }

  override getConfig(): LayerConfig {
    return { size: [...this.size], data_format: 'channels_last', ...super.getConfig() };
  }
}

export class UpSampling2D extends UpSampling {
  readonly interpolation: UpSamplingInterpolation;

  constructor(options: UpSampling2DOptions = {}) {
    super(options, OPTIONS_2D, 2);
    this.interpolation = OPTIONS_2D.parse(this.label, options).interpolation ?? 'nearest';
  }

  call(x: Tensor): Tensor {
    return upSampling2d(x, [this.size[0]!, this.size[1]!], { interpolation: this.interpolation });
  }

  override getConfig(): LayerConfig {
    return { interpolation: this.interpolation, ...super.getConfig() };
  }

  static fromConfig(c: ConfigReader): UpSampling2D {
    c.channelsLast();
    return new UpSampling2D({
      ...c.base(),
      size: c.intOrTuple('size', 2, 2),
      interpolation: c.choice('interpolation', { nearest: 'nearest', bilinear: 'bilinear' } as const, 'nearest'),
    });
  }
}

export class UpSampling3D extends UpSampling {
  constructor(options: UpSampling3DOptions = {}) {
    super(options, OPTIONS_3D, 3);
  }

  call(x: Tensor): Tensor {
    return upSampling3d(x, [this.size[0]!, this.size[1]!, this.size[2]!]);
  }

  static fromConfig(c: ConfigReader): UpSampling3D {
    c.channelsLast();
    return new UpSampling3D({ ...c.base(), size: c.intOrTuple('size', 3, 2) });
  }
}
