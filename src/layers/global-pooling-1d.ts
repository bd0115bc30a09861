/**
 * The base of the global 1-D poolings: [batch, steps, channels] -> [batch, channels] ([batch, 1,
 * channels] with `keepdims`), over the steps the input's mask keeps. The mask ends here.
 */
import type { Tensor } from '../tensor/tensor.js';
import type { SpecFor } from '../util/checks.js';
import { is, optionsSpec } from '../util/checks.js';
import type { CallOptions, LayerConfig, LayerOptions } from './base-layer.js';
import { LAYER_OPTIONS, preLabel } from './layer-options.js';
import type { ConfigReader } from './config.js';
import { Layer } from './layer.js';
import type { LayerShape } from './layer-shape.js';
import { checkSteps, stepMask } from './steps.js';

export interface GlobalPooling1DOptions extends LayerOptions {
  /** Keep the steps axis with length 1 (default false). */
  keepdims?: boolean;
}

const OPTIONS = optionsSpec({ ...LAYER_OPTIONS, keepdims: is.boolean.optional() } satisfies SpecFor<GlobalPooling1DOptions>);

export abstract class GlobalPooling1D extends Layer {
  readonly keepdims: boolean;

  constructor(options: GlobalPooling1DOptions = {}) {
    const o = OPTIONS.parse(preLabel(new.target.name, options), options);
    super(options);
    this.keepdims = o.keepdims ?? false;
    // It reads the mask and ends it, as Keras's global poolings do.
    this.supportsMasking = true;
  }

  override computeMask(): null {
    return null;
  }

  /** The pooled values, [batch, channels] ([batch, 1, channels] with keepdims), over the steps `mask` keeps (all when null). */
  protected abstract pool(x: Tensor, mask: Tensor | null): Tensor;

  override build(inputShape: LayerShape): void {
    checkSteps(this.label, inputShape);
    this.inputSpec = { rank: 3 };
  }

  call(x: Tensor, options: CallOptions): Tensor {
    checkSteps(this.label, x.shape);
    return this.pool(x, stepMask(this.label, x, options.mask));
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    checkSteps(this.label, inputShape);
    return this.keepdims ? [inputShape[0] ?? null, 1, inputShape[2] ?? null] : [inputShape[0] ?? null, inputShape[2] ?? null];
  }

  override getConfig(): LayerConfig {
    return { data_format: 'channels_last', keepdims: this.keepdims, ...super.getConfig() };
  }

  /** GlobalAveragePooling1D.fromConfig and GlobalMaxPooling1D.fromConfig. */
  static fromConfig<T extends GlobalPooling1D>(this: new (options: GlobalPooling1DOptions) => T, c: ConfigReader): T {
    c.channelsLast();
    return new this({ ...c.base(), keepdims: c.boolean('keepdims', false) });
  }
}
