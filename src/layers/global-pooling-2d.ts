/** The shape rule shared by the global pooling layers: [batch, h, w, c] -> [batch, c]. */
import type { LayerConfig, LayerOptions } from './base-layer.js';
import type { ConfigReader } from './config.js';
import { Layer, checkInputSpec } from './layer.js';
import type { LayerShape } from './layer-shape.js';

export abstract class GlobalPooling2D extends Layer {
  override build(): void {
    this.inputSpec = { rank: 4 };
  }

  override getConfig(): LayerConfig {
    return { data_format: 'channels_last', ...super.getConfig() };
  }

  /** GlobalAveragePooling2D.fromConfig and GlobalMaxPooling2D.fromConfig. */
  static fromConfig<T extends GlobalPooling2D>(this: new (options: LayerOptions) => T, c: ConfigReader): T {
    c.channelsLast();
    if (c.boolean('keepdims', false)) throw c.fail('keepdims', 'false (kept spatial axes are not supported)');
    return new this(c.base());
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    checkInputSpec(this.label, { rank: 4 }, inputShape);
    return [inputShape[0] ?? null, inputShape[3] ?? null];
  }
}
