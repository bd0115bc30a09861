/**
 * RandomCrop: in training, a height x width window at a random place (one place per batch, as Keras);
 * outside training, and for images smaller than the window, the largest centred window of that aspect
 * ratio resized to height x width (Keras's behaviour), so the output size never changes.
 */
import type { Tensor } from '../tensor/tensor.js';
import { is } from '../util/checks.js';
import type { Rng } from '../util/random.js';
import type { LayerConfig } from './base-layer.js';
import { cropImages } from './center-crop.js';
import type { ConfigReader } from './config.js';
import type { AugmentationOptions } from './image-augmentation.js';
import { ImageAugmentation, augmentationBase, seedCheck } from './image-augmentation.js';
import type { LayerShape } from './layer-shape.js';
import { imageSize, layerSpec, resizeImages, withImageSize } from './preprocessing.js';

export interface RandomCropOptions extends AugmentationOptions {
  height: number;
  width: number;
}

const OPTIONS = layerSpec({ height: is.positiveInteger, width: is.positiveInteger, seed: seedCheck });

export class RandomCrop extends ImageAugmentation {
  readonly height: number;
  readonly width: number;

  constructor(options: RandomCropOptions) {
    super(options);
    const o = OPTIONS.parse(this.label, options);
    ({ height: this.height, width: this.width } = o);
    this.useSeed(o.seed);
  }

  protected augment(images: Tensor, random: Rng): Tensor {
    const [h, w] = imageSize(images.shape);
    if (h < this.height || w < this.width) return this.inference(images);
    return cropImages(images, this.height, this.width, random.int(h - this.height + 1), random.int(w - this.width + 1));
  }

  protected override inference(images: Tensor): Tensor {
    return resizeImages(images, this.height, this.width, { interpolation: 'bilinear', cropToAspectRatio: true });
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    return withImageSize(inputShape, this.height, this.width);
  }

  override getConfig(): LayerConfig {
    return { height: this.height, width: this.width, ...super.getConfig() };
  }

  static fromConfig(c: ConfigReader): RandomCrop {
    return new RandomCrop({ ...augmentationBase(c), height: c.integer('height'), width: c.integer('width') });
  }
}
