/** Rescaling: x * scale + offset (e.g. scale 1/255 turns pixels into [0, 1]); integer inputs become float. */
import * as ops from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { SpecFor } from '../util/checks.js';
import { is } from '../util/checks.js';
import type { LayerConfig, LayerOptions } from './base-layer.js';
import type { ConfigReader } from './config.js';
import { Layer } from './layer.js';
import { layerSpec } from './preprocessing.js';

export interface RescalingOptions extends LayerOptions {
  scale: number;
  /** Added after scaling (default 0). */
  offset?: number;
}

const OPTIONS = layerSpec({ scale: is.finite, offset: is.finite.default(0) } satisfies SpecFor<Omit<RescalingOptions, keyof LayerOptions>>);

export class Rescaling extends Layer {
  readonly scale: number;
  readonly offset: number;

  constructor(options: RescalingOptions) {
    super(options);
    ({ scale: this.scale, offset: this.offset } = OPTIONS.parse(this.label, options));
  }

  call(x: Tensor): Tensor {
    const v = x.dtype === 'float32' || x.dtype === 'float64' ? x : ops.cast(x, this.dtype);
    const scaled = this.scale === 1 ? v : ops.mul(v, this.scale);
    return this.offset === 0 ? scaled : ops.add(scaled, this.offset);
  }

  override getConfig(): LayerConfig {
    return { scale: this.scale, offset: this.offset, ...super.getConfig() };
  }

  static fromConfig(c: ConfigReader): Rescaling {
    return new Rescaling({ ...c.base(), scale: c.number('scale'), offset: c.number('offset', 0) });
  }
}
