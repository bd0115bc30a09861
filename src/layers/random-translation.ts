/**
 * RandomTranslation: in training, each image shifted by a draw from heightFactor's range times its
 * height, and from widthFactor's times its width (f means [-f, f]; positive moves down and right).
 */
import type { Rng } from '../util/random.js';
import type { LayerConfig } from './base-layer.js';
import type { ConfigReader } from './config.js';
import type { AugmentationOptions, Factor, WarpOptions } from './image-augmentation.js';
import { ImageWarp, augmentationBase, factorCheck, factorRange, readFactor, readWarp, seedCheck, warpSpec } from './image-augmentation.js';
import { layerSpec } from './preprocessing.js';

export interface RandomTranslationOptions extends AugmentationOptions, WarpOptions {
  heightFactor: Factor;
  widthFactor: Factor;
}

const OPTIONS = layerSpec({ heightFactor: factorCheck, widthFactor: factorCheck, seed: seedCheck, ...warpSpec });

export class RandomTranslation extends ImageWarp {
  readonly heightFactor: Factor;
  readonly widthFactor: Factor;
  readonly #height: [number, number];
  readonly #width: [number, number];

  constructor(options: RandomTranslationOptions) {
    super(options);
    const o = OPTIONS.parse(this.label, options);
    this.heightFactor = o.heightFactor as Factor;
    this.widthFactor = o.widthFactor as Factor;
    this.#height = factorRange(this.label, 'heightFactor', this.heightFactor, -1, 1);
    this.#width = factorRange(this.label, 'widthFactor', this.widthFactor, -1, 1);
    this.useWarp(o);
  }

  protected transform(height: number, width: number, random: Rng): number[] {
    const dy = random.uniform(this.#height[0], this.#height[1]) * height;
    const dx = random.uniform(this.#width[0], this.#width[1]) * width;
    return [1, 0, -dx, 0, 1, -dy, 0, 0];
  }

  override getConfig(): LayerConfig {
    const f = (v: Factor) => (typeof v === 'number' ? v : [...v]);
    return { height_factor: f(this.heightFactor), width_factor: f(this.widthFactor), ...super.getConfig() };
  }

  static fromConfig(c: ConfigReader): RandomTranslation {
    return new RandomTranslation({ ...augmentationBase(c), heightFactor: readFactor(c, 'height_factor'), widthFactor: readFactor(c, 'width_factor'), ...readWarp(c) });
  }
}
