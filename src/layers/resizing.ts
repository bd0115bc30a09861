/**
 * Resizing: images to height x width, bilinear or nearest, with half-pixel centres as Keras (TensorFlow 2)
 * resizes; with cropToAspectRatio, the largest centred window of the target aspect ratio is resized, so
 * nothing is stretched. Images are [batch, height, width, channels] or one [height, width, channels].
 */
import type { Tensor } from '../tensor/tensor.js';
import type { SpecFor } from '../util/checks.js';
import { is } from '../util/checks.js';
import type { LayerConfig, LayerOptions } from './base-layer.js';
import type { ConfigReader } from './config.js';
import { Layer } from './layer.js';
import type { LayerShape } from './layer-shape.js';
import { checkImageShape, layerSpec, onImages, resizeImages, withImageSize } from './preprocessing.js';

export interface ResizingOptions extends LayerOptions {
  height: number;
  width: number;
  /** 'bilinear' (default) or 'nearest'. */
  interpolation?: 'bilinear' | 'nearest';
  /** Resize the largest centred window with the target aspect ratio instead of stretching (default false). */
  cropToAspectRatio?: boolean;
}

const OPTIONS = layerSpec({
  height: is.positiveInteger,
  width: is.positiveInteger,
  interpolation: is.oneOf(['bilinear', 'nearest'] as const).default('bilinear'),
  cropToAspectRatio: is.boolean.default(false),
} satisfies SpecFor<Omit<ResizingOptions, keyof LayerOptions>>);

export class Resizing extends Layer {
  readonly height: number;
  readonly width: number;
  readonly interpolation: 'bilinear' | 'nearest';
  readonly cropToAspectRatio: boolean;

  constructor(options: ResizingOptions) {
    super(options);
    ({ height: this.height, width: this.width, interpolation: this.interpolation, cropToAspectRatio: this.cropToAspectRatio } = OPTIONS.parse(this.label, options));
  }

  override build(inputShape: LayerShape): void {
    checkImageShape(this.label, inputShape);
  }

  call(x: Tensor): Tensor {
    return onImages(this.label, x, (images) => resizeImages(images, this.height, this.width, this));
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    return withImageSize(inputShape, this.height, this.width);
  }

  override getConfig(): LayerConfig {
    return { height: this.height, width: this.width, interpolation: this.interpolation, crop_to_aspect_ratio: this.cropToAspectRatio, data_format: 'channels_last', ...super.getConfig() };
  }

  static fromConfig(c: ConfigReader): Resizing {
    c.channelsLast();
    const interpolation = c.string('interpolation', 'bilinear');
    if (interpolation !== 'bilinear' && interpolation !== 'nearest') throw c.fail('interpolation', '"bilinear" or "nearest" (the interpolations layerwise resizes with)');
    return new Resizing({
      ...c.base(), height: c.integer('height'), width: c.integer('width'), interpolation, cropToAspectRatio: c.boolean('crop_to_aspect_ratio', false),
    });
  }
}
