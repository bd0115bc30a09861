/**
 * Masking: marks the timesteps whose features all equal `maskValue` (default 0) as padding. It attaches
 * the mask [batch, timesteps] for the layers after it and zeroes those timesteps, as Keras does.
 */
import { cast, expandDims, max, mul, notEqual } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { is, optionsSpec } from '../util/checks.js';
import type { SpecFor } from '../util/checks.js';
import { ShapeError, fmtShape } from '../util/errors.js';
import type { LayerConfig, LayerOptions } from './base-layer.js';
import type { ConfigReader } from './config.js';
import { Layer } from './layer.js';
import { LAYER_OPTIONS, preLabel } from './layer-options.js';

export interface MaskingOptions extends LayerOptions {
  /** The value that marks padding (default 0). */
  maskValue?: number;
}

const SPEC = optionsSpec({ ...LAYER_OPTIONS, maskValue: is.number.optional() } satisfies SpecFor<MaskingOptions>);

export class Masking extends Layer {
  readonly maskValue: number;

  constructor(options: MaskingOptions = {}) {
    const o = SPEC.parse(preLabel(new.target.name, options), options);
    super(o);
    this.maskValue = o.maskValue ?? 0;
    this.supportsMasking = true;
  }

  call(x: Tensor): Tensor {
    return mul(x, expandDims(cast(this.#keep(x), x.dtype), -1));
  }

  /** True where some feature differs from maskValue. */
  override computeMask(inputs: readonly Tensor[]): Tensor {
    return this.#keep(inputs[0]!);
  }

  #keep(x: Tensor): Tensor {
    if (x.rank < 2) throw new ShapeError(`${this.label}: expected input of rank at least 2 [batch, ..., features], received shape ${fmtShape(x.shape)}`);
    return notEqual(max(cast(notEqual(x, this.maskValue), 'float32'), -1), 0);
  }

  override getConfig(): LayerConfig {
    return { mask_value: this.maskValue, ...super.getConfig() };
  }

  static fromConfig(c: ConfigReader): Masking {
    return new Masking({ ...c.base(), maskValue: c.number('mask_value', 0) });
  }
}
