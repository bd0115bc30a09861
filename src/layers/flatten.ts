/** Flatten: [batch, ...dims] -> [batch, product of dims]. */
import { reshape } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { sizeOf } from '../util/shape.js';
import type { LayerConfig } from './base-layer.js';
import type { ConfigReader } from './config.js';
import { Layer } from './layer.js';
import type { LayerShape } from './layer-shape.js';

export class Flatten extends Layer {
  call(x: Tensor): Tensor {
    return reshape(x, [x.shape[0] ?? 1, sizeOf(x.shape.slice(1))]);
  }

  override getConfig(): LayerConfig {
    return { data_format: 'channels_last', ...super.getConfig() };
  }

  static fromConfig(c: ConfigReader): Flatten {
    c.channelsLast();
    return new Flatten(c.base());
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    const rest = inputShape.slice(1);
    const known = rest.every((d): d is number => d !== null);
    return [inputShape[0] ?? null, known ? rest.reduce((a, b) => a * b, 1) : null];
  }
}
