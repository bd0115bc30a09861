/**
 * RandomRotation: in training, each image rotated about its centre by an angle drawn from
 * [lower, upper] x 2 pi (factor f means [-f, f]); positive angles turn counter-clockwise, as in Keras.
 */
import type { Rng } from '../util/random.js';
import type { LayerConfig } from './base-layer.js';
import type { ConfigReader } from './config.js';
import type { AugmentationOptions, Factor, WarpOptions } from './image-augmentation.js';
import { ImageWarp, augmentationBase, factorCheck, factorRange, readFactor, readWarp, seedCheck, warpSpec } from './image-augmentation.js';
import { layerSpec } from './preprocessing.js';

export interface RandomRotationOptions extends AugmentationOptions, WarpOptions {
  /** A fraction of a full turn: f for [-f, f], or [lower, upper]. */
  factor: Factor;
}

const OPTIONS = layerSpec({ factor: factorCheck, seed: seedCheck, ...warpSpec });

/** Keras's rotation about the centre of a height x width image (output pixel to input pixel). */
export function rotationTransform(angle: number, height: number, width: number): number[] {
  const cos = Math.cos(angle), sin = Math.sin(angle);
  const x = (width - 1 - (cos * (width - 1) - sin * (height - 1))) / 2;
  const y = (height - 1 - (sin * (width - 1) + cos * (height - 1))) / 2;
  return [cos, -sin, x, sin, cos, y, 0, 0];
}

export class RandomRotation extends ImageWarp {
  readonly factor: Factor;
  readonly #range: [number, number];

  constructor(options: RandomRotationOptions) {
    super(options);
    const o = OPTIONS.parse(this.label, options);
    this.factor = o.factor as Factor;
    this.#range = factorRange(this.label, 'factor', this.factor, -Infinity, Infinity);
    this.useWarp(o);
  }

  protected transform(height: number, width: number, random: Rng): number[] {
    return rotationTransform(random.uniform(this.#range[0], this.#range[1]) * 2 * Math.PI, height, width);
  }

  override getConfig(): LayerConfig {
    return { factor: typeof this.factor === 'number' ? this.factor : [...this.factor], ...super.getConfig() };
  }

  static fromConfig(c: ConfigReader): RandomRotation {
    return new RandomRotation({ ...augmentationBase(c), factor: readFactor(c, 'factor'), ...readWarp(c) });
  }
}
