/** UpSampling1D: each step repeated `size` times, [batch, steps, channels] -> [batch, steps * size, channels]. */
import { upSampling1d } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { SpecFor } from '../util/checks.js';
import { is, optionsSpec } from '../util/checks.js';
import type { LayerConfig, LayerOptions } from './base-layer.js';
import { LAYER_OPTIONS, preLabel } from './layer-options.js';
import type { ConfigReader } from './config.js';
import { Layer } from './layer.js';
import type { LayerShape } from './layer-shape.js';
import { checkSteps } from './steps.js';

export interface UpSampling1DOptions extends LayerOptions {
  /** How many times each step is repeated (default 2). */
  size?: number;
}

const OPTIONS = optionsSpec({ ...LAYER_OPTIONS, size: is.positiveInteger.optional() } satisfies SpecFor<UpSampling1DOptions>);

export class UpSampling1D extends Layer {
  readonly size: number;

  constructor(options: UpSampling1DOptions = {}) {
    const o = OPTIONS.parse(preLabel('UpSampling1D', options), options);
    super(options);
    this.size = o.size ?? 2;
  }

  override build(inputShape: LayerShape): void {
    checkSteps(this.label, inputShape);
    this.inputSpec = { rank: 3 };
  }

  call(x: Tensor): Tensor {
    checkSteps(this.label, x.shape);
    return upSampling1d(x, this.size);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    checkSteps(this.label, inputShape);
    const steps = inputShape[1] ?? null;
    return [inputShape[0] ?? null, steps === null ? null : steps * this.size, inputShape[2] ?? null];
  }

  override getConfig(): LayerConfig {
    return { size: this.size, ...super.getConfig() };
  }

  static fromConfig(c: ConfigReader): UpSampling1D {
    return new UpSampling1D({ ...c.base(), size: c.integer('size', 2) });
  }
}
