import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import '../ops/tensor-methods.js';
import { computeLoss, getLoss } from '../losses/index.js';
import { tensor, zeros } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { Concatenate } from './concatenate.js';
import { Dense } from './dense.js';
import { Dropout } from './dropout.js';
import { Embedding } from './embedding.js';
import { Flatten } from './flatten.js';
import { Input } from './input-layer.js';
import { LSTM } from './lstm.js';
import { getMask } from './mask.js';
import { Masking } from './masking.js';
import { SimpleRNN } from './simple-rnn.js';
import { TimeDistributed } from './time-distributed.js';

const tokens = [[3, 1, 0, 0], [2, 2, 5, 0], [0, 0, 4, 1]];

describe('Embedding', () => {
  test('looks up one row per index; maskZero attaches the padding mask', () => {
    const layer = new Embedding({ inputDim: 6, outputDim: 2, maskZero: true, name: 'emb' });
    const y = layer.apply(tensor(tokens));
    assert.deepEqual(y.shape, [3, 4, 2]);
    const table = layer.embeddings!.toArray() as number[][];
    assert.deepEqual(y.toArray(), tokens.map((row) => row.map((i) => table[i])));
    assert.deepEqual(getMask(y)!.toArray(), tokens.map((row) => row.map((i) => i !== 0)));
    assert.equal(getMask(new Embedding({ inputDim: 6, outputDim: 2 }).apply(tensor(tokens))), null, 'no mask without maskZero');
    assert.deepEqual(layer.weights.map((w) => [w.name, w.shape]), [['emb/embeddings', [6, 2]]]);
    assert.ok((layer.embeddings!.data() as Float32Array).every((v) => Math.abs(v) <= 0.05), 'Keras\'s uniform [-0.05, 0.05]');
  });

  test('indices as int32, Uint8Array or whole floats; anything else is refused naming the layer and the position', () => {
    const layer = new Embedding({ inputDim: 6, outputDim: 3, name: 'emb_check' });
    const a = layer.apply(tensor(new Uint8Array([1, 5, 0, 2]), [2, 2]));
    assert.deepEqual(a.toArray(), layer.apply(tensor([[1, 5], [0, 2]])).toArray());
    assert.throws(() => layer.apply(tensor([[1, 6]])), /Embedding 'emb_check': argument 'x' expected token indices, whole numbers in \[0, 5\] \(inputDim 6\), received 6 at position 1 of shape \[1, 2\]/);
    assert.throws(() => layer.apply(tensor([[1.5]])), /received 1.5 at position 0/);
    assert.throws(() => layer.apply(tensor([[-1]])), /received -1 at position 0/);
  });

  test('inputLength gives the input shape and is checked', () => {
    const layer = new Embedding({ inputDim: 5, outputDim: 2, inputLength: 4, name: 'emb_len' });
    assert.deepEqual(layer.batchInputShape, [null, 4]);
    assert.deepEqual(layer.computeOutputShape([null, 4]), [null, 4, 2]);
    assert.throws(() => layer.apply(tensor([[1, 2, 3]])), /Embedding 'emb_len': expected input of shape \[batch, 4\] \(option 'inputLength'\), received \[1, 3\]/);
    assert.throws(() => new Embedding({ inputDim: 5, outputDim: 2, maskzero: true } as never), /Embedding: unknown option 'maskzero' \(did you mean 'maskZero'\?\)/);
  });
});

describe('Masking', () => {
  test('masks the timesteps whose features all equal maskValue and zeroes them', () => {
    const x = tensor([[[1, 2], [-1, -1], [0, -1]], [[-1, -1], [3, 4], [-1, -1]]]);
    const layer = new Masking({ maskValue: -1 });
    const y = layer.apply(x);
    assert.deepEqual(getMask(y)!.toArray(), [[true, false, true], [false, true, false]]);
    assert.deepEqual(y.add(0).toArray(), [[[1, 2], [0, 0], [0, -1]], [[0, 0], [3, 4], [0, 0]]]);
  });
});

