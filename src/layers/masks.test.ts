import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import '../ops/tensor-methods.js';
import { computeLoss, getLoss } from '../losses/index.js';
import { tensor, zeros } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import type { BaseLayer, NodeResult } from './base-layer.js';
import { Concatenate } from './concatenate.js';
import { Dense } from './dense.js';
import { Dropout } from './dropout.js';
import { Embedding } from './embedding.js';
import { Flatten } from './flatten.js';
import { Input } from './input-layer.js';
import { LSTM } from './lstm.js';
import { Masking } from './masking.js';
import { SimpleRNN } from './simple-rnn.js';
import { TimeDistributed } from './time-distributed.js';

const tokens = [[3, 1, 0, 0], [2, 2, 5, 0], [0, 0, 4, 1]];

/** A layer (or model) run as a node of a graph: its outputs and the masks it hands on. */
function node(layer: BaseLayer, x: Tensor, mask: Tensor | null = null): NodeResult {
  return layer.invokeNode([x], [mask], {});
}

describe('Embedding', () => {
  test('looks up one row per index; maskZero makes the padding mask', () => {
    const layer = new Embedding({ inputDim: 6, outputDim: 2, maskZero: true, name: 'emb' });
    const { outputs: [y], masks: [mask] } = node(layer, tensor(tokens));
    assert.deepEqual(y!.shape, [3, 4, 2]);
    const table = layer.embeddings!.toArray() as number[][];
    assert.deepEqual(y!.toArray(), tokens.map((row) => row.map((i) => table[i])));
    assert.deepEqual(mask!.toArray(), tokens.map((row) => row.map((i) => i !== 0)));
    assert.equal(node(new Embedding({ inputDim: 6, outputDim: 2 }), tensor(tokens)).masks[0], null, 'no mask without maskZero');
    assert.deepEqual(layer.weights.map((w) => [w.name, w.shape]), [['emb/embeddings', [6, 2]]]);
    assert.ok((layer.embeddings!.data() as Float32Array).every((v) => Math.abs(v) <= 0.05), 'Keras\'s uniform [-0.05, 0.05]');
    assert.equal(layer.apply(Input({ shape: [4], dtype: 'int32' })).dtype, 'float32', 'indices in, vectors out');
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
    const { outputs: [y], masks: [mask] } = node(new Masking({ maskValue: -1 }), x);
    assert.deepEqual(mask!.toArray(), [[true, false, true], [false, true, false]]);
    assert.deepEqual(y!.add(0).toArray(), [[[1, 2], [0, 0], [0, -1]], [[0, 0], [3, 4], [0, 0]]]);
  });
});

describe('masks travel to the layers that use them', () => {
  test('in a Sequential model, through Dense, Dropout and TimeDistributed to a recurrent layer', async () => {
    const { Sequential } = await import('../models/sequential.js');
    const embedding = new Embedding({ inputDim: 6, outputDim: 3, maskZero: true, inputShape: [4] });
    const between = [new Dense({ units: 4 }), new Dropout({ rate: 0.5 }), new TimeDistributed({ layer: new Dense({ units: 3 }) })];
    const rnn = new SimpleRNN({ units: 2, returnSequences: true });
    const model = new Sequential([embedding, ...between, rnn]);
    const x = tensor(tokens);
    const result = node(model, x);
    const padding = tokens.map((row) => row.map((i) => i !== 0));
    assert.deepEqual(result.masks[0]!.toArray(), padding, 'the sequence output keeps the mask');
    let h = embedding.apply(x);
    for (const layer of between) h = layer.apply(h);
    assert.deepEqual(result.outputs[0]!.toArray(), rnn.apply(h, { mask: tensor(padding) }).toArray(), 'the recurrent layer skipped the padding');
    assert.notDeepEqual(result.outputs[0]!.toArray(), rnn.apply(h).toArray(), 'which changed the result');
  });

  test('a layer that cannot use a mask drops it, once saying so', async () => {
    const { Sequential } = await import('../models/sequential.js');
    const warnings: string[] = [];
    const original = console.warn;
    console.warn = (m: string) => warnings.push(m);
    try {
      const model = new Sequential([new Embedding({ inputDim: 6, outputDim: 2, maskZero: true, inputShape: [4] }), new Flatten({ name: 'flat_mask' })]);
      assert.equal(node(model, tensor(tokens)).masks[0], null);
      node(model, tensor(tokens));
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
    const y = await model.predict(tensor(tokens));
    assert.deepEqual(y.shape, [3, 4, 2]);
    assert.deepEqual(node(model, tensor(tokens)).masks[0]!.toArray(), tokens.map((row) => row.map((i) => i !== 0)));
    const last = new Model({ inputs: input, outputs: new LSTM({ units: 2 }).apply(embedded) });
    assert.equal(node(last, tensor(tokens)).masks[0], null);
  });

  test('Concatenate along the timesteps joins the masks', () => {
    const a = tensor([[[1], [2]]]), b = tensor([[[3], [4], [5]]]);
    const mask = new Concatenate({ axis: 1 }).computeMask([a, b], [tensor([[true, false]]), null]);
    assert.deepEqual(mask!.toArray(), [[true, false, true, true, true]]);
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
