/**
 * StackedRNNCells: several cells run as one, each step's output feeding the next cell; the states are
 * every cell's states in order. `new RNN({ cell: [a, b] })` makes one. Weights are named as TensorFlow.js
 * names them, `<rnn>/RNNCell_<i>/kernel`.
 */
import type { Tensor } from '../tensor/tensor.js';
import { is, optionsSpec } from '../util/checks.js';
import type { SpecFor } from '../util/checks.js';
import { ValueError, describe } from '../util/errors.js';
import type { JsonValue } from '../util/json.js';
import type { BaseLayer, LayerConfig, LayerOptions } from './base-layer.js';
import type { ConfigReader } from './config.js';
import { LAYER_OPTIONS, preLabel } from './layer-options.js';
import type { LayerShape } from './layer-shape.js';
import type { CellCallOptions, CellOutput } from './rnn-cell.js';
import { RNNCell } from './rnn-cell.js';

export interface StackedRNNCellsOptions extends LayerOptions {
  cells: readonly RNNCell[];
}

const SPEC = optionsSpec({
  ...LAYER_OPTIONS,
  cells: is.arrayOf(is.instanceOf(RNNCell, 'an RNNCell'), { minLength: 1, name: 'a non-empty array of RNNCells' }),
} satisfies SpecFor<StackedRNNCellsOptions>);

/** Reads a nested layer (a cell) from its saved form; the caller's table of layer classes decides. */
export type NestedLayerReader = (entry: JsonValue | undefined, where: string) => BaseLayer;

export class StackedRNNCells extends RNNCell {
  readonly cells: readonly RNNCell[];

  constructor(options: StackedRNNCellsOptions) {
    const { cells, ...base } = SPEC.parse(preLabel('StackedRNNCells', options), options);
    super(base);
    this.cells = cells;
    cells.forEach((cell, i) => this.track(cell, () => `${this.weightScope}/RNNCell_${i}`));
  }

  get stateSize(): readonly number[] {
    return this.cells.flatMap((c) => c.stateSize);
  }

  override get outputSize(): number {
    return this.cells[this.cells.length - 1]!.outputSize;
  }

  override build(inputShape: LayerShape): void {
    let shape = inputShape;
    for (const cell of this.cells) {
      cell.buildFor([shape]);
      shape = [shape[0] ?? null, cell.outputSize];
    }
  }

  call(x: Tensor, states: readonly Tensor[], options: CellCallOptions): CellOutput {
    let input = x, offset = 0;
    const next: Tensor[] = [];
    for (const cell of this.cells) {
      const n = cell.stateSize.length;
      const step = cell.call(input, states.slice(offset, offset + n), options);
      offset += n;
      input = step.output;
      next.push(...step.states);
    }
    return { output: input, states: next };
  }

  override initialState(batchSize: number): Tensor[] {
    return this.cells.flatMap((c) => c.initialState(batchSize));
  }

  override resetDropoutMasks(): void {
    for (const cell of this.cells) cell.resetDropoutMasks();
  }

  override clone(): StackedRNNCells {
    return new StackedRNNCells({ cells: this.cells.map((c) => c.clone()), dtype: this.dtype });
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), cells: this.cells.map((c) => ({ class_name: c.className, config: c.getConfig() })) };
  }

  static fromConfig(c: ConfigReader, readLayer: NestedLayerReader): StackedRNNCells {
    const list = c.get('cells');
    if (!Array.isArray(list) || list.length === 0) throw c.fail('cells', 'a non-empty array of cells { class_name, config }');
    const cells = list.map((entry, i) => {
      const cell = readLayer(entry, `${c.where}.cells[${i}]`);
      if (!(cell instanceof RNNCell)) throw new ValueError(`${c.where}.cells[${i}] expected a cell (LSTMCell, GRUCell, SimpleRNNCell...), received ${describe(cell.className)}`);
      return cell;
    });
    const { name, trainable, dtype } = c.base();
    return new StackedRNNCells({ cells, ...(name ? { name } : {}), ...(trainable === undefined ? {} : { trainable }), ...(dtype ? { dtype } : {}) });
  }
}
