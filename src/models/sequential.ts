/**
 * Sequential: a plain stack of single-input layers (or models with one input and one output). It builds
 * as soon as the input shape is known (from the first layer's `inputShape`, from build(), or from the
 * first data it sees), so shape errors show up at `add` whenever possible. Built, it is a graph like any
 * functional model (an Input and one node per layer), so its layers' `output`s can start other models.
 */
import type { BaseLayer, JsonObject, LayerShape, SymbolicTensor } from '../layers/index.js';
import { Input, Layer, formatLayerShape, withUnknownBatch } from '../layers/index.js';
import type { CallOptions, NodeResult } from '../layers/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { SpecFor } from '../util/checks.js';
import { is, optionsSpec } from '../util/checks.js';
import { ValueError, describe } from '../util/errors.js';
import type { ModelOptions } from './options.js';
import { Model } from './model.js';
import { sequentialConfig } from './topology-write.js';
import type { SummaryRow } from './summary.js';

/** What a Sequential model stacks: single-input layers, or models with one input and one output. */
export type SequentialLayer = Layer | Model;

export interface SequentialOptions extends ModelOptions {
  layers?: readonly SequentialLayer[];
}

const SEQUENTIAL_OPTIONS = optionsSpec({
  name: is.nonEmptyString.optional(),
  layers: is.arrayOf(is.unknown).to((v) => v as SequentialLayer[]).optional(),
} satisfies SpecFor<SequentialOptions>);

function applyTo(layer: SequentialLayer, x: SymbolicTensor): SymbolicTensor {
  return layer instanceof Model ? layer.apply(x) : layer.apply(x);
}

export class Sequential extends Model {
  readonly #layers: SequentialLayer[] = [];
  #input: SymbolicTensor | null = null;
  /** The symbolic output of each layer, once built. */
  #outputs: SymbolicTensor[] = [];

  /** `new Sequential([layer, ...])` or `new Sequential({ layers, name })`. */
  constructor(options: readonly SequentialLayer[] | SequentialOptions = {}) {
    const opts = SEQUENTIAL_OPTIONS.parse('Sequential', Array.isArray(options) ? { layers: options } : options);
    super(opts.name !== undefined ? { name: opts.name } : {});
    for (const layer of opts.layers ?? []) this.add(layer);
  }

  /** Appends a layer; once the input shape is known it is built at once, so shape errors name it here. */
  add(layer: SequentialLayer): void {
    const single = layer instanceof Layer || (layer instanceof Model && !(layer instanceof Sequential && layer.layers.length === 0) && this.#singleIO(layer));
    if (!single) {
      throw new ValueError(`${this.label}.add: expected a single-input layer (Dense, Conv2D...) or a model with one input and one output, received ${describe(layer)}`);
    }
    if (layer === this) throw new ValueError(`${this.label}.add: a model cannot contain itself`);
    if (this.#layers.includes(layer)) throw new ValueError(`${this.label}.add: ${layer.label} is already in the model`);
    if (this.#layers.length > 0 && layer instanceof Layer && layer.batchInputShape) {
      throw new ValueError(`${this.label}.add: only the first layer takes 'inputShape', but ${layer.label} has one`);
    }
    if (this.#input) {
      const out = applyTo(layer, this.#outputs[this.#outputs.length - 1] ?? this.#input);
      this.#outputs.push(out);
      this.useGraph([this.#input], [out]);
    }
    this.#layers.push(layer);
    if (!this.#input && this.#layers.length === 1) {
      const shape = layer instanceof Layer ? layer.batchInputShape : layer instanceof Sequential ? layer.inputShape : layer.inputs[0]!.shape;
      if (shape) this.build(shape);
    }
  }

  #singleIO(model: Model): boolean {
    try {
      return model.inputNames.length === 1 && model.outputNames.length === 1;
    } catch {
      return false;
    }
  }

  /** Builds every layer for inputs of `inputShape`, batch axis included (`[null, 28, 28, 1]`). */
  build(inputShape: readonly (number | null)[]): void {
    if (!Array.isArray(inputShape) || inputShape.length === 0) {
      throw new ValueError(`${this.label}.build: expected a shape with the batch axis first, such as [null, 28, 28, 1], received ${describe(inputShape)}`);
    }
    if (this.#input) return;
    const input = Input({ shape: inputShape.slice(1), name: `${this.#layers[0]?.name ?? this.name}_input` });
    const outputs: SymbolicTensor[] = [];
    for (const layer of this.#layers) outputs.push(applyTo(layer, outputs[outputs.length - 1] ?? input));
    this.#input = input;
    this.#outputs = outputs;
    this.useGraph([input], [outputs[outputs.length - 1] ?? input]);
  }

  override get layers(): BaseLayer[] {
    return [...this.#layers];
  }

  override get inputShape(): LayerShape | null {
    return this.#input?.shape ?? null;
  }

  override get outputShape(): LayerShape | null {
    return (this.#outputs[this.#outputs.length - 1] ?? this.#input)?.shape ?? null;
  }

  protected override runAll(inputs: readonly Tensor[], options: CallOptions): NodeResult {
    if (inputs[0]) this.buildFromData([withUnknownBatch(inputs[0].shape)]);
    return super.runAll(inputs, options);
  }

  override buildFor(inputShapes: readonly LayerShape[]): void {
    this.buildFromData(inputShapes);
    super.buildFor(inputShapes);
  }

  protected override buildFromData(inputShapes: readonly LayerShape[]): void {
    const shape = inputShapes[0];
    if (!this.#input && shape) this.build([null, ...shape.slice(1)]);
  }

  /** `{ name, layers }`, the first layer carrying the input shape. */
  override getConfig(): JsonObject {
    return sequentialConfig(this.name, this.#layers, this.inputShape, this.label);
  }

  protected override summaryRows(): SummaryRow[] {
    if (!this.#input) {
      throw new ValueError(
        `${this.label}.summary: the model is not built yet, so its shapes are unknown: give the first layer an 'inputShape', call build([null, ...]) or fit first`,
      );
    }
    return this.#layers.map((l, i) => ({ layer: `${l.name} (${l.className})`, outputShape: formatLayerShape(this.#outputs[i]!.shape), params: l.countParams() }));
  }

  protected override outputPaths(): BaseLayer[][] {
    return [[...this.#layers].reverse()];
  }
}
