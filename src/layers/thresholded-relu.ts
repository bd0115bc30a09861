/** ThresholdedReLU: x where x > theta, 0 elsewhere (default theta 1). */
import { greater, where } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { SpecFor } from '../util/checks.js';
import { is, optionsSpec } from '../util/checks.js';
import type { LayerConfig, LayerOptions } from './base-layer.js';
import type { ConfigReader } from './config.js';
import { Layer } from './layer.js';
import { LAYER_OPTIONS } from './layer-options.js';

export interface ThresholdedReLUOptions extends LayerOptions {
  theta?: number;
}

const OPTIONS = optionsSpec({ ...LAYER_OPTIONS, theta: is.nonNegative.optional() } satisfies SpecFor<ThresholdedReLUOptions>);

export class ThresholdedReLU extends Layer {
  readonly theta: number;

  constructor(options: ThresholdedReLUOptions = {}) {
    super(options);
    this.theta = OPTIONS.parse(this.label, options).theta ?? 1;
    this.supportsMasking = true;
  }

  call(x: Tensor): Tensor {
    return where(greater(x, this.theta), x, 0);
  }

  override getConfig(): LayerConfig {
    return { theta: this.theta, ...super.getConfig() };
  }

  static fromConfig(c: ConfigReader): ThresholdedReLU {
    return new ThresholdedReLU({ ...c.base(), theta: c.number('theta', 1) });
  }
}
