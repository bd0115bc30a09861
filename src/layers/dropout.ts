/**
 * Dropout: during training, zeroes a fraction `rate` of the values and scales the rest by 1 / (1 - rate);
 * at inference it passes values through unchanged. Masks come from the global seeded generator.
 */
import { checkOption, is } from '../util/checks.js';
import { dropout } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { CallOptions, LayerConfig, LayerOptions } from './base-layer.js';
import type { ConfigReader } from './config.js';
import { Layer } from './layer.js';

export interface DropoutOptions extends LayerOptions {
  rate: number;
  /** Shape of the mask, null for "as the input" (e.g. [null, 1, 1, null] drops whole feature maps). */
  noiseShape?: readonly (number | null)[];
}

export class Dropout extends Layer {
  readonly rate: number;
  readonly noiseShape: readonly (number | null)[] | null;

  constructor(options: DropoutOptions) {
    super(options);
    this.supportsMasking = true;
    this.rate = checkOption(this.label, 'rate', (options as Partial<DropoutOptions> | undefined)?.rate, is.numberIn(0, 1, '[)'));
    this.noiseShape = options.noiseShape ?? null;
  }

  override getConfig(): LayerConfig {
    return { rate: this.rate, noise_shape: this.noiseShape ? [...this.noiseShape] : null, seed: null, ...super.getConfig() };
  }

  static fromConfig(c: ConfigReader): Dropout {
    const noise = c.get('noise_shape');
    return new Dropout({ ...c.base(), rate: c.number('rate'), ...(noise === undefined || noise === null ? {} : { noiseShape: c.shape('noise_shape') }) });
  }

  call(x: Tensor, options: CallOptions): Tensor {
    if (!options.training || this.rate === 0) return x;
    const noiseShape = this.noiseShape?.map((d, i) => d ?? x.shape[i]!);
    return dropout(x, this.rate, noiseShape ? { noiseShape } : {});
  }
}
