/**
 * RandomContrast: in training, each image's distance from its per-channel mean scaled by a draw from
 * [1 - lower, 1 + upper] (factor f means [1 - f, 1 + f]), then clipped to valueRange, as Keras 3 does.
 */
import * as ops from '../ops/index.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { is } from '../util/checks.js';
import { ValueError, describe } from '../util/errors.js';
import type { Rng } from '../util/random.js';
import type { LayerConfig } from './base-layer.js';
import type { ConfigReader } from './config.js';
import type { AugmentationOptions, Factor } from './image-augmentation.js';
import { ImageAugmentation, augmentationBase, factorCheck, readFactor, seedCheck } from './image-augmentation.js';
import { layerSpec } from './preprocessing.js';

export interface RandomContrastOptions extends AugmentationOptions {
  /** f for contrast factors in [1 - f, 1 + f], or [lower, upper] for [1 - lower, 1 + upper]; each in [0, 1]. */
  factor: Factor;
  /** The range of pixel values, outputs are clipped to it (default [0, 255]). */
  valueRange?: readonly [number, number];
}

export const valueRangeCheck = is.arrayOf(is.finite, { length: 2 }).where((v) => v[0]! < v[1]!, 'a [low, high] pair with low < high');

const OPTIONS = layerSpec({ factor: factorCheck, valueRange: valueRangeCheck.default([0, 255]), seed: seedCheck });

/** valueRange from a config (Keras's value_range). */
export function readValueRange(c: ConfigReader): [number, number] {
  const v = c.get('value_range');
  if (v === undefined || v === null) return [0, 255];
  if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'number') return [v[0], v[1]];
  throw c.fail('value_range', 'a [low, high] pair');
}

export class RandomContrast extends ImageAugmentation {
  readonly factor: Factor;
  readonly valueRange: readonly [number, number];
  readonly #range: [number, number];

  constructor(options: RandomContrastOptions) {
    super(options);
    const o = OPTIONS.parse(this.label, options);
    this.factor = o.factor as Factor;
    const [lower, upper] = typeof this.factor === 'number' ? [this.factor, this.factor] : this.factor;
    if (!(lower >= 0 && lower <= 1 && upper >= 0 && upper <= 1)) {
      throw new ValueError(`${this.label}: option 'factor' expected a number or a [lower, upper] pair in [0, 1], received ${describe(this.factor)}`);
    }
    this.#range = [1 - lower, 1 + upper];
    this.valueRange = [o.valueRange[0]!, o.valueRange[1]!];
    this.useSeed(o.seed);
  }

  protected augment(images: Tensor, random: Rng): Tensor {
    const b = images.shape[0]!;
    const factors = tensor(Float32Array.from({ length: b }, () => random.uniform(this.#range[0], this.#range[1])), [b, 1, 1, 1]);
    const means = ops.mean(images, [1, 2], { keepDims: true });
    return ops.clip(ops.add(ops.mul(ops.sub(images, means), factors), means), this.valueRange[0], this.valueRange[1]);
  }

  override getConfig(): LayerConfig {
    return { factor: typeof this.factor === 'number' ? this.factor : [...this.factor], value_range: [...this.valueRange], ...super.getConfig() };
  }

  static fromConfig(c: ConfigReader): RandomContrast {
    return new RandomContrast({ ...augmentationBase(c), factor: readFactor(c, 'factor'), valueRange: readValueRange(c) });
  }
}
