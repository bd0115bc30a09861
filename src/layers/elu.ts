/** ELU: x above 0, alpha * (exp(x) - 1) below (default alpha 1). */
import { elu } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { SpecFor } from '../util/checks.js';
import { is, optionsSpec } from '../util/checks.js';
import type { LayerConfig, LayerOptions } from './base-layer.js';
import type { ConfigReader } from './config.js';
import { Layer } from './layer.js';
import { LAYER_OPTIONS } from './layer-options.js';

export interface ELUOptions extends LayerOptions {
  alpha?: number;
}

const OPTIONS = optionsSpec({ ...LAYER_OPTIONS, alpha: is.finite.optional() } satisfies SpecFor<ELUOptions>);

export class ELU extends Layer {
  readonly alpha: number;

  constructor(options: ELUOptions = {}) {
    super(options);
    this.alpha = OPTIONS.parse(this.label, options).alpha ?? 1;
    this.supportsMasking = true;
  }

  override get outputActivation(): string {
    return 'elu';
  }

  call(x: Tensor): Tensor {
    return elu(x, this.alpha);
  }

  override getConfig(): LayerConfig {
    return { alpha: this.alpha, ...super.getConfig() };
  }

  static fromConfig(c: ConfigReader): ELU {
    return new ELU({ ...c.base(), alpha: c.number('alpha', 1) });
  }
}
