/**
 * Sequential: a plain stack of single-input layers. It builds as soon as the input shape is known (from
 * the first layer's `inputShape`, from build(), or from the first data it sees), so shape errors show up
 * at `add` whenever possible.
 */
import type { BaseLayer, CallOptions, JsonObject, LayerShape } from '../layers/index.js';
import { Layer, formatLayerShape, withUnknownBatch } from '../layers/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { ValueError, describe } from '../util/errors.js';
import type { ModelOptions } from './options.js';
import { Model } from './model.js';
import { sequentialTopology } from './topology-write.js';
import type { SummaryRow } from './summary.js';

export interface SequentialOptions extends ModelOptions {
  layers?: readonly Layer[];
}

export class Sequential extends Model {
  readonly #layers: Layer[] = [];
  #inputShape: LayerShape | null = null;
  /** The output shape of each layer, once built. */
  #shapes: LayerShape[] = [];

  /** `new Sequential([layer, ...])` or `new Sequential({ layers, name })`. */
  constructor(options: readonly Layer[] | SequentialOptions = {}) {
    const opts: SequentialOptions = Array.isArray(options) ? { layers: options } : (options as SequentialOptions);
    super(opts.name !== undefined ? { name: opts.name } : {});
    for (const layer of opts.layers ?? []) this.add(layer);
  }

  /** Appends a layer; once the input shape is known it is built at once, so shape errors name it here. */
  add(layer: Layer): void {
    if (!(layer instanceof Layer)) {
      throw new ValueError(`${this.label}.add: expected a single-input layer (Dense, Conv2D...), received ${describe(layer)}`);
    }
    if (this.#layers.includes(layer)) throw new ValueError(`${this.label}.add: ${layer.label} is already in the model`);
    if (this.#layers.length > 0 && layer.batchInputShape) {
      throw new ValueError(`${this.label}.add: only the first layer takes 'inputShape', but ${layer.label} has one`);
    }
    if (this.#inputShape) this.#shapes.push(this.#buildLayer(layer, this.outputShape!));
    this.#layers.push(layer);
    if (!this.#inputShape && this.#layers.length === 1 && layer.batchInputShape) this.build(layer.batchInputShape);
  }

  /** Builds every layer for inputs of `inputShape`, batch axis included (`[null, 28, 28, 1]`). */
  build(inputShape: readonly (number | null)[]): void {
    if (!Array.isArray(inputShape) || inputShape.length === 0) {
      throw new ValueError(`${this.label}.build: expected a shape with the batch axis first, such as [null, 28, 28, 1], received ${describe(inputShape)}`);
    }
    const input: LayerShape = [null, ...inputShape.slice(1)];
    const shapes: LayerShape[] = [];
    for (const layer of this.#layers) shapes.push(this.#buildLayer(layer, shapes[shapes.length - 1] ?? input));
    this.#inputShape = input;
    this.#shapes = shapes;
  }

  override get layers(): BaseLayer[] {
    return [...this.#layers];
  }

  override get inputShape(): LayerShape | null {
    return this.#inputShape;
  }

  override get outputShape(): LayerShape | null {
    if (!this.#inputShape) return null;
    return this.#shapes[this.#shapes.length - 1] ?? this.#inputShape;
  }

  override call(x: Tensor, options: CallOptions = {}): Tensor {
    this.buildFor(x.shape);
    let h = x;
    for (const layer of this.#layers) h = layer.invoke([h], options);
    return h;
  }

  protected override buildFor(xShape: readonly number[]): void {
    if (!this.#inputShape) this.build(withUnknownBatch(xShape));
  }

  /** `{ class_name: 'Sequential', config: { name, layers } }`, the first layer carrying the input shape. */
  override getConfig(): JsonObject {
    return sequentialTopology(this.name, this.#layers, this.#inputShape, this.label);
  }

  protected override summaryRows(): SummaryRow[] {
    if (!this.#inputShape) {
      throw new ValueError(
        `${this.label}.summary: the model is not built yet, so its shapes are unknown: give the first layer an 'inputShape', call build([null, ...]) or fit first`,
      );
    }
    return this.#layers.map((l, i) => ({ layer: `${l.name} (${l.className})`, outputShape: formatLayerShape(this.#shapes[i]!), params: l.countParams() }));
  }

  protected override outputPath(): BaseLayer[] {
    return [...this.#layers].reverse();
  }

  /** Builds `layer` for `input` and returns its output shape. */
  #buildLayer(layer: Layer, input: LayerShape): LayerShape {
    layer.buildFor([input]);
    return layer.computeOutputShape(input);
  }
}