describe('masks travel to the layers that use them', () => {
  test('through Dense, Dropout and TimeDistributed to a recurrent layer, in eager calls', () => {
    const embedding = new Embedding({ inputDim: 6, outputDim: 3, maskZero: true });
    const dense = new Dense({ units: 4 });
    const rnn = new SimpleRNN({ units: 2, returnSequences: true });
    let h: Tensor = embedding.apply(tensor(tokens));
    for (const layer of [dense, new Dropout({ rate: 0.5 }), new TimeDistributed({ layer: new Dense({ units: 3 }) })]) h = layer.apply(h);
    assert.deepEqual(getMask(h)!.toArray(), getMask(embedding.apply(tensor(tokens)))!.toArray());
    const masked = rnn.apply(h);
    const explicit = rnn.apply(h, { mask: getMask(h)! });
    const none = rnn.apply(h, { mask: null });
    assert.deepEqual(masked.toArray(), explicit.toArray());
    assert.notDeepEqual(masked.toArray(), none.toArray(), 'the mask changed the result');
  });

  test('a layer that cannot use a mask drops it, once saying so', () => {
    const warnings: string[] = [];
    const original = console.warn;
    console.warn = (m: string) => warnings.push(m);
    try {
      const flatten = new Flatten({ name: 'flat_mask' });
      const y = flatten.apply(new Embedding({ inputDim: 6, outputDim: 2, maskZero: true }).apply(tensor(tokens)));
      flatten.apply(new Embedding({ inputDim: 6, outputDim: 2, maskZero: true }).apply(tensor(tokens)));
      assert.equal(getMask(y), null);
      assert.deepEqual(warnings, [
        "layerwise: Flatten 'flat_mask' was given an input with a mask, but it does not support masking, so the layers after it will not see the mask",
      ]);
    } finally {
      console.warn = original;
    }
  });

  test('in a functional model: merge layers combine masks; LSTM without returnSequences ends the mask', async () => {
    const { Model } = await import('../models/model.js');
    const input = Input({ shape: [4] });
    const embedded = new Embedding({ inputDim: 6, outputDim: 3, maskZero: true }).apply(input);
    const masked = new Masking({ maskValue: 0 }).apply(new Dense({ units: 3, useBias: false }).apply(embedded));
    const joined = new Concatenate().apply([embedded, masked]);
    const sequence = new LSTM({ units: 2, returnSequences: true }).apply(joined);
    const model = new Model({ inputs: input, outputs: sequence });
    const y = model.predict(tensor(tokens));
    assert.deepEqual(y.shape, [3, 4, 2]);
    const direct = model.call(tensor(tokens));
    assert.deepEqual(getMask(direct)!.toArray(), tokens.map((row) => row.map((i) => i !== 0)));
    const last = new Model({ inputs: input, outputs: new LSTM({ units: 2 }).apply(embedded) });
    assert.equal(getMask(last.call(tensor(tokens))), null);
  });
});

describe('a masked loss leaves masked timesteps out', () => {
  test('the mean is over the kept values only, as Keras 3 computes it', () => {
    const yPred = tensor([[[0.9, 0.1], [0.2, 0.8], [0.5, 0.5]], [[0.3, 0.7], [0.6, 0.4], [0.1, 0.9]]]);
    const yTrue = tensor([[0, 1, 1], [1, 0, 0]]);
    const mask = tensor([[true, true, false], [true, false, false]]);
    const loss = getLoss('sparse_categorical_crossentropy');
    const kept = [-Math.log(0.9), -Math.log(0.8), -Math.log(0.7)];
    const expected = kept.reduce((a, b) => a + b) / 3;
    assert.ok(Math.abs(computeLoss(loss, yTrue, yPred, null, mask).item() - expected) < 1e-6);
    // Sample weights multiply, and the mean stays over the kept values.
    const weighted = computeLoss(loss, yTrue, yPred, tensor([2, 1]), mask).item();
    assert.ok(Math.abs(weighted - (2 * kept[0]! + 2 * kept[1]! + kept[2]!) / 3) < 1e-6);
    assert.equal(computeLoss(loss, yTrue, yPred, null, zeros([2, 3], 'bool')).item(), 0, 'nothing kept: zero');
    assert.throws(() => computeLoss(loss, yTrue, yPred, null, tensor([true, false])), /the predictions carry a mask of shape \[2\], but the loss has values of shape \[2, 3\]/);
  });

  test('training a sequence tagger ignores what the padding predicts', async () => {
    const { Sequential } = await import('../models/sequential.js');
    const model = new Sequential([
      new Embedding({ inputDim: 6, outputDim: 4, maskZero: true, inputShape: [4] }),
      new SimpleRNN({ units: 4, returnSequences: true }),
      new TimeDistributed({ layer: new Dense({ units: 2, activation: 'softmax' }) }),
    ]);
    model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
    const x = tensor(tokens);
    const y = tensor([[1, 0, 1, 1], [0, 0, 1, 0], [0, 1, 1, 0]]);
    const before = await model.evaluate(x, y, { verbose: 0 });
    // Changing the labels of padded steps changes nothing.
    const y2 = tensor([[1, 0, 0, 0], [0, 0, 1, 1], [1, 1, 1, 0]]);
    const after = await model.evaluate(x, y2, { verbose: 0 });
    assert.ok(Math.abs(before[0]! - after[0]!) < 1e-7, `${before[0]} vs ${after[0]}`);
  });
});
