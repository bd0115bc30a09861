/** Permute: reorders the axes of each sample; `dims` numbers them from 1 (the batch axis stays first), as in Keras. */
import { transpose } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { SpecFor } from '../util/checks.js';
import { is, optionsSpec } from '../util/checks.js';
import { ValueError } from '../util/errors.js';
import type { LayerConfig, LayerOptions } from './base-layer.js';
import type { ConfigReader } from './config.js';
import { Layer, checkInputSpec } from './layer.js';
import { LAYER_OPTIONS } from './layer-options.js';
import type { LayerShape } from './layer-shape.js';

export interface PermuteOptions extends LayerOptions {
  /** A permutation of 1..rank - 1: [2, 1] swaps the two axes of [batch, steps, features]. */
  dims: readonly number[];
}

const OPTIONS = optionsSpec({ ...LAYER_OPTIONS, dims: is.arrayOf(is.positiveInteger, { minLength: 1 }) } satisfies SpecFor<PermuteOptions>);

export class Permute extends Layer {
  readonly dims: readonly number[];

  constructor(options: PermuteOptions) {
    super(options);
    const { dims } = OPTIONS.parse(this.label, options);
    const sorted = [...dims].sort((a, b) => a - b);
    if (!sorted.every((d, i) => d === i + 1)) {
      throw new ValueError(`${this.label}: option 'dims' expected a permutation of 1..${dims.length} (axes numbered from 1, after the batch axis), received [${dims.join(', ')}]`);
    }
    this.dims = dims;
  }

  override build(): void {
    this.inputSpec = { rank: this.dims.length + 1 };
  }

  call(x: Tensor): Tensor {
    return transpose(x, [0, ...this.dims]);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    checkInputSpec(this.label, { rank: this.dims.length + 1 }, inputShape);
    return [inputShape[0] ?? null, ...this.dims.map((d) => inputShape[d] ?? null)];
  }

  override getConfig(): LayerConfig {
    return { dims: [...this.dims], ...super.getConfig() };
  }

  static fromConfig(c: ConfigReader): Permute {
    const dims = c.shape('dims');
    if (dims.some((d) => d === null)) throw c.fail('dims', 'an array of axis numbers');
    return new Permute({ ...c.base(), dims: dims as number[] });
  }
}
