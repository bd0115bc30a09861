/** The shared options and shape rule of MaxPooling3D and AveragePooling3D (NDHWC). */
import type { SpecFor } from '../util/checks.js';
import { optionsSpec } from '../util/checks.js';
import type { Padding } from '../util/conv-geometry.js';
import { outputSize, tuple } from '../util/conv-geometry.js';
import { ShapeError } from '../util/errors.js';
import type { LayerConfig, LayerOptions } from './base-layer.js';
import type { ConfigReader } from './config.js';
import { Layer, checkInputSpec } from './layer.js';
import type { Window } from './layer-options.js';
import { LAYER_OPTIONS, padding, window3 } from './layer-options.js';
import type { LayerShape } from './layer-shape.js';

export interface Pooling3DOptions extends LayerOptions {
  /** Window size (default 2, as Keras's (2, 2, 2)). */
  poolSize?: Window;
  /** Step between windows (defaults to poolSize). */
  strides?: Window;
  padding?: Padding;
}

const OPTIONS = optionsSpec({
  ...LAYER_OPTIONS,
  poolSize: window3.optional(),
  strides: window3.optional(),
  padding: padding.optional(),
} satisfies SpecFor<Pooling3DOptions>);

export abstract class Pooling3D extends Layer {
  readonly poolSize: [number, number, number];
  readonly strides: [number, number, number];
  readonly padding: Padding;

  constructor(options: Pooling3DOptions = {}) {
    super(options);
    const o = OPTIONS.parse(this.label, options);
    this.poolSize = tuple(this.label, 'poolSize', o.poolSize ?? 2, 3) as [number, number, number];
    this.strides = tuple(this.label, 'strides', o.strides ?? this.poolSize, 3) as [number, number, number];
    this.padding = o.padding ?? 'valid';
  }

  override build(inputShape: LayerShape): void {
    this.inputSpec = { rank: 5 };
    this.computeOutputShape(inputShape);
  }

  override getConfig(): LayerConfig {
    return { pool_size: [...this.poolSize], padding: this.padding, strides: [...this.strides], data_format: 'channels_last', ...super.getConfig() };
  }

  /** MaxPooling3D.fromConfig and AveragePooling3D.fromConfig. */
  static fromConfig<T extends Pooling3D>(this: new (options: Pooling3DOptions) => T, c: ConfigReader): T {
    c.channelsLast();
    const poolSize = c.intOrTuple('pool_size', 3, 2);
    return new this({
      ...c.base(),
      poolSize,
      strides: c.get('strides') === undefined || c.get('strides') === null ? poolSize : c.intOrTuple('strides', 3),
      padding: c.choice('padding', { valid: 'valid', same: 'same' } as const, 'valid'),
    });
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    checkInputSpec(this.label, { rank: 5 }, inputShape);
    const sizes = inputShape.slice(1, 4).map((d, i) => {
      if (d === null || d === undefined) return null;
      if (this.padding === 'valid' && this.poolSize[i]! > d) {
        throw new ShapeError(`${this.label}: the pool window ${this.poolSize.join('x')} does not fit in the input's ${inputShape.slice(1, 4).join('x')} with padding "valid"`);
      }
      return outputSize(d, this.poolSize[i]!, this.strides[i]!, this.padding).out;
    });
    return [inputShape[0] ?? null, ...sizes, inputShape[4] ?? null];
  }
}
