/** The shared options and shape rule of MaxPooling1D and AveragePooling1D over [batch, steps, channels]. */
import type { SpecFor } from '../util/checks.js';
import { is, optionsSpec } from '../util/checks.js';
import type { LayerConfig, LayerOptions } from './base-layer.js';
import { LAYER_OPTIONS, preLabel } from './layer-options.js';
import type { ConfigReader } from './config.js';
import { Layer } from './layer.js';
import type { LayerShape } from './layer-shape.js';
import { oneSize, readOne, slidingShape } from './steps.js';

export interface Pooling1DOptions extends LayerOptions {
  /** Window size (default 2). */
  poolSize?: number | readonly [number];
  /** Step between windows (defaults to poolSize). */
  strides?: number | readonly [number];
  padding?: 'valid' | 'same';
}

const OPTIONS = optionsSpec({
  ...LAYER_OPTIONS,
  poolSize: oneSize.optional(),
  strides: oneSize.optional(),
  padding: is.oneOf(['valid', 'same'] as const).optional(),
} satisfies SpecFor<Pooling1DOptions>);

export abstract class Pooling1D extends Layer {
  readonly poolSize: number;
  readonly strides: number;
  readonly padding: 'valid' | 'same';

  constructor(options: Pooling1DOptions = {}) {
    const o = OPTIONS.parse(preLabel(new.target.name, options), options);
    super(options);
    this.poolSize = o.poolSize ?? 2;
    this.strides = o.strides ?? this.poolSize;
    this.padding = o.padding ?? 'valid';
  }

  override build(inputShape: LayerShape): void {
    this.inputSpec = { rank: 3 };
    this.computeOutputShape(inputShape);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    return slidingShape(this.label, inputShape, this.poolSize, this.strides, this.padding, inputShape[2] ?? null);
  }

  override getConfig(): LayerConfig {
    return { pool_size: [this.poolSize], padding: this.padding, strides: [this.strides], data_format: 'channels_last', ...super.getConfig() };
  }

  /** MaxPooling1D.fromConfig and AveragePooling1D.fromConfig. */
  static fromConfig<T extends Pooling1D>(this: new (options: Pooling1DOptions) => T, c: ConfigReader): T {
    c.channelsLast();
    const poolSize = readOne(c, 'pool_size', 2);
    return new this({ ...c.base(), poolSize, strides: readOne(c, 'strides', poolSize), padding: c.choice('padding', { valid: 'valid', same: 'same' } as const, 'valid') });
  }
}
