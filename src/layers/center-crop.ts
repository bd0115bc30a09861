/**
 * CenterCrop: the centred height x width window of each image. An image smaller than that is first resized
 * so that the largest window of the target aspect ratio fills it (as Keras does), so the output always has
 * the asked size.
 */
import * as ops from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { SpecFor } from '../util/checks.js';
import { is } from '../util/checks.js';
import type { LayerConfig, LayerOptions } from './base-layer.js';
import type { ConfigReader } from './config.js';
import { Layer } from './layer.js';
import type { LayerShape } from './layer-shape.js';
import { checkImageShape, imageSize, layerSpec, onImages, resizeImages, withImageSize } from './preprocessing.js';

export interface CenterCropOptions extends LayerOptions {
  height: number;
  width: number;
}

const OPTIONS = layerSpec({ height: is.positiveInteger, width: is.positiveInteger } satisfies SpecFor<Omit<CenterCropOptions, keyof LayerOptions>>);

/** The window [top, left] of height x width in images of rank 4, or a resize when they are smaller. */
export function cropImages(images: Tensor, height: number, width: number, top?: number, left?: number): Tensor {
  const [inH, inW] = imageSize(images.shape);
  if (inH < height || inW < width) return resizeImages(images, height, width, { interpolation: 'bilinear', cropToAspectRatio: true });
  const [b, , , c] = images.shape as [number, number, number, number];
  return ops.slice(images, [0, top ?? Math.trunc((inH - height) / 2), left ?? Math.trunc((inW - width) / 2), 0], [b, height, width, c]);
}

export class CenterCrop extends Layer {
  readonly height: number;
  readonly width: number;

  constructor(options: CenterCropOptions) {
    super(options);
    ({ height: this.height, width: this.width } = OPTIONS.parse(this.label, options));
  }

  override build(inputShape: LayerShape): void {
    checkImageShape(this.label, inputShape);
  }

  call(x: Tensor): Tensor {
    return onImages(this.label, x, (images) => cropImages(images, this.height, this.width));
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    return withImageSize(inputShape, this.height, this.width);
  }

  override getConfig(): LayerConfig {
    return { height: this.height, width: this.width, data_format: 'channels_last', ...super.getConfig() };
  }

  static fromConfig(c: ConfigReader): CenterCrop {
    c.channelsLast();
    return new CenterCrop({ ...c.base(), height: c.integer('height'), width: c.integer('width') });
  }
}
