/**
 * GRU: the RNN layer with a GRUCell, its settings written as its own (as Keras and TensorFlow.js save it).
 * Weights `gru/kernel` [features, 3 * units], `gru/recurrent_kernel` [units, 3 * units] and `gru/bias`:
 * [2, 3 * units] with resetAfter (Keras's default), [3 * units] without (TensorFlow.js's only form).
 */
import { optionsSpec } from '../util/checks.js';
import type { SpecFor } from '../util/checks.js';
import type { LayerConfig } from './base-layer.js';
import { BuiltInCell, pick } from './built-in-cell.js';
import type { ConfigReader } from './config.js';
import { LAYER_OPTIONS, preLabel } from './layer-options.js';
import type { GRUCellOptions } from './gru-cell.js';
import { GRU_CELL_OPTIONS, GRUCell } from './gru-cell.js';
import type { RecurrentOptions } from './rnn.js';
import { RECURRENT_KEYS, RECURRENT_OPTIONS, RNN } from './rnn.js';

export interface GRUOptions extends GRUCellOptions, RecurrentOptions {}

const SPEC = optionsSpec({ ...LAYER_OPTIONS, ...GRU_CELL_OPTIONS, ...RECURRENT_OPTIONS } satisfies SpecFor<GRUOptions>);
const CELL_KEYS = Object.keys(GRU_CELL_OPTIONS) as (keyof GRUCellOptions)[];

export class GRU extends RNN {
  declare readonly cell: GRUCell;

  constructor(options: GRUOptions) {
    const label = preLabel(new.target.name, options);
    const o = SPEC.parse(label, options);
    const cell = new GRUCell({ ...pick(o, CELL_KEYS), ...(o.dtype ? { dtype: o.dtype } : {}) }, label);
    super({ ...pick(o, ['name', 'inputShape', 'dtype', 'trainable', 'activityRegularizer']), ...pick(o, RECURRENT_KEYS), cell });
  }

  get units(): number {
    return this.cell.units;
  }

  protected override cellSettings(): LayerConfig {
    return this.cell.cellConfig();
  }

  override cloneWith(changes: { name: string; goBackwards: boolean }): GRU {
    return new GRU({ ...this.cell.cellOptions(), ...this.baseOptions(), ...this.recurrentOptions(), ...changes });
  }

  static override fromConfig(c: ConfigReader): GRU {
    return new GRU({ ...c.base(), ...BuiltInCell.readCellOptions(c), ...GRUCell.readGRUOptions(c), ...RNN.readRecurrentOptions(c) });
  }
}
