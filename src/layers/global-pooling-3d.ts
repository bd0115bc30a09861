/**
 * The shape rule shared by the 3-D global pooling layers: [batch, d, h, w, c] -> [batch, c], or
 * [batch, 1, 1, 1, c] with `keepdims` (Keras 3).
 */
import type { SpecFor } from '../util/checks.js';
import { is, optionsSpec } from '../util/checks.js';
import type { LayerConfig, LayerOptions } from './base-layer.js';
import type { ConfigReader } from './config.js';
import { Layer, checkInputSpec } from './layer.js';
import { LAYER_OPTIONS } from './layer-options.js';
import type { LayerShape } from './layer-shape.js';

export interface GlobalPooling3DOptions extends LayerOptions {
  /** Keep the pooled axes as size 1 (default false). */
  keepdims?: boolean;
}

const OPTIONS = optionsSpec({ ...LAYER_OPTIONS, keepdims: is.boolean.optional() } satisfies SpecFor<GlobalPooling3DOptions>);

export abstract class GlobalPooling3D extends Layer {
  readonly keepdims: boolean;

  constructor(options: GlobalPooling3DOptions = {}) {
    super(options);
    this.keepdims = OPTIONS.parse(this.label, options).keepdims ?? false;
  }

  override build(): void {
    this.inputSpec = { rank: 5 };
  }

  override getConfig(): LayerConfig {
    return { data_format: 'channels_last', keepdims: this.keepdims, ...super.getConfig() };
  }

  /** GlobalAveragePooling3D.fromConfig and GlobalMaxPooling3D.fromConfig. */
  static fromConfig<T extends GlobalPooling3D>(this: new (options: GlobalPooling3DOptions) => T, c: ConfigReader): T {
    c.channelsLast();
    return new this({ ...c.base(), keepdims: c.boolean('keepdims', false) });
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    checkInputSpec(this.label, { rank: 5 }, inputShape);
    const c = inputShape[4] ?? null;
    return this.keepdims ? [inputShape[0] ?? null, 1, 1, 1, c] : [inputShape[0] ?? null, c];
  }
}
