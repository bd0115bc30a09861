/**
 * Interoperability with TensorFlow.js 4.22 for the sequence layers it has: Conv1D (dilated, strided,
 * same padding; TensorFlow.js cannot run causal padding, which is checked against PyTorch instead), MaxPooling1D, AveragePooling1D, LayerNormalization, GlobalAveragePooling1D and
 * GlobalMaxPooling1D. A model trained in one loads in the other with the same predictions, both ways.
 * (TensorFlow.js has no MultiHeadAttention, UpSampling1D, ZeroPadding1D or Cropping1D; those are checked
 * against PyTorch and by save/load round trips.)
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import {
  AveragePooling1D, Concatenate, Conv1D, Dense, GlobalAveragePooling1D, GlobalMaxPooling1D, Input, LayerNormalization, MaxPooling1D, Model, Sequential,
  loadModel, randomUniform, setSeed, tensor,
} from '../src/index.js';
import { loadInTfjs, maxDifference, saveTfjs, tfjsPredict } from './tfjs-files.js';

const root = mkdtempSync(join(tmpdir(), 'layerwise-tfjs-seq-'));
after(() => rmSync(root, { recursive: true, force: true }));

const TOLERANCE = 1e-5;

/** A small real-valued sequence task: is the sum of the first channel over the sequence positive? */
function task(n: number, steps: number, seed: number): { x: number[][][]; y: number[][] } {
  setSeed(seed);
  const x = randomUniform([n, steps, 3], { minval: -1, maxval: 1 }).toArray() as number[][][];
  return { x, y: x.map((s) => [s.reduce((a, step) => a + step[0]!, 0) > 0 ? 1 : 0]) };
}

describe('TensorFlow.js 4.22 interoperability, Conv1D + pooling + LayerNormalization', () => {
  test('a model trained in TensorFlow.js loads in layerwise with the same predictions', async () => {
    const { x, y } = task(32, 12, 1);
    const theirs = tf.sequential();
    theirs.add(tf.layers.conv1d({ inputShape: [12, 3], filters: 4, kernelSize: 3, activation: 'relu' }));
    theirs.add(tf.layers.maxPooling1d({ poolSize: 2 }));
    theirs.add(tf.layers.layerNormalization({ epsilon: 1e-4 }));
    theirs.add(tf.layers.conv1d({ filters: 5, kernelSize: 2, strides: 2, padding: 'same', activation: 'tanh' }));
    theirs.add(tf.layers.averagePooling1d({ poolSize: 2, strides: 1 }));
    theirs.add(tf.layers.globalAveragePooling1d());
    theirs.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
    theirs.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
    await theirs.fit(tf.tensor(x), tf.tensor(y), { epochs: 3, verbose: 0 });
    const dir = join(root, 'from-tfjs');
    await saveTfjs(theirs, dir);
    const mine = await loadModel(dir);
    assert.deepEqual(mine.layers.map((l) => l.constructor.name), ['Conv1D', 'MaxPooling1D', 'LayerNormalization', 'Conv1D', 'AveragePooling1D', 'GlobalAveragePooling1D', 'Dense']);
    const probe = tensor(task(8, 12, 2).x);
    assert.ok(maxDifference((await mine.predict(probe)).data(), tfjsPredict(theirs, probe)) < TOLERANCE);
  });

  test('a functional model trained in layerwise loads in TensorFlow.js with the same predictions', async () => {
    const { x, y } = task(32, 10, 3);
    setSeed(4);
    const input = Input({ shape: [10, 3] });
    const conv = new Conv1D({ filters: 6, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(input);
    const normed = new LayerNormalization({ gammaInitializer: 'randomNormal', betaInitializer: 'randomNormal' }).apply(conv);
    const pooled = new MaxPooling1D({ poolSize: 2, padding: 'same' }).apply(new Conv1D({ filters: 4, kernelSize: 2, dilationRate: 2 }).apply(normed));
    const both = new Concatenate().apply([new GlobalAveragePooling1D().apply(pooled), new GlobalMaxPooling1D().apply(new AveragePooling1D().apply(normed))]);
    const ours = new Model({ inputs: input, outputs: new Dense({ units: 1, activation: 'sigmoid' }).apply(both) });
    ours.compile({ optimizer: 'adam', loss: 'binary_crossentropy' });
    await ours.fit(tensor(x), tensor(y), { epochs: 3, verbose: 0 });
    const dir = join(root, 'from-layerwise');
    await ours.save(dir);
    const theirs = await loadInTfjs(dir);
    const probe = tensor(task(8, 10, 5).x);
    assert.ok(maxDifference(tfjsPredict(theirs, probe), (await ours.predict(probe)).data()) < TOLERANCE);

    // LayerNormalization over two axes, and a Sequential, the same way.
    setSeed(6);
    const seq = new Sequential();
    seq.add(new Conv1D({ filters: 3, kernelSize: 2, dilationRate: 3, inputShape: [10, 3] }));
    seq.add(new LayerNormalization({ axis: [1, 2], gammaInitializer: 'randomNormal' }));
    seq.add(new GlobalMaxPooling1D());
    const seqDir = join(root, 'sequential-from-layerwise');
    await seq.save(seqDir);
    assert.ok(maxDifference(tfjsPredict(await loadInTfjs(seqDir), probe), (await seq.predict(probe)).data()) < TOLERANCE);
  });
});
