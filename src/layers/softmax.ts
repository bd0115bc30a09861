/**
 * Softmax: exp(x) / sum(exp(x)) along `axis` (the last by default; several axes are normalized together).
 * A mask given to the call (`layer.apply(x, { mask })`, true where a value counts) gives masked values a
 * large negative logit and zeroes them in the output, as Keras does.
 */
import { cast, exp, logSumExp, mul, softmax, sub } from '../ops/index.js';
import { add } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { SpecFor } from '../util/checks.js';
import { is, optionsSpec } from '../util/checks.js';
import type { CallOptions, LayerConfig, LayerOptions } from './base-layer.js';
import type { ConfigReader } from './config.js';
import { Layer } from './layer.js';
import { LAYER_OPTIONS } from './layer-options.js';

export interface SoftmaxOptions extends LayerOptions {
  /** The axis normalized over, or several (default -1). */
  axis?: number | readonly number[];
}

const OPTIONS = optionsSpec({ ...LAYER_OPTIONS, axis: is.integer.or(is.arrayOf(is.integer, { minLength: 1 })).optional() } satisfies SpecFor<SoftmaxOptions>);

/** Keras's large negative number for float32 masks: exp of it is 0, and it stays finite. */
const MASKED = -1e9;

export class Softmax extends Layer {
  readonly axis: number | readonly number[];

  constructor(options: SoftmaxOptions = {}) {
    super(options);
    this.axis = OPTIONS.parse(this.label, options).axis ?? -1;
    this.supportsMasking = true;
  }

  override get outputActivation(): string {
    return 'softmax';
  }

  call(x: Tensor, options: CallOptions): Tensor {
    const mask = options.mask ? cast(options.mask, x.dtype) : null;
    const logits = mask ? add(x, mul(sub(1, mask), MASKED)) : x;
    const axes = typeof this.axis === 'number' ? [this.axis] : this.axis;
    const y = axes.length === 1 ? softmax(logits, axes[0]) : exp(sub(logits, logSumExp(logits, axes, { keepDims: true })));
    return mask ? mul(y, mask) : y;
  }

  override getConfig(): LayerConfig {
    return { axis: typeof this.axis === 'number' ? this.axis : [...this.axis], ...super.getConfig() };
  }

  static fromConfig(c: ConfigReader): Softmax {
    const axis = c.get('axis');
    return new Softmax({ ...c.base(), axis: Array.isArray(axis) ? c.shape('axis').map((a) => a ?? -1) : c.integer('axis', -1) });
  }
}
