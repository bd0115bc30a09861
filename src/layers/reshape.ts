/** Reshape: each sample to `targetShape` (one entry may be -1, inferred); the batch axis is kept. */
import { reshape } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { ShapeError, ValueError, describe } from '../util/errors.js';
import type { LayerConfig, LayerOptions } from './base-layer.js';
import type { ConfigReader } from './config.js';
import { Layer } from './layer.js';
import type { LayerShape } from './layer-shape.js';
import { fmtLayerShape } from './layer-shape.js';

export interface ReshapeOptions extends LayerOptions {
  targetShape: readonly number[];
}

export class Reshape extends Layer {
  readonly targetShape: readonly number[];

  constructor(options: ReshapeOptions) {
    super(options);
    const t = (options as Partial<ReshapeOptions> | undefined)?.targetShape;
    const ok = Array.isArray(t) && t.every((d) => d === -1 || (Number.isInteger(d) && d > 0)) && t.filter((d) => d === -1).length <= 1;
    if (!ok) throw new ValueError(`${this.label}: option 'targetShape' expected positive integers and at most one -1, received ${describe(t)}`);
    this.targetShape = [...t];
  }

  call(x: Tensor): Tensor {
    return reshape(x, [x.shape[0] ?? 1, ...this.targetShape]);
  }

  override getConfig(): LayerConfig {
    return { target_shape: [...this.targetShape], ...super.getConfig() };
  }

  static fromConfig(c: ConfigReader): Reshape {
    // Keras writes an unknown size as null or -1.
    return new Reshape({ ...c.base(), targetShape: c.shape('target_shape').map((d) => d ?? -1) });
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    const rest = inputShape.slice(1);
    if (rest.some((d) => d === null)) return [inputShape[0] ?? null, ...this.targetShape.map((d) => (d === -1 ? null : d))];
    const size = (rest as number[]).reduce((a, b) => a * b, 1);
    const known = this.targetShape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    const inferred = size / known;
    const fits = this.targetShape.includes(-1) ? Number.isInteger(inferred) : known === size;
    if (!fits) {
      throw new ShapeError(`${this.label}: cannot reshape samples of shape ${fmtLayerShape(rest)} (${size} values) to ${fmtLayerShape(this.targetShape)}`);
    }
    return [inputShape[0] ?? null, ...this.targetShape.map((d) => (d === -1 ? inferred : d))];
  }
}
