/**
 * Bidirectional: runs a recurrent layer over the sequence forwards and a copy of it backwards, and merges
 * their outputs: `concat` (default), `sum`, `mul`, `ave`, or null to keep both (use `outputs(x)`). With
 * returnSequences the backward output is put back in time order first. With returnState the states of
 * both follow: forward's, then backward's; initial states are given in the same order.
 *
 * The forward layer is a fresh copy of `layer`, named `forward_<name>`; the backward one a copy reading
 * backwards (`backward_<name>`), or `backwardLayer`. Weights are named as TensorFlow.js names them:
 * `bidirectional/forward_lstm/kernel`. With returnSequences, masked timesteps output zeros (Keras sets
 * zeroOutputForMask on both layers; TensorFlow.js repeats the last unmasked output instead).
 */
import { add, concat, mul } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { is, optionsSpec } from '../util/checks.js';
import type { SpecFor } from '../util/checks.js';
import { ValueError, describe } from '../util/errors.js';
import type { LayerConfig, LayerOptions } from './base-layer.js';
import type { ConfigReader } from './config.js';
import { LAYER_OPTIONS, preLabel } from './layer-options.js';
import type { LayerShape } from './layer-shape.js';
import type { RecurrentCallOptions } from './recurrent-layer.js';
import { RecurrentLayer } from './recurrent-layer.js';
import { RNN, reverseTime } from './rnn.js';
import type { NestedLayerReader } from './stacked-rnn-cells.js';

export type MergeMode = 'concat' | 'sum' | 'mul' | 'ave';

export interface BidirectionalOptions extends LayerOptions {
  /** The recurrent layer (LSTM, GRU, SimpleRNN, RNN) to run both ways. */
  layer: RNN;
  /** How to combine the two outputs (default 'concat'); null keeps both. */
  mergeMode?: MergeMode | null;
  /** The layer that reads backwards, instead of a copy of `layer`; it must read the other way and return the same things. */
  backwardLayer?: RNN;
}

const rnn = is.instanceOf(RNN, 'a recurrent layer (LSTM, GRU, SimpleRNN, RNN)');
const SPEC = optionsSpec({
  ...LAYER_OPTIONS,
  layer: rnn,
  mergeMode: is.oneOf<MergeMode>(['concat', 'sum', 'mul', 'ave']).or(is.satisfying<null>('null', (v): v is null => v === null)).optional(),
  backwardLayer: rnn.optional(),
} satisfies SpecFor<BidirectionalOptions>);

export class Bidirectional extends RecurrentLayer {
  /** The layer as it was given (what the saved config records). */
  readonly layer: RNN;
  readonly forwardLayer: RNN;
  readonly backwardLayer: RNN;
  readonly mergeMode: MergeMode | null;
  readonly #customBackward: boolean;

  constructor(options: BidirectionalOptions) {
    const label = preLabel(new.target.name, options);
    const { layer, mergeMode, backwardLayer, ...base } = SPEC.parse(label, options);
    // It computes in its layer's dtype (float64 for gradient checks) unless told otherwise.
    super({ ...base, dtype: base.dtype ?? layer.dtype });
    this.layer = layer;
    this.mergeMode = mergeMode === undefined ? 'concat' : mergeMode;
    this.forwardLayer = layer.cloneWith({ name: `forward_${layer.name}`, goBackwards: layer.goBackwards });
    this.backwardLayer = backwardLayer ?? layer.cloneWith({ name: `backward_${layer.name}`, goBackwards: !layer.goBackwards });
    this.#customBackward = backwardLayer !== undefined;
    const [f, b] = [this.forwardLayer, this.backwardLayer];
    if (f.goBackwards === b.goBackwards) throw new ValueError(`${this.label}: option 'backwardLayer' must read the other way than 'layer' (goBackwards ${!f.goBackwards})`);
    for (const key of ['returnSequences', 'returnState', 'stateful'] as const) {
      if (f[key] !== b[key]) throw new ValueError(`${this.label}: option 'backwardLayer' must have the same ${key} as 'layer' (${f[key]}), received ${b[key]}`);
    }
    for (const inner of [f, b]) {
      this.track(inner, () => `${this.weightScope}/${inner.name}`);
      // Keras: a bidirectional sequence has zeros at masked steps from both directions.
      inner.zeroOutputForMask = inner.returnSequences;
    }
    this.supportsMasking = true;
  }

