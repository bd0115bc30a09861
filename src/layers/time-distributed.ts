/**
 * TimeDistributed: applies a layer to every timestep of a sequence [batch, timesteps, ...] with the same
 * weights, by running it once on [batch * timesteps, ...]. Its weights are named as TensorFlow.js names
 * them, after the wrapper (`time_distributed/kernel`). The sequence's mask passes through.
 */
import { reshape } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { is, optionsSpec } from '../util/checks.js';
import type { SpecFor } from '../util/checks.js';
import { ShapeError, ValueError, describe } from '../util/errors.js';
import type { CallOptions, LayerConfig, LayerOptions } from './base-layer.js';
import type { ConfigReader } from './config.js';
import { Layer } from './layer.js';
import { LAYER_OPTIONS, preLabel } from './layer-options.js';
import type { LayerShape } from './layer-shape.js';
import { fmtLayerShape } from './layer-shape.js';
import type { NestedLayerReader } from './stacked-rnn-cells.js';

export interface TimeDistributedOptions extends LayerOptions {
  /** The layer applied to each timestep. */
  layer: Layer;
}

const SPEC = optionsSpec({ ...LAYER_OPTIONS, layer: is.instanceOf(Layer, 'a layer with one input (Dense, Conv2D...)') } satisfies SpecFor<TimeDistributedOptions>);

export class TimeDistributed extends Layer {
  readonly layer: Layer;

  constructor(options: TimeDistributedOptions) {
    const { layer, ...base } = SPEC.parse(preLabel(new.target.name, options), options);
    super({ ...base, dtype: base.dtype ?? layer.dtype });
    this.layer = this.track(layer, () => this.weightScope);
    this.supportsMasking = true;
  }

  /** The wrapped layer's (the model doctor checks a TimeDistributed softmax like a Dense one). */
  override get outputActivation(): string | null {
    return this.layer.outputActivation;
  }

  override build(inputShape: LayerShape): void {
    this.#check(inputShape);
    this.layer.buildFor([this.#stepShape(inputShape)]);
  }

  call(x: Tensor, options: CallOptions): Tensor {
    this.#check(x.shape);
    const [batch, steps] = x.shape as [number, number];
    const flat = reshape(x, [batch * steps, ...x.shape.slice(2)]);
    const mask = options.mask && this.layer.supportsMasking && options.mask.rank > 2 ? reshape(options.mask, [batch * steps, ...options.mask.shape.slice(2)]) : null;
    const y = this.layer.invoke([flat], { ...(options.training === undefined ? {} : { training: options.training }), mask });
    return reshape(y, [batch, steps, ...y.shape.slice(1)]);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    const out = this.layer.computeOutputShape(this.#stepShape(inputShape));
    return [inputShape[0] ?? null, inputShape[1] ?? null, ...out.slice(1)];
  }

  /** One timestep's shape, as the wrapped layer sees it: [batch * timesteps, ...]. */
  #stepShape(inputShape: LayerShape): LayerShape {
    return [null, ...inputShape.slice(2)];
  }

  #check(shape: LayerShape): void {
    if (shape.length < 3) {
      throw new ShapeError(`${this.label}: expected a sequence of rank at least 3 [batch, timesteps, ...], received shape ${fmtLayerShape(shape)}`);
    }
  }

  override getConfig(): LayerConfig {
    return { layer: { class_name: this.layer.className, config: this.layer.getConfig() }, ...super.getConfig() };
  }

  static fromConfig(c: ConfigReader, readLayer: NestedLayerReader): TimeDistributed {
    const layer = readLayer(c.get('layer'), `${c.where}.layer`);
    if (!(layer instanceof Layer)) throw new ValueError(`${c.where}.layer expected a layer with one input, received ${describe(layer.className)}`);
    return new TimeDistributed({ ...c.base(), layer });
  }
}
