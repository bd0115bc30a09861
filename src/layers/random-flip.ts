/** RandomFlip: in training, each image flipped left-right and/or top-bottom, each with probability 1/2. */
import type { Rng } from '../util/random.js';
import type { LayerConfig } from './base-layer.js';
import type { ConfigReader } from './config.js';
import type { AugmentationOptions } from './image-augmentation.js';
import { ImageWarp, augmentationBase, seedCheck } from './image-augmentation.js';
import { layerSpec, oneOfKeras, snakeCase } from './preprocessing.js';

export type FlipMode = 'horizontal' | 'vertical' | 'horizontalAndVertical';

export interface RandomFlipOptions extends AugmentationOptions {
  /** 'horizontalAndVertical' (default; Keras's 'horizontal_and_vertical' too), 'horizontal' or 'vertical'. */
  mode?: FlipMode | 'horizontal_and_vertical';
}

const OPTIONS = layerSpec({ mode: oneOfKeras(['horizontalAndVertical', 'horizontal', 'vertical'] as const).default('horizontalAndVertical'), seed: seedCheck });

export class RandomFlip extends ImageWarp {
  readonly mode: FlipMode;

  constructor(options: RandomFlipOptions = {}) {
    super(options);
    const o = OPTIONS.parse(this.label, options);
    this.mode = o.mode;
    // Flips read whole pixels: nearest interpolation copies them exactly.
    this.useWarp({ seed: o.seed, fillMode: 'reflect', interpolation: 'nearest', fillValue: 0 });
  }

  protected transform(height: number, width: number, random: Rng): number[] {
    const h = this.mode !== 'vertical' && random.next() < 0.5;
    const v = this.mode !== 'horizontal' && random.next() < 0.5;
    return [h ? -1 : 1, 0, h ? width - 1 : 0, 0, v ? -1 : 1, v ? height - 1 : 0, 0, 0];
  }

  override getConfig(): LayerConfig {
    const { fill_mode: _f, interpolation: _i, fill_value: _v, ...rest } = super.getConfig();
    return { mode: snakeCase(this.mode), ...rest };
  }

  static fromConfig(c: ConfigReader): RandomFlip {
    return new RandomFlip({ ...augmentationBase(c), mode: c.string('mode', 'horizontal_and_vertical') as FlipMode });
  }
}
