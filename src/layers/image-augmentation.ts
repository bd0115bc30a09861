/**
 * The base of the augmentation layers: in training each image of the batch gets its own random draw
 * (from the generator setSeed seeds, or from the layer's own when given a `seed`); outside training
 * (predict, evaluate) images pass unchanged. Geometric augmentations are one projective transform per
 * image on the imageTransform kernel, so every backend reads the same pixels for the same draws.
 */
import * as ops from '../ops/index.js';
import type { FillMode } from '../backend/kernel-table.js';
import { FILL_MODES } from '../backend/kernel-table.js';
import type { Tensor } from '../tensor/tensor.js';
import { is } from '../util/checks.js';
import { ValueError, describe } from '../util/errors.js';
import type { Rng } from '../util/random.js';
import { Rng as Generator, rng } from '../util/random.js';
import type { CallOptions, LayerConfig, LayerOptions } from './base-layer.js';
import type { ConfigReader } from './config.js';
import { Layer } from './layer.js';
import type { LayerShape } from './layer-shape.js';
import { checkImageShape, imageSize, onImages } from './preprocessing.js';

/** A factor as Keras takes it: one number f for [-f, f] (or another default range), or [lower, upper]. */
export type Factor = number | readonly [number, number];

export interface AugmentationOptions extends LayerOptions {
  /** Seeds the layer's own generator; without it the layer draws from the one setSeed seeds (and resume restores). */
  seed?: number | null;
}

/** Options of the geometric augmentations, with Keras's defaults. */
export interface WarpOptions {
  /** What is read outside the image: 'reflect' (default), 'wrap', 'constant' (fillValue) or 'nearest'. */
  fillMode?: FillMode;
  /** 'bilinear' (default) or 'nearest'. */
  interpolation?: 'bilinear' | 'nearest';
  /** The value read outside the image with fillMode 'constant' (default 0). */
  fillValue?: number;
}

export const factorCheck = is.finite.or(is.arrayOf(is.finite, { length: 2 }).where((v) => v[0]! <= v[1]!, 'a [lower, upper] pair with lower <= upper'));
export const seedCheck = is.integer.or(is.satisfying('null', (v): v is null => v === null)).default(null);
export const warpSpec = {
  fillMode: is.oneOf(FILL_MODES).default('reflect'),
  interpolation: is.oneOf(['bilinear', 'nearest'] as const).default('bilinear'),
  fillValue: is.finite.default(0),
};

/** [lower, upper] of a factor: f reads as [-f, f]; both bounds must lie in [min, max]. */
export function factorRange(label: string, name: string, factor: Factor, min: number, max: number): [number, number] {
  const [lower, upper] = typeof factor === 'number' ? [-Math.abs(factor), Math.abs(factor)] : factor;
  if (!(lower >= min && upper <= max)) {
    throw new ValueError(`${label}: option '${name}' expected bounds in [${min}, ${max}], received ${describe(factor)}`);
  }
  return [lower, upper];
}

/** A factor in a config: a number or a pair. */
export function readFactor(c: ConfigReader, key: string): Factor {
  const v = c.get(key);
  if (typeof v === 'number') return v;
  if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'number') return [v[0], v[1]];
  throw c.fail(key, 'a number or a [lower, upper] pair');
}

/** The base options of an augmentation's config. */
export function augmentationBase(c: ConfigReader): AugmentationOptions {
  const seed = c.get('seed');
  return { ...c.base(), ...(typeof seed === 'number' ? { seed } : {}) };
}

export abstract class ImageAugmentation extends Layer {
  #seed: number | null = null;
  #own: Rng | null = null;

  /** Called once by each constructor, after its options are checked. */
  protected useSeed(seed: number | null): void {
    this.#seed = seed;
    this.#own = seed === null ? null : new Generator(seed);
  }

  get seed(): number | null {
    return this.#seed;
  }

  override build(inputShape: LayerShape): void {
    checkImageShape(this.label, inputShape);
  }

  /** The augmented batch ([batch, height, width, channels], float). */
  protected abstract augment(images: Tensor, random: Rng): Tensor;

  call(x: Tensor, options: CallOptions): Tensor {
    return onImages(this.label, x, (images) => (options.training ? this.augment(images, this.#own ?? rng()) : this.inference(images)));
  }

  /** What the layer does outside training: nothing, except for RandomCrop. */
  protected inference(images: Tensor): Tensor {
    return images;
  }

  override getConfig(): LayerConfig {
    return { seed: this.seed, ...super.getConfig() };
  }
}

/** A geometric augmentation: one transform row per image, applied with the warp options. */
export abstract class ImageWarp extends ImageAugmentation {
  fillMode: FillMode = 'reflect';
  interpolation: 'bilinear' | 'nearest' = 'bilinear';
  fillValue = 0;

  /** Called once by each constructor, after its options are checked. */
  protected useWarp(warp: Required<WarpOptions> & { seed: number | null }): void {
    ({ fillMode: this.fillMode, interpolation: this.interpolation, fillValue: this.fillValue } = warp);
    this.useSeed(warp.seed);
  }

  /** The transform [a0, a1, a2, b0, b1, b2, c0, c1] of one image of height x width. */
  protected abstract transform(height: number, width: number, random: Rng): number[];

  protected augment(images: Tensor, random: Rng): Tensor {
    const [h, w] = imageSize(images.shape);
    const rows = Array.from({ length: images.shape[0]! }, () => this.transform(h, w, random));
    if (rows.length === 0) return images;
    return ops.imageTransform(images, rows, { interpolation: this.interpolation, fillMode: this.fillMode, fillValue: this.fillValue });
  }

  override getConfig(): LayerConfig {
    return { fill_mode: this.fillMode, interpolation: this.interpolation, fill_value: this.fillValue, ...super.getConfig() };
  }
}

/** The warp options of a config. */
export function readWarp(c: ConfigReader): Required<WarpOptions> {
  return { fillMode: c.string('fill_mode', 'reflect') as FillMode, interpolation: c.string('interpolation', 'bilinear') as 'bilinear', fillValue: c.number('fill_value', 0) };
}
