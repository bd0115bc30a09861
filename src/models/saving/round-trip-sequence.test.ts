import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import '../../ops/tensor-methods.js';
import type { LayerShape } from '../../layers/index.js';
import {
  Bidirectional, ConfigReader, Dense, Embedding, GRU, GRUCell, Input, LSTM, LSTMCell, Masking, RNN, RNNCell, SimpleRNN, TimeDistributed,
} from '../../layers/index.js';
import type { CellOutput, LayerConfig } from '../../layers/index.js';
import { add, matmul, tanh } from '../../ops/index.js';
import { randomNormal, tensor } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Variable } from '../../tensor/variable.js';
import { setSeed } from '../../util/random.js';
import { loadModel } from '../load-model.js';
import type { LoadModelOptions } from '../load-model.js';
import { Model } from '../model.js';
import { Sequential } from '../sequential.js';
import { memoryHandler } from './testing.js';

/** Saves through JSON, loads, and checks topology, weights and predictions. */
async function assertRoundTrip(model: Model, x: Tensor, options: LoadModelOptions = {}): Promise<Model> {
  const handler = memoryHandler();
  await model.save(handler);
  handler.artifacts = { ...handler.artifacts!, modelTopology: JSON.parse(JSON.stringify(handler.artifacts!.modelTopology)) };
  const loaded = await loadModel(handler, options);
  assert.deepEqual(loaded.getConfig(), model.getConfig(), 'the loaded model writes the same topology');
  assert.deepEqual(loaded.weights.map((w) => w.name), model.weights.map((w) => w.name));
  assert.deepEqual(loaded.getWeights().map((w) => w.toArray()), model.getWeights().map((w) => w.toArray()));
  assert.deepEqual((await loaded.predict(x)).toArray(), (await model.predict(x)).toArray(), 'identical predictions');
  return loaded;
}

/** A cell of one's own with a setting of its own, saved and read back through customLayers. */
class ScaledCell extends RNNCell {
  #w!: Variable;
  constructor(readonly units: number, readonly scale: number, name?: string) {
    super(name ? { name } : {});
  }
  get stateSize(): readonly number[] {
    return [this.units];
  }
  override build(shape: LayerShape): void {
    this.#w = this.addWeight({ name: 'w', shape: [shape[1]! + this.units, this.units] });
  }
  call(x: Tensor, [h]: readonly Tensor[]): CellOutput {
    // [x * scale, h] @ w, written with pads so that it needs no concat.
    const joined = add(x.mul(this.scale).pad([[0, 0], [0, this.units]]), h!.pad([[0, 0], [x.shape[1]!, 0]]));
    const y = tanh(matmul(joined, this.#w));
    return { output: y, states: [y] };
  }
  override getConfig(): LayerConfig {
    return { ...super.getConfig(), units: this.units, scale: this.scale };
  }
}

describe('sequence layers survive save and load', () => {
  const tokens = tensor([[1, 4, 0, 0], [2, 3, 3, 1], [0, 0, 2, 2]]);
  const seq = (): Tensor => {
    setSeed(4);
    return randomNormal([3, 4, 2]);
  };

  test('Embedding, Bidirectional (with a backward layer of its own), GRU with resetAfter, TimeDistributed', async () => {
    await assertRoundTrip(new Sequential([
      new Embedding({ inputDim: 5, outputDim: 3, maskZero: true, inputLength: 4 }),
      new Bidirectional({ layer: new LSTM({ units: 2, returnSequences: true }), backwardLayer: new GRU({ units: 2, returnSequences: true, goBackwards: true }), mergeMode: 'ave' }),
      new GRU({ units: 3, returnSequences: true, dropout: 0.1, recurrentDropout: 0.2 }),
      new TimeDistributed({ layer: new Dense({ units: 2, activation: 'softmax' }) }),
    ]), tokens);
  });

  test('Masking, SimpleRNN backwards, stacked cells, a stateful layer', async () => {
    await assertRoundTrip(new Sequential([
      new Masking({ maskValue: 0.5, inputShape: [4, 2] }),
      new SimpleRNN({ units: 3, goBackwards: true, returnSequences: true, unroll: true, kernelRegularizer: 'l2' }),
      new RNN({ cell: [new LSTMCell({ units: 2, unitForgetBias: false }), new GRUCell({ units: 2, resetAfter: false })], returnSequences: true }),
      new LSTM({ units: 2, stateful: true }),
    ]), seq());
  });

  test('a functional encoder-decoder with states between them', async () => {
    const input = Input({ shape: [4, 2] });
    const { states } = new LSTM({ units: 3, returnState: true }).applyWithState(input);
    const decoded = new LSTM({ units: 3 }).apply(input, { initialState: states });
    const loaded = await assertRoundTrip(new Model({ inputs: input, outputs: decoded }), seq());
    const topology = loaded.getConfig() as { layers: { inbound_nodes: unknown[] }[] };
    const [inputName, encoderName] = loaded.layers.map((l) => l.name);
    assert.deepEqual(topology.layers[2]!.inbound_nodes[0], [[inputName, 0, 0, {}], [encoderName, 0, 1, {}], [encoderName, 0, 2, {}]], 'the sequence, then the states h and c');
  });

  test('an RNN over a cell of one\'s own, read back through customLayers', async () => {
    const model = new Sequential([new RNN({ cell: new ScaledCell(3, 0.5), inputShape: [4, 2] })]);
    await assertRoundTrip(model, seq(), {
      customLayers: { ScaledCell: (c: ConfigReader) => new ScaledCell(c.integer('units'), c.number('scale'), c.string('name')) },
    });
  });
});
