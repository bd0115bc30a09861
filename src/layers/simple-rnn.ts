/**
 * SimpleRNN: the RNN layer with a SimpleRNNCell (h = activation(x W + h U + b)), its settings written as
 * its own. Weights `simple_rnn/kernel` [features, units], `simple_rnn/recurrent_kernel` [units, units],
 * `simple_rnn/bias` [units].
 */
import { optionsSpec } from '../util/checks.js';
import type { SpecFor } from '../util/checks.js';
import type { LayerConfig } from './base-layer.js';
import { BuiltInCell, CELL_OPTIONS, pick } from './built-in-cell.js';
import type { ConfigReader } from './config.js';
import { LAYER_OPTIONS, preLabel } from './layer-options.js';
import type { SimpleRNNCellOptions } from './simple-rnn-cell.js';
import { SimpleRNNCell } from './simple-rnn-cell.js';
import type { RecurrentOptions } from './rnn.js';
import { RECURRENT_KEYS, RECURRENT_OPTIONS, RNN } from './rnn.js';

export interface SimpleRNNOptions extends SimpleRNNCellOptions, RecurrentOptions {}

const SPEC = optionsSpec({ ...LAYER_OPTIONS, ...CELL_OPTIONS, ...RECURRENT_OPTIONS } satisfies SpecFor<SimpleRNNOptions>);
const CELL_KEYS = Object.keys(CELL_OPTIONS) as (keyof SimpleRNNCellOptions)[];

export class SimpleRNN extends RNN {
  declare readonly cell: SimpleRNNCell;

  constructor(options: SimpleRNNOptions) {
    const label = preLabel(new.target.name, options);
    const o = SPEC.parse(label, options);
    const cell = new SimpleRNNCell({ ...pick(o, CELL_KEYS), ...(o.dtype ? { dtype: o.dtype } : {}) }, label);
    super({ ...pick(o, ['name', 'inputShape', 'dtype', 'trainable', 'activityRegularizer']), ...pick(o, RECURRENT_KEYS), cell });
  }

  get units(): number {
    return this.cell.units;
  }

  protected override cellSettings(): LayerConfig {
    return this.cell.cellConfig();
  }

  override cloneWith(changes: { name: string; goBackwards: boolean }): SimpleRNN {
    return new SimpleRNN({ ...this.cell.cellOptions(), ...this.baseOptions(), ...this.recurrentOptions(), ...changes });
  }

  static override fromConfig(c: ConfigReader): SimpleRNN {
    return new SimpleRNN({ ...c.base(), ...BuiltInCell.readCellOptions(c), ...RNN.readRecurrentOptions(c) });
  }
}
