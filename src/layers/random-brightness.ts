/**
 * RandomBrightness: in training, each image shifted by a draw from [lower, upper] (factor f means
 * [-f, f], within [-1, 1]) times the width of valueRange, then clipped to valueRange, as Keras does.
 */
import * as ops from '../ops/index.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Rng } from '../util/random.js';
import type { LayerConfig } from './base-layer.js';
import type { ConfigReader } from './config.js';
import type { AugmentationOptions, Factor } from './image-augmentation.js';
import { ImageAugmentation, augmentationBase, factorCheck, factorRange, readFactor, seedCheck } from './image-augmentation.js';
import { layerSpec } from './preprocessing.js';
import { readValueRange, valueRangeCheck } from './random-contrast.js';

export interface RandomBrightnessOptions extends AugmentationOptions {
  /** f for shifts in [-f, f] of the value range, or [lower, upper]; within [-1, 1]. */
  factor: Factor;
  /** The range of pixel values (default [0, 255]). */
  valueRange?: readonly [number, number];
}

const OPTIONS = layerSpec({ factor: factorCheck, valueRange: valueRangeCheck.default([0, 255]), seed: seedCheck });

export class RandomBrightness extends ImageAugmentation {
  readonly factor: Factor;
  readonly valueRange: readonly [number, number];
  readonly #range: [number, number];

  constructor(options: RandomBrightnessOptions) {
    super(options);
    const o = OPTIONS.parse(this.label, options);
    this.factor = o.factor as Factor;
    this.#range = factorRange(this.label, 'factor', this.factor, -1, 1);
    this.valueRange = [o.valueRange[0]!, o.valueRange[1]!];
    this.useSeed(o.seed);
  }

  protected augment(images: Tensor, random: Rng): Tensor {
    const b = images.shape[0]!;
    const [low, high] = this.valueRange;
    const deltas = tensor(Float32Array.from({ length: b }, () => random.uniform(this.#range[0], this.#range[1]) * (high - low)), [b, 1, 1, 1]);
    return ops.clip(ops.add(images, deltas), low, high);
  }

  override getConfig(): LayerConfig {
    return { factor: typeof this.factor === 'number' ? this.factor : [...this.factor], value_range: [...this.valueRange], ...super.getConfig() };
  }

  static fromConfig(c: ConfigReader): RandomBrightness {
    return new RandomBrightness({ ...augmentationBase(c), factor: readFactor(c, 'factor'), valueRange: readValueRange(c) });
  }
}
