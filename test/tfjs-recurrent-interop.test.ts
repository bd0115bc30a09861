/**
 * Sequence models between TensorFlow.js 4.22 and layerwise, both ways: every recurrent layer, Embedding
 * with masks, Masking, Bidirectional in every merge mode, TimeDistributed, stacked cells, a functional
 * encoder whose states start a decoder, and a stateful layer. Models trained or randomly initialised in
 * one load in the other with the same predictions (1e-5).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import type { Model, Tensor } from '../src/index.js';
import {
  Adam, Bidirectional, Dense, Embedding, GRU, GRUCell, Input, LSTM, LSTMCell, Model as FunctionalModel, RNN, Sequential, SimpleRNN,
  SimpleRNNCell, TimeDistributed, loadModel, randomNormal, setSeed, tensor,
} from '../src/index.js';
import { loadInTfjs, maxDifference, saveTfjs, tfjsPredict, toTfjs } from './tfjs-files.js';

const root = mkdtempSync(join(tmpdir(), 'layerwise-tfjs-rnn-'));
after(() => rmSync(root, { recursive: true, force: true }));

const TOLERANCE = 1e-5;
let folders = 0;
const folder = (): string => join(root, `m${folders++}`);

/** Token sequences of `steps` with padding (0) at the end of some and the start of others, as int32. */
function tokens(n: number, steps: number, vocab: number, seed: number): Tensor {
  setSeed(seed);
  const values = randomNormal([n, steps]).data() as Float32Array;
  const out = new Int32Array(n * steps);
  for (let i = 0; i < n; i++) {
    const length = 1 + (i % steps);
    for (let t = 0; t < steps; t++) {
      const inside = i % 3 === 2 ? t >= steps - length : t < length;
      out[i * steps + t] = inside ? 1 + (Math.floor(Math.abs(values[i * steps + t]!) * 1000) % (vocab - 1)) : 0;
    }
  }
  return tensor(out, [n, steps]);
}

function labels(n: number, classes = 2): Tensor {
  return tensor(Float32Array.from({ length: n }, (_, i) => (i * 7) % classes), [n, 1]);
}

async function fromTfjs(model: tf.LayersModel, x: Tensor): Promise<Model> {
  const dir = folder();
  await saveTfjs(model, dir);
  const loaded = await loadModel(dir);
  assert.equal(loaded.countParams(), model.countParams(), 'the same number of weights');
  const difference = maxDifference((await loaded.predict(x)).data() as Float32Array, tfjsPredict(model, x));
  assert.ok(difference < TOLERANCE, `largest difference between the predictions: ${difference}`);
  return loaded;
}

async function toTfjsModel(model: Model, x: Tensor): Promise<tf.LayersModel> {
  const dir = folder();
  await model.save(dir);
  const loaded = await loadInTfjs(dir);
  assert.equal(loaded.countParams(), model.countParams(), 'the same number of weights');
  const difference = maxDifference(tfjsPredict(loaded, x), (await model.predict(x)).data() as Float32Array);
  assert.ok(difference < TOLERANCE, `largest difference between the predictions: ${difference}`);
  return loaded;
}

async function fitTfjs(model: tf.LayersModel, x: Tensor, y: Tensor): Promise<void> {
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'binaryCrossentropy' });
  await model.fit(toTfjs(x), toTfjs(y), { epochs: 2, batchSize: 8, verbose: 0 });
}

