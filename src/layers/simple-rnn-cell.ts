/** SimpleRNNCell: h = activation(x @ kernel + bias + h @ recurrentKernel), the output being h. */
import { add, linear, matmul } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { optionsSpec } from '../util/checks.js';
import type { SpecFor } from '../util/checks.js';
import type { LayerOptions } from './base-layer.js';
import type { CellOptions } from './built-in-cell.js';
import { BuiltInCell, CELL_OPTIONS } from './built-in-cell.js';
import type { ConfigReader } from './config.js';
import { LAYER_OPTIONS, preLabel } from './layer-options.js';
import type { CellCallOptions, CellOutput } from './rnn-cell.js';

export interface SimpleRNNCellOptions extends LayerOptions, CellOptions {}

const SIMPLE_RNN_CELL_OPTIONS = optionsSpec({ ...LAYER_OPTIONS, ...CELL_OPTIONS } satisfies SpecFor<SimpleRNNCellOptions>);

export class SimpleRNNCell extends BuiltInCell {
  /** `where` names the layer that made the cell, for messages (SimpleRNN passes its own label). */
  constructor(options: SimpleRNNCellOptions, where?: string) {
    super(SIMPLE_RNN_CELL_OPTIONS.parse(where ?? preLabel('SimpleRNNCell', options), options), where);
  }

  protected get gates(): number {
    return 1;
  }

  call(x: Tensor, [h]: readonly Tensor[], options: CellCallOptions): CellOutput {
    const input = linear(this.droppedInput(x, options.training), this.kernel!, this.bias ? { bias: this.bias } : {});
    const y = this.activation.apply(add(input, matmul(this.droppedState(h!, options.training), this.recurrentKernel!)));
    return { output: y, states: [y] };
  }

  override clone(): SimpleRNNCell {
    return new SimpleRNNCell(this.cellOptions());
  }

  static fromConfig(c: ConfigReader): SimpleRNNCell {
    return new SimpleRNNCell({ ...BuiltInCell.readCellBase(c), ...BuiltInCell.readCellOptions(c) });
  }
}
