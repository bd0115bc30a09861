/**
 * Preprocessing layers inside models: saved with the model and loaded back with the same predictions, and
 * with TensorFlow.js 4.22 both ways for the layers it has (Rescaling, Resizing, CenterCrop,
 * CategoryEncoding). TensorFlow.js's Resizing resizes with aligned corners, unlike Keras (half-pixel
 * centres, as layerwise does), so its values are compared with TensorFlow.js's own half-pixel resize.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '../src/index.js';
import {
  CategoryEncoding, CenterCrop, Concatenate, Dense, Hashing, Discretization, Flatten, Input, IntegerLookup, Model, Normalization, RandomBrightness, RandomContrast, RandomCrop, RandomFlip, RandomRotation, RandomTranslation, RandomZoom, Rescaling, Reshape, Resizing, Sequential, loadModel,
  randomUniform, setSeed, tensor,
} from '../src/index.js';

const root = mkdtempSync(join(tmpdir(), 'layerwise-preprocessing-'));
after(() => rmSync(root, { recursive: true, force: true }));

const maxDifference = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

async function roundTrip(model: Model, x: Tensor, name: string): Promise<Model> {
  const dir = join(root, name);
  await model.save(dir);
  const loaded = await loadModel(dir);
  const d = maxDifference((await loaded.predict(x)).data(), (await model.predict(x)).data());
  assert.ok(d < 1e-6, `${name}: largest difference after loading ${d}`);
  return loaded;
}

async function loadInTfjs(dir: string): Promise<tf.LayersModel> {
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  const weights = json.weightsManifest.flatMap((g: { weights: unknown[] }) => g.weights);
  const data = Buffer.concat(json.weightsManifest.flatMap((g: { paths: string[] }) => g.paths.map((p) => readFileSync(join(dir, p)))));
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: weights, weightData: new Uint8Array(data).buffer }));
}

async function tfjsArtifacts(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    saved = artifacts;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  return saved!;
}

describe('preprocessing layers saved with the model', () => {
  test('an image model: Rescaling, Resizing (cropToAspectRatio), CenterCrop', async () => {
    setSeed(1);
    const model = new Sequential([
      new Rescaling({ scale: 1 / 255, inputShape: [6, 9, 2] }),
      new Resizing({ height: 4, width: 5, cropToAspectRatio: true, interpolation: 'nearest' }),
      new CenterCrop({ height: 3, width: 3 }),
      new Flatten(),
      new Dense({ units: 2 }),
    ]);
    const x = randomUniform([3, 6, 9, 2], { minval: 0, maxval: 255 });
    const loaded = await roundTrip(model, x, 'images');
    assert.deepEqual(loaded.layers.map((l) => l.constructor.name), ['Rescaling', 'Resizing', 'CenterCrop', 'Flatten', 'Dense']);
  });

  test('a tabular model: Normalization adapted before the model is built, Discretization, IntegerLookup and CategoryEncoding', async () => {
    setSeed(2);
    const numbers = tensor([[1, 200], [3, 180], [5, 260], [7, 240]]);
    const normalization = new Normalization();
    normalization.adapt(numbers);
    const a = Input({ shape: [2] }), b = Input({ shape: [1] }), c = Input({ shape: [3] });
    const features = [
      new Dense({ units: 3 }).apply(normalization.apply(a)),
      new CategoryEncoding({ numTokens: 4, outputMode: 'oneHot' }).apply(new Discretization({ binBoundaries: [2, 4, 6] }).apply(b)),
      new IntegerLookup({ vocabulary: [10, 20, 30], outputMode: 'multiHot' }).apply(c),
      new Hashing({ numBins: 5, maskValue: 99, outputMode: 'count' }).apply(c),
    ];
    const model = new Model({ inputs: [a, b, c], outputs: new Dense({ units: 1 }).apply(new Concatenate().apply(features)) });
    const x = [numbers, tensor([[1], [3], [5], [9]]), tensor([[10, 20, 99], [30, 30, 30], [99, 98, 97], [20, 10, 30]])];
    const dir = join(root, 'tabular');
    await model.save(dir);
    const loaded = await loadModel(dir);
    const d = maxDifference((await loaded.predict(x)).data(), (await model.predict(x)).data());
    assert.ok(d < 1e-6, `largest difference after loading ${d}`);
    const stats = (loaded.layers.find((l) => l instanceof Normalization) as Normalization).statistics!;
    assert.deepEqual(stats.mean, [4, 220], 'the adapted statistics travel as weights');
  });
});

describe('augmentation layers in a model', () => {
  test('active in fit only: predict sees the images unchanged; saved and loaded with their options', async () => {
    setSeed(5);
    const augment = [
      new RandomFlip({ mode: 'horizontal' }), new RandomRotation({ factor: 0.1, fillMode: 'constant' }), new RandomZoom({ heightFactor: 0.2, widthFactor: [-0.1, 0.1] }),
      new RandomTranslation({ heightFactor: 0.1, widthFactor: 0.1 }), new RandomContrast({ factor: 0.2, valueRange: [0, 1] }),
      new RandomBrightness({ factor: 0.1, valueRange: [0, 1] }), new RandomCrop({ height: 6, width: 6, seed: 3 }),
    ];
    const model = new Sequential([new Rescaling({ scale: 1 / 255, inputShape: [8, 8, 1] }), ...augment, new Flatten(), new Dense({ units: 2, activation: 'softmax' })]);
    const x = randomUniform([6, 8, 8, 1], { minval: 0, maxval: 255 });
    const y = tensor([[1, 0], [0, 1], [1, 0], [0, 1], [1, 0], [0, 1]]);
    model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
    // Without augmentation the same model predicts from the resized image alone.
    const plain = new Sequential([new Rescaling({ scale: 1 / 255, inputShape: [8, 8, 1] }), new Resizing({ height: 6, width: 6, cropToAspectRatio: true }), new Flatten(), new Dense({ units: 2, activation: 'softmax' })]);
    plain.setWeights(model.getWeights());
    assert.ok(maxDifference((await model.predict(x)).data(), (await plain.predict(x)).data()) < 1e-6, 'inactive in predict');
    await model.fit(x, y, { epochs: 2, batchSize: 3, verbose: 0 });
    const loaded = await roundTrip(model, x, 'augmentation');
    const rotation = loaded.layers[2] as RandomRotation;
    assert.deepEqual([rotation.factor, rotation.fillMode, rotation.interpolation], [0.1, 'constant', 'bilinear']);
    assert.deepEqual((loaded.layers[3] as RandomZoom).widthFactor, [-0.1, 0.1]);
    assert.equal((loaded.layers[7] as RandomCrop).seed, 3);
  });
});

describe('preprocessing layers and TensorFlow.js 4.22, both ways', () => {
  test('Rescaling, CenterCrop and Resizing saved by layerwise load in TensorFlow.js', async () => {
    setSeed(3);
    // Nothing follows Resizing: TensorFlow.js's Resizing computes its output shape without the batch axis.
    // TensorFlow.js's CenterCrop writes its output size into its input's shape, so it must not follow the first layer.
    const model = new Sequential([
      new Rescaling({ scale: 0.5, offset: -1, inputShape: [7, 8, 3] }),
      new Reshape({ targetShape: [7, 8, 3] }),
      new CenterCrop({ height: 5, width: 6 }),
      new Resizing({ height: 3, width: 4 }),
    ]);
    const x = randomUniform([2, 7, 8, 3]);
    const dir = join(root, 'to-tfjs');
    await model.save(dir);
    const theirs = await loadInTfjs(dir);
    assert.deepEqual(theirs.layers.map((l) => l.getClassName()), ['Rescaling', 'Reshape', 'CenterCrop', 'Resizing']);
    const resizing = theirs.layers[3]!.getConfig();
    assert.equal(resizing['cropToAspectRatio'], false);
    assert.equal(resizing['interpolation'], 'bilinear');
    // Up to the crop the two agree exactly; TensorFlow.js's Resizing then aligns corners, so compare with its half-pixel resize.
    const upToCrop = tf.model({ inputs: theirs.inputs, outputs: theirs.layers[2]!.output as tf.SymbolicTensor });
    const cropped = upToCrop.predict(tf.tensor(x.data() as Float32Array, [...x.shape])) as tf.Tensor4D;
    const ours = new Sequential([new Rescaling({ scale: 0.5, offset: -1 }), new CenterCrop({ height: 5, width: 6 })]);
    const oursCropped = await ours.predict(x);
    assert.ok(maxDifference(cropped.dataSync(), oursCropped.data()) < 1e-6);
    const halfPixel = tf.image.resizeBilinear(cropped, [3, 4], false, true).dataSync();
    assert.ok(maxDifference(halfPixel, (await model.predict(x)).data()) < 1e-5, 'bilinear resize as TensorFlow\'s half-pixel resize');
    const nearestTheirs = tf.image.resizeNearestNeighbor(cropped, [2, 5], false, true).dataSync();
    const nearestOurs = new Resizing({ height: 2, width: 5, interpolation: 'nearest' }).apply(oursCropped).data();
    assert.equal(maxDifference(nearestTheirs, nearestOurs), 0, 'nearest resize as TensorFlow\'s half-pixel resize');
  });

  test('Rescaling, CenterCrop, Resizing and CategoryEncoding saved by TensorFlow.js load in layerwise', async () => {
    const images = tf.sequential({
      layers: [
        tf.layers.rescaling({ scale: 1 / 255, offset: 0.5, inputShape: [6, 6, 1] }),
        tf.layers.reshape({ targetShape: [6, 6, 1] }),
        tf.layers.centerCrop({ height: 4, width: 3 }),
      ],
    });
    // TensorFlow.js's Resizing aligns corners (and fails after CenterCrop), so only its options are compared.
    const resizing = tf.sequential({ layers: [tf.layers.resizing({ height: 3, width: 2, interpolation: 'nearest', cropToAspectRatio: true, inputShape: [6, 6, 1] })] });
    const loadedResizing = await loadModel({ load: async () => (await tfjsArtifacts(resizing)) as never });
    const layer = loadedResizing.layers[0]!;
    assert.ok(layer instanceof Resizing);
    assert.deepEqual([layer.height, layer.width, layer.interpolation, layer.cropToAspectRatio], [3, 2, 'nearest', true]);
    // TensorFlow.js's CenterCrop and CategoryEncoding write their output size into their input's shape, so neither comes first.
    const categories = tf.sequential({ layers: [tf.layers.reshape({ targetShape: [3], inputShape: [3] }), tf.layers.categoryEncoding({ numTokens: 5, outputMode: 'count' })] });
    for (const [theirs, input, name] of [
      [images, tf.randomUniform([2, 6, 6, 1], 0, 255), 'images'],
      [categories, tf.tensor([[1, 1, 4], [0, 3, 3]]), 'categories'],
    ] as const) {
      const artifacts = await tfjsArtifacts(theirs);
      const loaded = await loadModel({ load: async () => artifacts as never });
      const x = tensor(input.dataSync() as Float32Array, [...input.shape]);
      const d = maxDifference((await loaded.predict(x)).data(), (theirs.predict(input) as tf.Tensor).dataSync());
      assert.ok(d < 1e-6, `${name}: largest difference ${d}`);
    }
  });
});
