/** RepeatVector: [batch, features] -> [batch, n, features], the vector repeated n times (encoder-decoder models). */
import { broadcastTo, expandDims } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { SpecFor } from '../util/checks.js';
import { is, optionsSpec } from '../util/checks.js';
import type { LayerConfig, LayerOptions } from './base-layer.js';
import type { ConfigReader } from './config.js';
import { Layer, checkInputSpec } from './layer.js';
import { LAYER_OPTIONS } from './layer-options.js';
import type { LayerShape } from './layer-shape.js';

export interface RepeatVectorOptions extends LayerOptions {
  n: number;
}

const OPTIONS = optionsSpec({ ...LAYER_OPTIONS, n: is.positiveInteger } satisfies SpecFor<RepeatVectorOptions>);

export class RepeatVector extends Layer {
  readonly n: number;

  constructor(options: RepeatVectorOptions) {
    super(options);
    this.n = OPTIONS.parse(this.label, options).n;
  }

  override build(): void {
    this.inputSpec = { rank: 2 };
  }

  call(x: Tensor): Tensor {
    return broadcastTo(expandDims(x, 1), [x.shape[0]!, this.n, x.shape[1]!]);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    checkInputSpec(this.label, { rank: 2 }, inputShape);
    return [inputShape[0] ?? null, this.n, inputShape[1] ?? null];
  }

  override getConfig(): LayerConfig {
    return { n: this.n, ...super.getConfig() };
  }

  static fromConfig(c: ConfigReader): RepeatVector {
    return new RepeatVector({ ...c.base(), n: c.integer('n') });
  }
}
