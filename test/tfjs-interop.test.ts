/**
 * Interoperability with TensorFlow.js 4.22 (pure JavaScript, CPU), both ways, on the seed's convnet and on
 * a functional model: a model trained in one loads in the other with the same predictions. TensorFlow.js
 * has no file handler in pure-JS Node, so its saves are captured with tf.io.withSaveHandler and written
 * as its Node handler writes them (model.json + weights.bin), and layerwise's files reach it through
 * tf.io.fromMemory.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '../src/index.js';
import {
  BatchNormalization, Concatenate, Conv2D, Dense, Flatten, Input, MaxPooling2D, Model, RMSprop, Sequential, datasets, loadModel, randomUniform, setSeed,
  tensor, toCategorical,
} from '../src/index.js';
import { loadInTfjs, maxDifference, saveTfjs, tfjsPredict } from './tfjs-files.js';

const root = mkdtempSync(join(tmpdir(), 'layerwise-tfjs-'));
after(() => rmSync(root, { recursive: true, force: true }));

const TOLERANCE = 1e-5;
const { train, test: testSet } = datasets.mnist.loadData();
const images = (n: number, offset = 0): Tensor => testSet.x.slice([offset, 0, 0], [n, 28, 28]).reshape([n, 28, 28, 1]).div(255);

describe('TensorFlow.js 4.22 interoperability, the seed\'s convnet', () => {
  test('a convnet trained in TensorFlow.js loads in layerwise with the same predictions', async () => {
    const model = tf.sequential();
    model.add(tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }));
    model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
    model.add(tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }));
    model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
    model.add(tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }));
    model.add(tf.layers.flatten());
    model.add(tf.layers.dense({ units: 64, activation: 'relu' }));
    model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
    model.compile({ optimizer: 'rmsprop', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const n = 8;
    const x = train.x.slice([0, 0, 0], [n, 28, 28]).reshape([n, 28, 28, 1]).div(255);
    const y = toCategorical(train.y.slice([0], [n]), 10);
    await model.fit(tf.tensor(x.data() as Float32Array, [...x.shape]), tf.tensor(y.data() as Float32Array, [...y.shape]), { epochs: 1, batchSize: 8, verbose: 0 });

    const dir = join(root, 'from-tfjs');
    await saveTfjs(model, dir, true);
    const loaded = await loadModel(dir);
    assert.ok(loaded instanceof Sequential);
    assert.equal(loaded.countParams(), model.countParams());
    assert.equal(loaded.countParams(), 93322, 'the seed\'s convnet');
    assert.equal(loaded.loss!.name, 'categorical_crossentropy', 'compiled from the training config');
    const xTest = images(32);
    const difference = maxDifference((await loaded.predict(xTest)).data(), tfjsPredict(model, xTest));
    assert.ok(difference < TOLERANCE, `largest difference between the predictions: ${difference}`);
  });

  test('a convnet trained in layerwise loads in TensorFlow.js with the same predictions, training state included', async () => {
    setSeed(42);
    const model = new Sequential();
    model.add(new Conv2D({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }));
    model.add(new MaxPooling2D({ poolSize: 2 }));
    model.add(new Conv2D({ filters: 64, kernelSize: 3, activation: 'relu' }));
    model.add(new MaxPooling2D({ poolSize: 2 }));
    model.add(new Conv2D({ filters: 64, kernelSize: 3, activation: 'relu' }));
    model.add(new Flatten());
    model.add(new Dense({ units: 64, activation: 'relu' }));
    model.add(new Dense({ units: 10, activation: 'softmax' }));
    model.compile({ optimizer: new RMSprop({ learningRate: 0.001 }), loss: 'categorical_crossentropy', metrics: ['accuracy'] });
    const n = 128;
    await model.fit(train.x.slice([0, 0, 0], [n, 28, 28]).reshape([n, 28, 28, 1]).div(255), toCategorical(train.y.slice([0], [n]), 10), { epochs: 1, batchSize: 64, verbose: 0 });

    const xTest = images(32, 100);
    for (const includeTrainingState of [false, true]) {
      const dir = join(root, `from-layerwise-${includeTrainingState}`);
      await model.save(dir, { includeTrainingState });
      const loaded = await loadInTfjs(dir);
      assert.equal(loaded.countParams(), 93322);
      const difference = maxDifference(tfjsPredict(loaded, xTest), (await model.predict(xTest)).data());
      assert.ok(difference < TOLERANCE, `largest difference between the predictions: ${difference}`);
      if (includeTrainingState) {
        assert.equal(loaded.optimizer.getClassName(), 'RMSProp', 'TensorFlow.js compiled it from the training config');
        const weights = await loaded.optimizer.getWeights();
        assert.equal(weights[0]!.tensor.dataSync()[0], 2, 'the iteration count (128 images in batches of 64)');
        assert.equal(weights.length, 1 + 2 * model.trainableWeights.length, 'iterations, then rms and momentum for every weight');
      }
    }
  });
});

describe('TensorFlow.js 4.22 interoperability, a functional model with batch normalization', () => {
  test('both ways', async () => {
    const x = tensor([[0.1, -0.4, 0.9, 0.3], [1.2, 0.5, -0.7, 0.0], [0.3, 0.3, 0.3, 0.3]]);

    const input = tf.input({ shape: [4] });
    const a = tf.layers.dense({ units: 3, activation: 'tanh' }).apply(input) as tf.SymbolicTensor;
    const b = tf.layers.batchNormalization().apply(tf.layers.dense({ units: 3 }).apply(input)) as tf.SymbolicTensor;
    const out = tf.layers.dense({ units: 2, activation: 'softmax' }).apply(tf.layers.concatenate().apply([a, b])) as tf.SymbolicTensor;
    const theirs = tf.model({ inputs: input, outputs: out });
    theirs.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    await theirs.fit(tf.randomNormal([16, 4]), tf.oneHot(tf.tensor1d(Array.from({ length: 16 }, (_, i) => i % 2), 'int32'), 2), { epochs: 2, verbose: 0 });
    const fromTfjs = join(root, 'functional-from-tfjs');
    await saveTfjs(theirs, fromTfjs);
    const mine = await loadModel(fromTfjs);
    assert.ok(maxDifference((await mine.predict(x)).data(), tfjsPredict(theirs, x)) < TOLERANCE);

    setSeed(3);
    const i2 = Input({ shape: [4] });
    const c = new Dense({ units: 3, activation: 'relu' }).apply(i2);
    const d = new BatchNormalization().apply(new Dense({ units: 3 }).apply(i2));
    const ours = new Model({ inputs: i2, outputs: new Dense({ units: 2, activation: 'softmax' }).apply(new Concatenate().apply([c, d])) });
    ours.compile({ optimizer: 'adam', loss: 'categorical_crossentropy' });
    await ours.fit(x, tensor([[1, 0], [0, 1], [1, 0]]), { epochs: 3, verbose: 0 });
    const fromLayerwise = join(root, 'functional-from-layerwise');
    await ours.save(fromLayerwise);
    assert.ok(maxDifference(tfjsPredict(await loadInTfjs(fromLayerwise), x), (await ours.predict(x)).data()) < TOLERANCE);
  });
});

describe('TensorFlow.js 4.22 interoperability, two inputs and two outputs, a nested model and a shared layer', () => {
  test('trained in TensorFlow.js, loads in layerwise with the same predictions and compiled per output; and the reverse', async () => {
    const inner = tf.sequential({ name: 'encoder', layers: [tf.layers.dense({ units: 3, inputShape: [4], activation: 'tanh', name: 'enc_1' }), tf.layers.dense({ units: 2, name: 'enc_2' })] });
    const a = tf.input({ shape: [4], name: 'in_a' });
    const b = tf.input({ shape: [5], name: 'in_b' });
    const shared = tf.layers.dense({ units: 2, name: 'shared' });
    const sa = shared.apply(inner.apply(a)) as tf.SymbolicTensor;
    const sb = shared.apply(tf.layers.dense({ units: 2, name: 'side' }).apply(b)) as tf.SymbolicTensor;
    const outA = tf.layers.dense({ units: 1, name: 'out_a' }).apply(tf.layers.concatenate({ name: 'joined' }).apply([sa, sb])) as tf.SymbolicTensor;
    const outB = tf.layers.activation({ activation: 'softmax', name: 'out_b' }).apply(sb) as tf.SymbolicTensor;
    const theirs = tf.model({ inputs: [a, b], outputs: [outA, outB], name: 'two_by_two' });
    theirs.compile({ optimizer: 'adam', loss: ['meanSquaredError', 'categoricalCrossentropy'], metrics: ['accuracy'] });
    await theirs.fit([tf.randomNormal([16, 4]), tf.randomNormal([16, 5])], [tf.randomNormal([16, 1]), tf.oneHot(tf.tensor1d(Array.from({ length: 16 }, (_, i) => i % 2), 'int32'), 2)], { epochs: 2, verbose: 0 });
    const dir = join(root, 'two-by-two-from-tfjs');
    await saveTfjs(theirs, dir, true);

    const mine = await loadModel(dir);
    assert.deepEqual(mine.inputNames, ['in_a', 'in_b']);
    assert.deepEqual(mine.outputNames, ['out_a', 'out_b']);
    assert.deepEqual(mine.losses.map((l) => l.name), ['mean_squared_error', 'categorical_crossentropy']);
    assert.equal(mine.getLayer('encoder').className, 'Sequential');
    assert.equal(mine.countParams(), theirs.countParams());
    const xa = tensor(Array.from({ length: 12 }, (_, i) => Math.sin(i)), { shape: [3, 4] });
    const xb = tensor(Array.from({ length: 15 }, (_, i) => Math.cos(i)), { shape: [3, 5] });
    const predictTfjs = (model: tf.LayersModel): Float32Array[] =>
      (model.predict([tf.tensor(xa.data() as Float32Array, [3, 4]), tf.tensor(xb.data() as Float32Array, [3, 5])]) as tf.Tensor[]).map((t) => t.dataSync() as Float32Array);
    const expected = predictTfjs(theirs);
    const got = await mine.predictAll([xa, xb]);
    got.forEach((t, k) => assert.ok(maxDifference(t.data(), expected[k]!) < TOLERANCE, `output ${k}`));

    // Trained further in layerwise, then back to TensorFlow.js.
    await mine.fit({ in_a: randomUniform([8, 4]), in_b: randomUniform([8, 5]) }, { out_a: randomUniform([8, 1]), out_b: toCategorical([0, 1, 1, 0, 1, 0, 0, 1], 2) }, { epochs: 1, verbose: 0 });
    const back = join(root, 'two-by-two-from-layerwise');
    await mine.save(back, { includeTrainingState: true });
    const reloaded = await loadInTfjs(back);
    const ours = await mine.predictAll([xa, xb]);
    predictTfjs(reloaded).forEach((t, k) => assert.ok(maxDifference(t, ours[k]!.data()) < TOLERANCE, `output ${k} in TensorFlow.js`));
    assert.deepEqual(reloaded.outputNames, ['out_a', 'out_b']);
  });

  test('a siamese model built in layerwise with a nested Sequential loads in TensorFlow.js with one set of shared weights', async () => {
    setSeed(8);
    const encoder = new Sequential({ name: 'tower', layers: [new Dense({ units: 4, activation: 'relu', inputShape: [3], name: 'tower_1' }), new Dense({ units: 2, name: 'tower_2' })] });
    const left = Input({ shape: [3], name: 'left' });
    const right = Input({ shape: [3], name: 'right' });
    const score = new Dense({ units: 1, activation: 'sigmoid', name: 'score' }).apply(new Concatenate().apply([encoder.apply(left), encoder.apply(right)]));
    const model = new Model({ inputs: [left, right], outputs: score, name: 'siamese' });
    const dir = join(root, 'siamese-from-layerwise');
    await model.save(dir);
    const theirs = await loadInTfjs(dir);
    assert.equal(theirs.countParams(), model.countParams());
    const xl = tensor(Array.from({ length: 6 }, (_, i) => i / 6), { shape: [2, 3] });
    const xr = tensor(Array.from({ length: 6 }, (_, i) => 1 - i / 6), { shape: [2, 3] });
    const expected = (theirs.predict([tf.tensor(xl.data() as Float32Array, [2, 3]), tf.tensor(xr.data() as Float32Array, [2, 3])]) as tf.Tensor).dataSync();
    assert.ok(maxDifference((await model.predict([xl, xr])).data(), expected) < TOLERANCE);
    const loaded = await loadModel(dir);
    assert.ok(maxDifference((await loaded.predict({ left: xl, right: xr })).data(), expected) < TOLERANCE, 'and back in layerwise');
  });
});
