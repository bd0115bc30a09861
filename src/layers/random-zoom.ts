/**
 * RandomZoom: in training, each image zoomed about its centre by 1 + a draw from heightFactor's range
 * (f means [-f, f]; positive zooms out, negative in, as in Keras); the width by widthFactor's draw, or
 * by the height's when widthFactor is not given (keeping the aspect ratio).
 */
import type { Rng } from '../util/random.js';
import type { LayerConfig } from './base-layer.js';
import type { ConfigReader } from './config.js';
import type { AugmentationOptions, Factor, WarpOptions } from './image-augmentation.js';
import { ImageWarp, augmentationBase, factorCheck, factorRange, readFactor, readWarp, seedCheck, warpSpec } from './image-augmentation.js';
import { layerSpec } from './preprocessing.js';

export interface RandomZoomOptions extends AugmentationOptions, WarpOptions {
  heightFactor: Factor;
  /** Default: zoom the width as the height. */
  widthFactor?: Factor | null;
}

const OPTIONS = layerSpec({ heightFactor: factorCheck, widthFactor: factorCheck.optional(), seed: seedCheck, ...warpSpec });

export class RandomZoom extends ImageWarp {
  readonly heightFactor: Factor;
  readonly widthFactor: Factor | null;
  readonly #height: [number, number];
  readonly #width: [number, number] | null;

  constructor(options: RandomZoomOptions) {
    super(options);
    const o = OPTIONS.parse(this.label, { ...options, widthFactor: options.widthFactor ?? undefined });
    this.heightFactor = o.heightFactor as Factor;
    this.widthFactor = (o.widthFactor as Factor | undefined) ?? null;
    // A zoom of 1 + lower must stay positive.
    this.#height = factorRange(this.label, 'heightFactor', this.heightFactor, -0.999999, Infinity);
    this.#width = this.widthFactor === null ? null : factorRange(this.label, 'widthFactor', this.widthFactor, -0.999999, Infinity);
    this.useWarp(o);
  }

  protected transform(height: number, width: number, random: Rng): number[] {
    const zy = 1 + random.uniform(this.#height[0], this.#height[1]);
    const zx = this.#width ? 1 + random.uniform(this.#width[0], this.#width[1]) : zy;
    return [zx, 0, ((width - 1) / 2) * (1 - zx), 0, zy, ((height - 1) / 2) * (1 - zy), 0, 0];
  }

  override getConfig(): LayerConfig {
    const f = (v: Factor | null) => (v === null || typeof v === 'number' ? v : [...v]);
    return { height_factor: f(this.heightFactor), width_factor: f(this.widthFactor), ...super.getConfig() };
  }

  static fromConfig(c: ConfigReader): RandomZoom {
    const width = c.get('width_factor');
    return new RandomZoom({
      ...augmentationBase(c), heightFactor: readFactor(c, 'height_factor'), ...(width === null || width === undefined ? {} : { widthFactor: readFactor(c, 'width_factor') }), ...readWarp(c),
    });
  }
}
