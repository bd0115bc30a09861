/**
 * AlphaDropout: dropout for self-normalizing networks (selu activations). Dropped values are set to selu's
 * negative saturation value instead of 0, then an affine map restores the input's mean and variance
 * (Klambauer et al. 2017, with Keras's constants). Training only.
 */
import { add, mul } from '../ops/index.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import type { SpecFor } from '../util/checks.js';
import { is, optionsSpec } from '../util/checks.js';
import { rng } from '../util/random.js';
import type { CallOptions, LayerConfig, LayerOptions } from './base-layer.js';
import type { ConfigReader } from './config.js';
import { Layer } from './layer.js';
import { LAYER_OPTIONS, isNull } from './layer-options.js';

export interface AlphaDropoutOptions extends LayerOptions {
  /** The fraction of values dropped, in [0, 1). */
  rate: number;
  /** Shape of the mask, null for "as the input" (sizes of 1 share a draw). */
  noiseShape?: readonly (number | null)[] | null;
}

const OPTIONS = optionsSpec({
  ...LAYER_OPTIONS,
  rate: is.numberIn(0, 1, '[)'),
  noiseShape: is.arrayOf(is.positiveInteger.or(isNull)).or(isNull).optional(),
} satisfies SpecFor<AlphaDropoutOptions>);

/** selu's -scale * alpha: the value selu saturates to for very negative inputs. */
const ALPHA_P = -1.6732632423543772848170429916717 * 1.0507009873554804934193349852946;

export class AlphaDropout extends Layer {
  readonly rate: number;
  readonly noiseShape: readonly (number | null)[] | null;

  constructor(options: AlphaDropoutOptions) {
    super(options);
    const o = OPTIONS.parse(this.label, options);
    this.rate = o.rate;
    this.noiseShape = o.noiseShape ?? null;
    this.supportsMasking = true;
  }

  call(x: Tensor, options: CallOptions): Tensor {
    if (!options.training || this.rate === 0) return x;
    const shape = this.noiseShape?.map((d, i) => d ?? x.shape[i]!) ?? x.shape;
    const g = rng();
    const keep = new Float64Array(shape.reduce((a, b) => a * b, 1)).map(() => (g.next() >= this.rate ? 1 : 0));
    const kept = tensor(keep, { shape: [...shape], dtype: x.dtype });
    const a = ((1 - this.rate) * (1 + this.rate * ALPHA_P ** 2)) ** -0.5;
    const b = -a * ALPHA_P * this.rate;
    // a * (x * kept + alphaP * (1 - kept)) + b, with the constant terms folded.
    const dropped = tensor(keep.map((k) => (1 - k) * ALPHA_P * a + b), { shape: [...shape], dtype: x.dtype });
    return add(mul(x, mul(kept, a)), dropped);
  }

  override getConfig(): LayerConfig {
    return { rate: this.rate, noise_shape: this.noiseShape ? [...this.noiseShape] : null, seed: null, ...super.getConfig() };
  }

  static fromConfig(c: ConfigReader): AlphaDropout {
    const noise = c.get('noise_shape');
    return new AlphaDropout({ ...c.base(), rate: c.number('rate'), noiseShape: noise === undefined || noise === null ? null : c.shape('noise_shape') });
  }
}
