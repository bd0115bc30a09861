/** UnitNormalization: each sample scaled to L2 norm 1 along `axis` (default -1; several axes together), as Keras computes it. */
import { maximum, mul, rsqrt, square, sum } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { SpecFor } from '../util/checks.js';
import { is, optionsSpec } from '../util/checks.js';
import type { LayerConfig, LayerOptions } from './base-layer.js';
import type { ConfigReader } from './config.js';
import { Layer } from './layer.js';
import { LAYER_OPTIONS } from './layer-options.js';

export interface UnitNormalizationOptions extends LayerOptions {
  axis?: number | readonly number[];
}

const OPTIONS = optionsSpec({ ...LAYER_OPTIONS, axis: is.integer.or(is.arrayOf(is.integer, { minLength: 1 })).optional() } satisfies SpecFor<UnitNormalizationOptions>);

/** Squared norms are floored at this, so a zero vector stays zero instead of dividing by zero. */
const EPSILON = 1e-12;

export class UnitNormalization extends Layer {
  readonly axis: number | readonly number[];

  constructor(options: UnitNormalizationOptions = {}) {
    super(options);
    this.axis = OPTIONS.parse(this.label, options).axis ?? -1;
    this.supportsMasking = true;
  }

  call(x: Tensor): Tensor {
    return mul(x, rsqrt(maximum(sum(square(x), this.axis, { keepDims: true }), EPSILON)));
  }

  override getConfig(): LayerConfig {
    return { axis: typeof this.axis === 'number' ? this.axis : [...this.axis], ...super.getConfig() };
  }

  static fromConfig(c: ConfigReader): UnitNormalization {
    const axis = c.get('axis');
    return new UnitNormalization({ ...c.base(), axis: Array.isArray(axis) ? c.shape('axis').map((a) => a ?? -1) : c.integer('axis', -1) });
  }
}
