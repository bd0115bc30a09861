/** The shared options and shape rule of MaxPooling2D and AveragePooling2D. */
import type { Padding } from '../util/conv-geometry.js';
import { checkPadding, pair } from '../util/conv-geometry.js';
import type { LayerConfig, LayerOptions } from './base-layer.js';
import type { ConfigReader } from './config.js';
import { spatialOutputShape } from './conv2d.js';
import { Layer } from './layer.js';
import type { LayerShape } from './layer-shape.js';

export interface Pooling2DOptions extends LayerOptions {
  /** Window size (default 2, as Keras's (2, 2)). */
  poolSize?: number | readonly [number, number];
  /** Step between windows (defaults to poolSize). */
  strides?: number | readonly [number, number];
  padding?: Padding;
}

export abstract class Pooling2D extends Layer {
  readonly poolSize: [number, number];
  readonly strides: [number, number];
  readonly padding: Padding;

  constructor(options: Pooling2DOptions = {}) {
    super(options);
    this.poolSize = pair(this.label, 'poolSize', options.poolSize ?? 2);
    this.strides = pair(this.label, 'strides', options.strides ?? this.poolSize);
    this.padding = checkPadding(this.label, options.padding ?? 'valid');
  }

  override build(inputShape: LayerShape): void {
    this.inputSpec = { rank: 4 };
    this.computeOutputShape(inputShape);
  }

  override getConfig(): LayerConfig {
    return { pool_size: [...this.poolSize], padding: this.padding, strides: [...this.strides], data_format: 'channels_last', ...super.getConfig() };
  }

  /** MaxPooling2D.fromConfig and AveragePooling2D.fromConfig. */
  static fromConfig<T extends Pooling2D>(this: new (options: Pooling2DOptions) => T, c: ConfigReader): T {
    c.channelsLast();
    const poolSize = c.intOrPair('pool_size', 2);
    return new this({
      ...c.base(),
      poolSize,
      strides: c.get('strides') === undefined || c.get('strides') === null ? poolSize : c.intOrPair('strides'),
      padding: c.choice('padding', { valid: 'valid', same: 'same' } as const, 'valid'),
    });
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    return spatialOutputShape(this.label, inputShape, this.poolSize, this.strides, this.padding, [1, 1], inputShape[3] ?? null);
  }
}
