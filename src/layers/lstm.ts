/**
 * LSTM: the RNN layer with an LSTMCell, its settings written as its own (as Keras and TensorFlow.js save
 * it): `new LSTM({ units: 64, returnSequences: true })`. Weights `lstm/kernel` [features, 4 * units],
 * `lstm/recurrent_kernel` [units, 4 * units], `lstm/bias` [4 * units], gates in the order i, f, c, o.
 */
import { optionsSpec } from '../util/checks.js';
import type { SpecFor } from '../util/checks.js';
import type { LayerConfig } from './base-layer.js';
import { BuiltInCell, pick } from './built-in-cell.js';
import type { ConfigReader } from './config.js';
import { LAYER_OPTIONS, preLabel } from './layer-options.js';
import type { LSTMCellOptions } from './lstm-cell.js';
import { LSTM_CELL_OPTIONS, LSTMCell } from './lstm-cell.js';
import type { RecurrentOptions } from './rnn.js';
import { RECURRENT_KEYS, RECURRENT_OPTIONS, RNN } from './rnn.js';

export interface LSTMOptions extends LSTMCellOptions, RecurrentOptions {}

const SPEC = optionsSpec({ ...LAYER_OPTIONS, ...LSTM_CELL_OPTIONS, ...RECURRENT_OPTIONS } satisfies SpecFor<LSTMOptions>);
const CELL_KEYS = Object.keys(LSTM_CELL_OPTIONS) as (keyof LSTMCellOptions)[];

export class LSTM extends RNN {
  declare readonly cell: LSTMCell;

  constructor(options: LSTMOptions) {
    const label = preLabel(new.target.name, options);
    const o = SPEC.parse(label, options);
    const cell = new LSTMCell({ ...pick(o, CELL_KEYS), ...(o.dtype ? { dtype: o.dtype } : {}) }, label);
    super({ ...pick(o, ['name', 'inputShape', 'dtype', 'trainable', 'activityRegularizer']), ...pick(o, RECURRENT_KEYS), cell });
  }

  get units(): number {
    return this.cell.units;
  }

  protected override cellSettings(): LayerConfig {
    return this.cell.cellConfig();
  }

  override cloneWith(changes: { name: string; goBackwards: boolean }): LSTM {
    return new LSTM({ ...this.cell.cellOptions(), ...this.baseOptions(), ...this.recurrentOptions(), ...changes });
  }

  static override fromConfig(c: ConfigReader): LSTM {
    return new LSTM({ ...c.base(), ...BuiltInCell.readCellOptions(c), ...LSTMCell.readLSTMOptions(c), ...RNN.readRecurrentOptions(c) });
  }
}