describe('TensorFlow.js 4.22 interoperability: sequence models', () => {
  const x = tokens(24, 7, 20, 1);
  const y = labels(24);

  test('masked Embedding + Bidirectional LSTM, trained in TensorFlow.js (its defaults: hard sigmoid gates)', async () => {
    const model = tf.sequential();
    model.add(tf.layers.embedding({ inputDim: 20, outputDim: 6, maskZero: true, inputLength: 7 }));
    model.add(tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 5 }) as tf.RNN, mergeMode: 'concat' }));
    model.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
    await fitTfjs(model, x, y);
    const loaded = await fromTfjs(model, x);
    assert.ok(loaded.layers[1] instanceof Bidirectional && loaded.layers[0] instanceof Embedding && loaded.layers[0].maskZero);
  });

  test('masked Embedding + Bidirectional LSTM, trained in layerwise', async () => {
    setSeed(2);
    const model = new Sequential([
      new Embedding({ inputDim: 20, outputDim: 6, maskZero: true, inputLength: 7 }),
      new Bidirectional({ layer: new LSTM({ units: 5 }) }),
      new Dense({ units: 1, activation: 'sigmoid' }),
    ]);
    model.compile({ optimizer: new Adam({ learningRate: 0.01 }), loss: 'binary_crossentropy' });
    await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
    await toTfjsModel(model, x);
  });

  test('stacked GRU + SimpleRNN with TimeDistributed(Dense), both ways', async () => {
    const seq = randomNormal([6, 5, 3]);
    const model = tf.sequential();
    model.add(tf.layers.gru({ units: 4, returnSequences: true, inputShape: [5, 3] }));
    model.add(tf.layers.simpleRNN({ units: 3, returnSequences: true, goBackwards: true }));
    model.add(tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 2, activation: 'tanh' }) }));
    model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    await model.fit(toTfjs(seq), tf.randomNormal([6, 5, 2]), { epochs: 2, verbose: 0 });
    await fromTfjs(model, seq);

    setSeed(3);
    const ours = new Sequential([
      new GRU({ units: 4, returnSequences: true, resetAfter: false, recurrentActivation: 'hardSigmoid', inputShape: [5, 3] }),
      new SimpleRNN({ units: 3, returnSequences: true, activation: 'relu' }),
      new TimeDistributed({ layer: new Dense({ units: 2 }) }),
    ]);
    ours.compile({ optimizer: 'adam', loss: 'mse' });
    await ours.fit(seq, randomNormal([6, 5, 2]), { epochs: 2, verbose: 0 });
    await toTfjsModel(ours, seq);
  });

  test('Bidirectional in every merge mode, and without one (two outputs joined by Concatenate)', async () => {
    const seq = randomNormal([4, 6, 3]);
    for (const mergeMode of ['sum', 'mul', 'ave', 'concat'] as const) {
      const model = tf.sequential();
      model.add(tf.layers.bidirectional({ layer: tf.layers.gru({ units: 3, returnSequences: true }) as tf.RNN, mergeMode, inputShape: [6, 3] }));
      await fromTfjs(model, seq);
      const ours = new Sequential([new Bidirectional({ layer: new SimpleRNN({ units: 3 }), mergeMode, inputShape: [6, 3] })]);
      await toTfjsModel(ours, seq);
    }
    const input = tf.input({ shape: [6, 3] });
    const both = tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 2 }) as tf.RNN, mergeMode: null as never }).apply(input) as tf.SymbolicTensor[];
    const out = tf.layers.dense({ units: 1 }).apply(tf.layers.concatenate().apply(both)) as tf.SymbolicTensor;
    const loaded = await fromTfjs(tf.model({ inputs: input, outputs: out }), seq);
    await toTfjsModel(loaded, seq);
  });

  test('an RNN over stacked LSTM, GRU and SimpleRNN cells, both ways', async () => {
    const seq = randomNormal([4, 5, 3]);
    const model = tf.sequential();
    model.add(tf.layers.rnn({ cell: [tf.layers.lstmCell({ units: 4 }), tf.layers.gruCell({ units: 3 }), tf.layers.simpleRNNCell({ units: 2 })], inputShape: [5, 3] }));
    const loaded = await fromTfjs(model, seq);
    assert.ok(loaded.layers[0] instanceof RNN);
    const ours = new Sequential([
      new RNN({ cell: [new LSTMCell({ units: 4 }), new GRUCell({ units: 3, resetAfter: false }), new SimpleRNNCell({ units: 2 })], returnSequences: true, inputShape: [5, 3] }),
    ]);
    await toTfjsModel(ours, seq);
  });

  test('an encoder\'s final states start a decoder (returnState, initialState), both ways', async () => {
    const seq = randomNormal([5, 6, 3]);
    const input = tf.input({ shape: [6, 3] });
    const [, h, c] = tf.layers.lstm({ units: 4, returnState: true, goBackwards: true }).apply(input) as tf.SymbolicTensor[];
    const shifted = tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 2 }) }).apply(input) as tf.SymbolicTensor;
    const decoded = tf.layers.lstm({ units: 4, returnSequences: true }).apply(shifted, { initialState: [h!, c!] }) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 1 }).apply(decoded) as tf.SymbolicTensor });
    const loaded = await fromTfjs(model, seq);
    await toTfjsModel(loaded, seq);

    setSeed(5);
    const i2 = Input({ shape: [6, 3] });
    const encoder = new GRU({ units: 3, returnState: true, resetAfter: false });
    const { states } = encoder.applyWithState(i2);
    const decoder = new GRU({ units: 3, resetAfter: false, returnSequences: true }).apply(new TimeDistributed({ layer: new Dense({ units: 2 }) }).apply(i2), { initialState: states });
    await toTfjsModel(new FunctionalModel({ inputs: i2, outputs: decoder }), seq);
  });

  test('Masking + LSTM from TensorFlow.js: padded timesteps are skipped the same way', async () => {
    const seq = randomNormal([4, 5, 3]).mul(tensor([[1], [1], [0], [1], [0]]));
    const model = tf.sequential();
    model.add(tf.layers.masking({ maskValue: 0, inputShape: [5, 3] }));
    model.add(tf.layers.lstm({ units: 3, recurrentActivation: 'sigmoid' }));
    await fromTfjs(model, seq);
  });

  test('a stateful LSTM carries its states across batches in both', async () => {
    const seq = randomNormal([2, 8, 3]);
    const model = tf.sequential();
    model.add(tf.layers.lstm({ units: 3, stateful: true, batchInputShape: [2, 4, 3] }));
    const dir = folder();
    await saveTfjs(model, dir);
    const loaded = await loadModel(dir);
    for (const part of [0, 1]) {
      const chunk = seq.slice([0, 4 * part, 0], [2, 4, 3]);
      const difference = maxDifference((await loaded.predict(chunk)).data() as Float32Array, tfjsPredict(model, chunk));
      assert.ok(difference < TOLERANCE, `chunk ${part}: ${difference}`);
    }
  });
});
