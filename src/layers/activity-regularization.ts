/**
 * ActivityRegularization: passes its input through and, while training, adds l1 * sum(|x|) + l2 * sum(x^2)
 * of it to the loss (Keras's layer form of an activity regularizer).
 */
import { L1L2 } from '../nn/regularizers.js';
import type { Tensor } from '../tensor/tensor.js';
import type { SpecFor } from '../util/checks.js';
import { is, optionsSpec } from '../util/checks.js';
import type { LayerConfig, LayerOptions } from './base-layer.js';
import type { ConfigReader } from './config.js';
import { Layer } from './layer.js';
import { LAYER_OPTIONS } from './layer-options.js';

export interface ActivityRegularizationOptions extends Omit<LayerOptions, 'activityRegularizer'> {
  l1?: number;
  l2?: number;
}

const { activityRegularizer: _, ...BASE } = LAYER_OPTIONS;
const OPTIONS = optionsSpec({ ...BASE, l1: is.nonNegative.optional(), l2: is.nonNegative.optional() } satisfies SpecFor<ActivityRegularizationOptions>);

export class ActivityRegularization extends Layer {
  readonly l1: number;
  readonly l2: number;

  constructor(options: ActivityRegularizationOptions = {}) {
    const { l1, l2, ...base } = OPTIONS.parse('ActivityRegularization', options);
    super({ ...base, activityRegularizer: new L1L2({ l1: l1 ?? 0, l2: l2 ?? 0 }) });
    this.l1 = l1 ?? 0;
    this.l2 = l2 ?? 0;
    this.supportsMasking = true;
  }

  call(x: Tensor): Tensor {
    return x;
  }

  override getConfig(): LayerConfig {
    const { activity_regularizer: _, ...base } = super.getConfig();
    return { l1: this.l1, l2: this.l2, ...base };
  }

  static fromConfig(c: ConfigReader): ActivityRegularization {
    const { activityRegularizer: _, ...base } = c.base();
    return new ActivityRegularization({ ...base, l1: c.number('l1', 0), l2: c.number('l2', 0) });
  }
}