  get returnSequences(): boolean {
    return this.forwardLayer.returnSequences;
  }

  get returnState(): boolean {
    return this.forwardLayer.returnState;
  }

  get stateSizes(): readonly number[] {
    return [...this.forwardLayer.stateSizes, ...this.backwardLayer.stateSizes];
  }

  protected override get outputCount(): number {
    return this.mergeMode === null ? 2 : 1;
  }

  /** Forgets the carried states of both directions (stateful layers). */
  resetStates(): void {
    this.forwardLayer.resetStates();
    this.backwardLayer.resetStates();
  }

  protected buildSequence(inputShape: LayerShape): void {
    this.forwardLayer.buildFor([inputShape]);
    this.backwardLayer.buildFor([inputShape]);
  }

  protected sequenceOutputShape(inputShape: LayerShape): LayerShape {
    const shape = this.forwardLayer.computeOutputShape(inputShape);
    if (this.mergeMode !== 'concat') return shape;
    const units = shape[shape.length - 1]!;
    const other = this.backwardLayer.computeOutputShape(inputShape);
    return [...shape.slice(0, -1), units + other[other.length - 1]!];
  }

  protected outputMask(mask: Tensor | null): Tensor | null {
    return this.returnSequences ? mask : null;
  }

  protected run(x: Tensor, options: RecurrentCallOptions): Tensor[] {
    const forwardStates = this.forwardLayer.stateSizes.length;
    const initial = options.initialState ? this.initialStates(options.initialState, x.shape[0]!) : null;
    const call = (layer: RNN, states: Tensor[] | null) =>
      layer.runSequence(x, { ...(options.training === undefined ? {} : { training: options.training }), mask: options.mask ?? null, ...(states ? { initialState: states } : {}) });
    const forward = call(this.forwardLayer, initial && initial.slice(0, forwardStates));
    const backward = call(this.backwardLayer, initial && initial.slice(forwardStates));
    const reversed = this.returnSequences ? reverseTime(backward.output) : backward.output;
    const outputs = this.mergeMode === null ? [forward.output, reversed] : [merge(this.mergeMode, forward.output, reversed)];
    return this.returnState ? [...outputs, ...forward.states, ...backward.states] : outputs;
  }

  override getConfig(): LayerConfig {
    return {
      layer: { class_name: this.layer.className, config: this.layer.getConfig() },
      merge_mode: this.mergeMode,
      ...(this.#customBackward ? { backward_layer: { class_name: this.backwardLayer.className, config: this.backwardLayer.getConfig() } } : {}),
      ...super.getConfig(),
    };
  }

  static fromConfig(c: ConfigReader, readLayer: NestedLayerReader): Bidirectional {
    const read = (key: string): RNN => {
      const layer = readLayer(c.get(key), `${c.where}.${key}`);
      if (!(layer instanceof RNN)) throw new ValueError(`${c.where}.${key} expected a recurrent layer (LSTM, GRU, SimpleRNN, RNN), received ${describe(layer.className)}`);
      return layer;
    };
    // null (keep both outputs) is a value here, not a missing key.
    const mode = c.config['merge_mode'] !== undefined ? c.config['merge_mode'] : c.get('merge_mode');
    if (mode !== undefined && mode !== null && !['concat', 'sum', 'mul', 'ave'].includes(mode as string)) throw c.fail('merge_mode', '"concat", "sum", "mul", "ave" or null');
    const backward = c.get('backward_layer');
    return new Bidirectional({
      ...c.base(),
      layer: read('layer'),
      mergeMode: mode === undefined ? 'concat' : (mode as MergeMode | null),
      ...(backward === undefined || backward === null ? {} : { backwardLayer: read('backward_layer') }),
    });
  }
}

function merge(mode: MergeMode, a: Tensor, b: Tensor): Tensor {
  switch (mode) {
    case 'concat':
      return concat([a, b], -1);
    case 'sum':
      return add(a, b);
    case 'mul':
      return mul(a, b);
    case 'ave':
      return mul(add(a, b), 0.5);
    default:
      return mode satisfies never;
  }
}

