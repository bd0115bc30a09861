/**
 * ReLU: Keras's full rectifier. Values above `threshold` pass (capped at `maxValue` when given); below it
 * the output is `negativeSlope * (x - threshold)`. ReLU({ maxValue: 6 }) is MobileNet's relu6.
 */
import { clip, mul, relu, sub, where, greater } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { SpecFor } from '../util/checks.js';
import { is, optionsSpec } from '../util/checks.js';
import type { LayerConfig, LayerOptions } from './base-layer.js';
import type { ConfigReader } from './config.js';
import { Layer } from './layer.js';
import { LAYER_OPTIONS, isNull } from './layer-options.js';

export interface ReLUOptions extends LayerOptions {
  /** The largest output (default none). */
  maxValue?: number | null;
  /** Slope below the threshold (default 0). */
  negativeSlope?: number;
  /** Where the rectifier bends (default 0). */
  threshold?: number;
}

const OPTIONS = optionsSpec({
  ...LAYER_OPTIONS,
  maxValue: is.nonNegative.or(isNull).optional(),
  negativeSlope: is.nonNegative.optional(),
  threshold: is.finite.optional(),
} satisfies SpecFor<ReLUOptions>);

export class ReLU extends Layer {
  readonly maxValue: number | null;
  readonly negativeSlope: number;
  readonly threshold: number;

  constructor(options: ReLUOptions = {}) {
    super(options);
    const o = OPTIONS.parse(this.label, options);
    this.maxValue = o.maxValue ?? null;
    this.negativeSlope = o.negativeSlope ?? 0;
    this.threshold = o.threshold ?? 0;
    this.supportsMasking = true;
  }

  override get outputActivation(): string {
    return this.maxValue === 6 && this.threshold === 0 && this.negativeSlope === 0 ? 'relu6' : 'relu';
  }

  /** Keras's relu(x, negative_slope, max_value, threshold), step by step. */
  call(x: Tensor): Tensor {
    let y = this.threshold === 0 ? relu(x) : where(greater(x, this.threshold), x, 0);
    if (this.maxValue !== null) y = clip(y, 0, this.maxValue);
    if (this.negativeSlope !== 0) y = sub(y, mul(relu(sub(this.threshold, x)), this.negativeSlope));
    return y;
  }

  override getConfig(): LayerConfig {
    return { max_value: this.maxValue, negative_slope: this.negativeSlope, threshold: this.threshold, ...super.getConfig() };
  }

  static fromConfig(c: ConfigReader): ReLU {
    const max = c.get('max_value');
    return new ReLU({
      ...c.base(),
      maxValue: max === undefined || max === null ? null : c.number('max_value'),
      negativeSlope: c.number('negative_slope', 0),
      threshold: c.number('threshold', 0),
    });
  }
}
