// @every-backend: test/backends.test.ts runs this file again on each backend that loads.
/**
 * Interoperability with TensorFlow.js 4.22 for every layer of the catalogue that TensorFlow.js has: a
 * model built in TensorFlow.js with random weights, saved, loads in layerwise with the same predictions,
 * and a model built in layerwise loads in TensorFlow.js with the same predictions. Also a MobileNetV2-style
 * stack and a two-input, two-output encoder-decoder, and the settings of weight constraints and initializers, both ways.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import type { BaseLayer, Layer, SymbolicTensor, Tensor } from '../src/index.js';
import {
  ActivityRegularization, Add, AlphaDropout, Average, AveragePooling3D, BatchNormalization, Concatenate, Conv2D, Conv2DTranspose, Conv3D,
  Conv3DTranspose, Cropping2D, Dense, DepthwiseConv2D, Dot, ELU, Flatten, GaussianDropout, GaussianNoise, GlobalAveragePooling2D, Input, LeakyReLU,
  MaxPooling3D, Maximum, Minimum, Model, Multiply, PReLU, Permute, ReLU, RepeatVector, SeparableConv2D,
  Sequential, Softmax, SpatialDropout1D, ThresholdedReLU, UpSampling2D, ZeroPadding2D, constraints, initializers, loadModel, randomUniform, setSeed,
  tensor,
} from '../src/index.js';
import { loadInTfjs, maxDifference, saveTfjs, tfjsPredict } from './tfjs-files.js';

const { MaxNorm, MinMaxNorm, NonNeg, UnitNorm } = constraints;
const { Identity, Orthogonal, VarianceScaling } = initializers;

const root = mkdtempSync(join(tmpdir(), 'layerwise-tfjs-layers-'));
after(() => rmSync(root, { recursive: true, force: true }));

const TOLERANCE = 1e-5;
let folder = 0;
const nextDir = (name: string): string => join(root, `${name}-${folder++}`);

/** Random weights in place of the initial ones (zeros and ones would hide swapped or ignored weights); variances stay positive. */
function randomizeTfjs(model: tf.LayersModel, seed: number): void {
  model.setWeights(model.weights.map((w, i) => (/variance/.test(w.name) ? tf.randomUniform(w.shape as number[], 0.5, 1.5, 'float32', seed + i) : tf.randomUniform(w.shape as number[], -1, 1, 'float32', seed + i))));
}

function randomizeOurs(model: Model, seed: number): void {
  setSeed(seed);
  model.setWeights(model.weights.map((w) => (/variance/.test(w.name) ? randomUniform([...w.shape], { minval: 0.5, maxval: 1.5 }) : randomUniform([...w.shape], { minval: -1, maxval: 1 }))));
}

function input(shape: number[], seed = 1, low = -1, high = 1): Tensor {
  setSeed(seed);
  return randomUniform([3, ...shape], { minval: low, maxval: high });
}

interface Case {
  name: string;
  shape: number[];
  /** TensorFlow.js layers applied in sequence. */
  tfjs: () => tf.layers.Layer[];
  /** The same layers in layerwise. */
  ours: () => Layer[];
  /** Input range (default [-1, 1]). */
  range?: [number, number];
  /** Only layerwise -> TensorFlow.js, where TensorFlow.js does not write a setting of its own layer. */
  onlyToTfjs?: string;
}

async function bothWays(c: Case): Promise<{ loaded: Model | null; fromTfjs: number; toTfjs: number }> {
  const x = input(c.shape, 11, ...(c.range ?? [-1, 1]));
  const [loaded, fromTfjs] = c.onlyToTfjs ? [null, 0] : await fromTfjsTo(c, x);
  const ours = new Sequential(c.ours());
  ours.build([null, ...c.shape]);
  randomizeOurs(ours, 7);
  const dirB = nextDir(`${c.name}-ours`);
  await ours.save(dirB);
  const toTfjs = maxDifference(tfjsPredict(await loadInTfjs(dirB), x), (await ours.predict(x)).data());
  return { loaded, fromTfjs, toTfjs };
}

async function fromTfjsTo(c: Case, x: Tensor): Promise<[Model, number]> {
  const theirs = tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: c.shape }), ...c.tfjs()] });
  randomizeTfjs(theirs, 5);
  const dirA = nextDir(`${c.name}-tfjs`);
  await saveTfjs(theirs, dirA);
  const loaded = await loadModel(dirA);
  return [loaded, maxDifference((await loaded.predict(x)).data(), tfjsPredict(theirs, x))];
}

const cases: Case[] = [
  {
    name: 'Conv2DTranspose, strides 2 and same padding',
    shape: [5, 6, 2],
    tfjs: () => [tf.layers.conv2dTranspose({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' })],
    ours: () => [new Conv2DTranspose({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' })],
  },
  {
    name: 'Conv2DTranspose, valid padding, no bias',
    shape: [4, 3, 2],
    tfjs: () => [tf.layers.conv2dTranspose({ filters: 2, kernelSize: [2, 3], strides: [2, 1], useBias: false })],
    ours: () => [new Conv2DTranspose({ filters: 2, kernelSize: [2, 3], strides: [2, 1], useBias: false })],
  },
  {
    name: 'DepthwiseConv2D, depth multiplier 2',
    shape: [7, 6, 3],
    tfjs: () => [tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same', activation: 'relu6' })],
    ours: () => [new DepthwiseConv2D({ kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same', activation: 'relu6' })],
  },
  {
    name: 'SeparableConv2D, depth multiplier 1',
    shape: [6, 6, 3],
    tfjs: () => [tf.layers.separableConv2d({ filters: 4, kernelSize: [3, 2], strides: 2, padding: 'valid', activation: 'elu' })],
    ours: () => [new SeparableConv2D({ filters: 4, kernelSize: [3, 2], strides: 2, padding: 'valid', activation: 'elu' })],
  },
  {
    name: 'SeparableConv2D, depth multiplier 2',
    onlyToTfjs: 'TensorFlow.js 4.22 leaves depth_multiplier out of the SeparableConv2D config it writes, so its own files reload with multiplier 1',
    shape: [6, 6, 3],
    tfjs: () => [tf.layers.separableConv2d({ filters: 4, kernelSize: 3, depthMultiplier: 2, padding: 'same', activation: 'tanh' })],
    ours: () => [new SeparableConv2D({ filters: 4, kernelSize: 3, depthMultiplier: 2, padding: 'same', activation: 'tanh' })],
  },
  {
    name: 'Conv3D',
    shape: [4, 5, 4, 2],
    tfjs: () => [tf.layers.conv3d({ filters: 2, kernelSize: [2, 3, 2], strides: [1, 2, 1], padding: 'same', activation: 'sigmoid' })],
    ours: () => [new Conv3D({ filters: 2, kernelSize: [2, 3, 2], strides: [1, 2, 1], padding: 'same', activation: 'sigmoid' })],
  },
  {
    name: 'Conv3DTranspose',
    shape: [2, 3, 2, 2],
    tfjs: () => [tf.layers.conv3dTranspose({ filters: 2, kernelSize: 2, strides: 2 })],
    ours: () => [new Conv3DTranspose({ filters: 2, kernelSize: 2, strides: 2 })],
  },
  {
    name: 'MaxPooling3D and AveragePooling3D',
    shape: [5, 4, 6, 2],
    tfjs: () => [tf.layers.maxPooling3d({ poolSize: 2, strides: 1 }), tf.layers.averagePooling3d({ poolSize: [3, 2, 3], strides: 2, padding: 'same' })],
    ours: () => [new MaxPooling3D({ poolSize: 2, strides: 1 }), new AveragePooling3D({ poolSize: [3, 2, 3], strides: 2, padding: 'same' })],
  },
  {
    name: 'UpSampling2D (nearest), ZeroPadding2D, Cropping2D',
    shape: [3, 4, 2],
    tfjs: () => [
      tf.layers.upSampling2d({ size: [2, 3] }),
      tf.layers.zeroPadding2d({ padding: [[1, 2], [0, 1]] }),
      tf.layers.cropping2D({ cropping: [[2, 0], [1, 3]] }),
    ],
    ours: () => [new UpSampling2D({ size: [2, 3] }), new ZeroPadding2D({ padding: [[1, 2], [0, 1]] }), new Cropping2D({ cropping: [[2, 0], [1, 3]] })],
  },
  {
    name: 'Permute and RepeatVector',
    shape: [3, 4],
    tfjs: () => [tf.layers.permute({ dims: [2, 1] }), tf.layers.flatten(), tf.layers.repeatVector({ n: 3 })],
    ours: () => [new Permute({ dims: [2, 1] }), new Flatten(), new RepeatVector({ n: 3 })],
  },
  {
    name: 'ReLU (maxValue 6), ELU, LeakyReLU',
    shape: [2, 5],
    range: [-8, 8],
    // TensorFlow.js's ELU layer refuses any alpha but 1.
    tfjs: () => [tf.layers.reLU({ maxValue: 6 }), tf.layers.dense({ units: 4 }), tf.layers.elu({ alpha: 1 }), tf.layers.leakyReLU({ alpha: 0.2 })],
    ours: () => [new ReLU({ maxValue: 6 }), new Dense({ units: 4 }), new ELU({ alpha: 1 }), new LeakyReLU({ negativeSlope: 0.2 })],
  },
  {
    name: 'PReLU with shared axes, ThresholdedReLU, Softmax',
    shape: [3, 3, 4],
    range: [-2, 2],
    // TensorFlow.js's Softmax layer takes only the last axis.
    tfjs: () => [tf.layers.prelu({ sharedAxes: [1, 2] }), tf.layers.thresholdedReLU({ theta: 0.3 }), tf.layers.softmax({ axis: -1 })],
    ours: () => [new PReLU({ sharedAxes: [1, 2] }), new ThresholdedReLU({ theta: 0.3 }), new Softmax({ axis: -1 })],
  },
  {
    name: 'SpatialDropout1D, GaussianNoise, GaussianDropout, AlphaDropout (identity at inference)',
    shape: [5, 3],
    tfjs: () => [
      tf.layers.spatialDropout1d({ rate: 0.3 }), tf.layers.gaussianNoise({ stddev: 0.2 }), tf.layers.gaussianDropout({ rate: 0.2 }),
      tf.layers.alphaDropout({ rate: 0.1 }), tf.layers.dense({ units: 2 }),
    ],
    ours: () => [new SpatialDropout1D({ rate: 0.3 }), new GaussianNoise({ stddev: 0.2 }), new GaussianDropout({ rate: 0.2 }), new AlphaDropout({ rate: 0.1 }), new Dense({ units: 2 })],
  },
];

describe('TensorFlow.js 4.22 interoperability, layer by layer', () => {
  for (const c of cases) {
    const ways = c.onlyToTfjs ? `layerwise -> TensorFlow.js only: ${c.onlyToTfjs}` : 'TensorFlow.js -> layerwise and layerwise -> TensorFlow.js';
    test(`${c.name}: ${ways}`, async () => {
      const { fromTfjs, toTfjs } = await bothWays(c);
      assert.ok(fromTfjs < TOLERANCE, `TensorFlow.js -> layerwise: largest difference ${fromTfjs}`);
      assert.ok(toTfjs < TOLERANCE, `layerwise -> TensorFlow.js: largest difference ${toTfjs}`);
    });
  }

  test('regularization layers keep their settings across (they act only in training)', async () => {
    const { loaded } = await bothWays(cases[cases.length - 1]!);
    const settings = loaded!.layers.map((l) => {
      const config = l.getConfig();
      return [l.className, config['rate'] ?? config['stddev'] ?? null];
    });
    assert.deepEqual(settings.slice(0, 4), [['SpatialDropout1D', 0.3], ['GaussianNoise', 0.2], ['GaussianDropout', 0.2], ['AlphaDropout', 0.1]]);
  });
});

/** Merge layers need two branches: one input, two Dense layers, merged, as TensorFlow.js and layerwise functional models. */
async function mergeBothWays(
  name: string,
  tfjsMerge: () => tf.layers.Layer,
  ourMerge: () => BaseLayer & { apply(inputs: readonly SymbolicTensor[]): SymbolicTensor },
): Promise<[number, number]> {
  const x = input([4], 3);
  const i1 = tf.input({ shape: [4] });
  const a = tf.layers.dense({ units: 3 }).apply(i1) as tf.SymbolicTensor;
  const b = tf.layers.dense({ units: 3, activation: 'tanh' }).apply(i1) as tf.SymbolicTensor;
  const theirs = tf.model({ inputs: i1, outputs: tfjsMerge().apply([a, b]) as tf.SymbolicTensor });
  randomizeTfjs(theirs, 9);
  const dirA = nextDir(`${name}-tfjs`);
  await saveTfjs(theirs, dirA);
  const fromTfjs = maxDifference((await (await loadModel(dirA)).predict(x)).data(), tfjsPredict(theirs, x));

  const i2 = Input({ shape: [4] });
  const c = new Dense({ units: 3 }).apply(i2);
  const d = new Dense({ units: 3, activation: 'tanh' }).apply(i2);
  const ours = new Model({ inputs: i2, outputs: ourMerge().apply([c, d]) });
  randomizeOurs(ours, 13);
  const dirB = nextDir(`${name}-ours`);
  await ours.save(dirB);
  const toTfjs = maxDifference(tfjsPredict(await loadInTfjs(dirB), x), (await ours.predict(x)).data());
  return [fromTfjs, toTfjs];
}

describe('TensorFlow.js 4.22 interoperability, merge layers', () => {
  const merges: [string, () => tf.layers.Layer, () => BaseLayer & { apply(inputs: readonly SymbolicTensor[]): SymbolicTensor }][] = [
    ['Multiply', () => tf.layers.multiply(), () => new Multiply()],
    ['Average', () => tf.layers.average(), () => new Average()],
    ['Maximum', () => tf.layers.maximum(), () => new Maximum()],
    ['Minimum', () => tf.layers.minimum(), () => new Minimum()],
    ['Dot', () => tf.layers.dot({ axes: 1 }), () => new Dot({ axes: 1 })],
    ['Dot, normalized', () => tf.layers.dot({ axes: -1, normalize: true }), () => new Dot({ axes: -1, normalize: true })],
  ];
  for (const [name, theirs, ours] of merges) {
    test(`${name}: both ways`, async () => {
      const [fromTfjs, toTfjs] = await mergeBothWays(name, theirs, ours);
      assert.ok(fromTfjs < TOLERANCE, `TensorFlow.js -> layerwise: largest difference ${fromTfjs}`);
      assert.ok(toTfjs < TOLERANCE, `layerwise -> TensorFlow.js: largest difference ${toTfjs}`);
    });
  }
});

describe('TensorFlow.js 4.22 interoperability, whole architectures', () => {
  test('a MobileNetV2-style stack: ZeroPadding2D, Conv2D, BatchNormalization, ReLU(6), an inverted residual block with DepthwiseConv2D and Add, SeparableConv2D', async () => {
    const x = input([16, 16, 3], 21);
    const tfIn = tf.input({ shape: [16, 16, 3] });
    const bnRelu6 = (t: tf.SymbolicTensor) => tf.layers.reLU({ maxValue: 6 }).apply(tf.layers.batchNormalization().apply(t)) as tf.SymbolicTensor;
    let t = tf.layers.zeroPadding2d({ padding: [[0, 1], [0, 1]] }).apply(tfIn) as tf.SymbolicTensor;
    t = bnRelu6(tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, useBias: false }).apply(t) as tf.SymbolicTensor);
    let block = bnRelu6(tf.layers.conv2d({ filters: 16, kernelSize: 1, useBias: false }).apply(t) as tf.SymbolicTensor);
    block = bnRelu6(tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', useBias: false }).apply(block) as tf.SymbolicTensor);
    block = tf.layers.batchNormalization().apply(tf.layers.conv2d({ filters: 8, kernelSize: 1, useBias: false }).apply(block)) as tf.SymbolicTensor;
    t = tf.layers.add().apply([t, block]) as tf.SymbolicTensor;
    t = tf.layers.separableConv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(t) as tf.SymbolicTensor;
    const tfOut = tf.layers.dense({ units: 5, activation: 'softmax' }).apply(tf.layers.globalAveragePooling2d({}).apply(t)) as tf.SymbolicTensor;
    const theirs = tf.model({ inputs: tfIn, outputs: tfOut });
    randomizeTfjs(theirs, 31);
    const dirA = nextDir('mobilenet-tfjs');
    await saveTfjs(theirs, dirA);
    const loaded = await loadModel(dirA);
    assert.equal(loaded.countParams(), theirs.countParams());
    const fromTfjs = maxDifference((await loaded.predict(x)).data(), tfjsPredict(theirs, x));
    assert.ok(fromTfjs < TOLERANCE, `TensorFlow.js -> layerwise: largest difference ${fromTfjs}`);

    const ourIn = Input({ shape: [16, 16, 3] });
    const ourBnRelu6 = (s: SymbolicTensor) => new ReLU({ maxValue: 6 }).apply(new BatchNormalization().apply(s));
    let s = new ZeroPadding2D({ padding: [[0, 1], [0, 1]] }).apply(ourIn);
    s = ourBnRelu6(new Conv2D({ filters: 8, kernelSize: 3, strides: 2, useBias: false }).apply(s));
    let ourBlock = ourBnRelu6(new Conv2D({ filters: 16, kernelSize: 1, useBias: false }).apply(s));
    ourBlock = ourBnRelu6(new DepthwiseConv2D({ kernelSize: 3, padding: 'same', useBias: false }).apply(ourBlock));
    ourBlock = new BatchNormalization().apply(new Conv2D({ filters: 8, kernelSize: 1, useBias: false }).apply(ourBlock));
    s = new Add().apply([s, ourBlock]);
    s = new SeparableConv2D({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(s);
    const ours = new Model({ inputs: ourIn, outputs: new Dense({ units: 5, activation: 'softmax' }).apply(new GlobalAveragePooling2D().apply(s)) });
    randomizeOurs(ours, 37);
    const dirB = nextDir('mobilenet-ours');
    await ours.save(dirB);
    const toTfjs = maxDifference(tfjsPredict(await loadInTfjs(dirB), x), (await ours.predict(x)).data());
    assert.ok(toTfjs < TOLERANCE, `layerwise -> TensorFlow.js: largest difference ${toTfjs}`);
  });

  test('a two-input, two-output encoder-decoder: Conv2DTranspose, UpSampling2D, Cropping2D, Concatenate, Multiply, Average, LeakyReLU, PReLU', async () => {
    const image = input([8, 8, 2], 41), guide = input([8, 8, 1], 42);
    const tfImage = tf.input({ shape: [8, 8, 2], name: 'image' }), tfGuide = tf.input({ shape: [8, 8, 1], name: 'guide' });
    const e1 = tf.layers.leakyReLU({ alpha: 0.1 }).apply(tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same' }).apply(tfImage)) as tf.SymbolicTensor;
    const e2 = tf.layers.prelu({ sharedAxes: [1, 2] }).apply(tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same' }).apply(e1)) as tf.SymbolicTensor;
    const d1 = tf.layers.conv2dTranspose({ filters: 4, kernelSize: 3, strides: 2, padding: 'same' }).apply(e2) as tf.SymbolicTensor;
    const up = tf.layers.conv2d({ filters: 4, kernelSize: 1 }).apply(tf.layers.upSampling2d({ size: [2, 2] }).apply(e2)) as tf.SymbolicTensor;
    const gate = tf.layers.conv2d({ filters: 4, kernelSize: 1, activation: 'sigmoid' }).apply(tfGuide) as tf.SymbolicTensor;
    const mixed = tf.layers.concatenate().apply([
      tf.layers.multiply().apply([d1, up, gate]) as tf.SymbolicTensor, tf.layers.average().apply([d1, up]) as tf.SymbolicTensor, e1,
    ]) as tf.SymbolicTensor;
    const cropped = tf.layers.cropping2D({ cropping: [[1, 1], [1, 1]] }).apply(tf.layers.zeroPadding2d({ padding: 1 }).apply(mixed)) as tf.SymbolicTensor;
    const tfMap = tf.layers.conv2d({ filters: 1, kernelSize: 1, activation: 'sigmoid', name: 'map' }).apply(cropped) as tf.SymbolicTensor;
    const tfKind = tf.layers.dense({ units: 3, activation: 'softmax', name: 'kind' }).apply(tf.layers.globalAveragePooling2d({}).apply(e2)) as tf.SymbolicTensor;
    const theirs = tf.model({ inputs: [tfImage, tfGuide], outputs: [tfMap, tfKind] });
    randomizeTfjs(theirs, 43);
    const theirOutputs = (m: tf.LayersModel) => (m.predict([image, guide].map((t) => tf.tensor(t.data() as Float32Array, [...t.shape]))) as tf.Tensor[]).map((t) => t.dataSync());
    const dirA = nextDir('encoder-decoder-tfjs');
    await saveTfjs(theirs, dirA);
    const loaded = await loadModel(dirA);
    const fromTfjs = (await loaded.predictAll({ image, guide })).map((t, i) => maxDifference(t.data(), theirOutputs(theirs)[i]!));
    assert.equal(fromTfjs.length, 2, 'two outputs');
    assert.ok(Math.max(...fromTfjs) < TOLERANCE, `TensorFlow.js -> layerwise: largest differences ${fromTfjs}`);

    const ourImage = Input({ shape: [8, 8, 2], name: 'image' }), ourGuide = Input({ shape: [8, 8, 1], name: 'guide' });
    const f1 = new LeakyReLU({ negativeSlope: 0.1 }).apply(new Conv2D({ filters: 4, kernelSize: 3, padding: 'same' }).apply(ourImage));
    const f2 = new PReLU({ sharedAxes: [1, 2] }).apply(new Conv2D({ filters: 8, kernelSize: 3, strides: 2, padding: 'same' }).apply(f1));
    const g1 = new Conv2DTranspose({ filters: 4, kernelSize: 3, strides: 2, padding: 'same' }).apply(f2);
    const ourUp = new Conv2D({ filters: 4, kernelSize: 1 }).apply(new UpSampling2D({ size: 2 }).apply(f2));
    const ourGate = new Conv2D({ filters: 4, kernelSize: 1, activation: 'sigmoid' }).apply(ourGuide);
    const ourMixed = new Concatenate().apply([new Multiply().apply([g1, ourUp, ourGate]), new Average().apply([g1, ourUp]), f1]);
    const ourCropped = new Cropping2D({ cropping: 1 }).apply(new ZeroPadding2D({ padding: 1 }).apply(ourMixed));
    const ourMap = new Conv2D({ filters: 1, kernelSize: 1, activation: 'sigmoid', name: 'map' }).apply(ourCropped);
    const ourKind = new Dense({ units: 3, activation: 'softmax', name: 'kind' }).apply(new GlobalAveragePooling2D().apply(f2));
    const ours = new Model({ inputs: [ourImage, ourGuide], outputs: [ourMap, ourKind] });
    randomizeOurs(ours, 47);
    const dirB = nextDir('encoder-decoder-ours');
    await ours.save(dirB);
    const back = await loadInTfjs(dirB);
    const mine = await ours.predictAll([image, guide]);
    const toTfjs = theirOutputs(back).map((v, i) => maxDifference(v, mine[i]!.data()));
    assert.ok(Math.max(...toTfjs) < TOLERANCE, `layerwise -> TensorFlow.js: largest differences ${toTfjs}`);
  });
});

describe('TensorFlow.js 4.22 interoperability, constraints and initializers', () => {
  test('weight constraints and initializers written by TensorFlow.js are read with their settings, and the reverse', async () => {
    const theirs = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [4], units: 4, kernelConstraint: tf.constraints.maxNorm({ maxValue: 1.5, axis: 0 }), biasConstraint: tf.constraints.nonNeg(), kernelInitializer: tf.initializers.orthogonal({ gain: 1.2 }) }),
        tf.layers.dense({ units: 4, kernelConstraint: tf.constraints.unitNorm({ axis: 1 }), kernelInitializer: tf.initializers.identity({ gain: 0.5 }) }),
        tf.layers.dense({ units: 3, kernelConstraint: tf.constraints.minMaxNorm({ minValue: 0.2, maxValue: 0.9, rate: 0.5 }), kernelInitializer: tf.initializers.varianceScaling({ scale: 2, mode: 'fanOut', distribution: 'uniform' }) }),
      ],
    });
    const dirA = nextDir('constraints-tfjs');
    await saveTfjs(theirs, dirA);
    const loaded = await loadModel(dirA);
    const [d1, d2, d3] = loaded.layers as Dense[];
    assert.ok(d1!.kernelConstraint instanceof MaxNorm && d1!.kernelConstraint.maxValue === 1.5 && d1!.kernelConstraint.axis === 0);
    assert.ok(d1!.biasConstraint instanceof NonNeg);
    assert.ok(d1!.kernelInitializer instanceof Orthogonal && d1!.kernelInitializer.gain === 1.2);
    assert.ok(d2!.kernelConstraint instanceof UnitNorm && d2!.kernelConstraint.axis === 1);
    assert.ok(d2!.kernelInitializer instanceof Identity && d2!.kernelInitializer.gain === 0.5);
    assert.ok(d3!.kernelConstraint instanceof MinMaxNorm);
    assert.deepEqual([d3!.kernelConstraint.minValue, d3!.kernelConstraint.maxValue, d3!.kernelConstraint.rate], [0.2, 0.9, 0.5]);
    assert.ok(d3!.kernelInitializer instanceof VarianceScaling);
    assert.deepEqual([d3!.kernelInitializer.scale, d3!.kernelInitializer.mode, d3!.kernelInitializer.distribution], [2, 'fanOut', 'uniform']);

    const dirB = nextDir('constraints-ours');
    await loaded.save(dirB);
    const back = await loadInTfjs(dirB);
    const configs = back.layers.map((l) => l.getConfig());
    assert.deepEqual(configs.map((c) => (c['kernelConstraint'] as { className: string }).className), ['MaxNorm', 'UnitNorm', 'MinMaxNorm']);
    assert.deepEqual((configs[0]!['kernelConstraint'] as { config: object }).config, { maxValue: 1.5, axis: 0 });
    assert.equal((configs[0]!['biasConstraint'] as { className: string }).className, 'NonNeg');
    assert.deepEqual(configs.map((c) => (c['kernelInitializer'] as { className: string }).className), ['Orthogonal', 'Identity', 'VarianceScaling']);
    assert.deepEqual((configs[2]!['kernelInitializer'] as { config: object }).config, { scale: 2, mode: 'fanOut', distribution: 'uniform', seed: null });
  });

  test('ActivityRegularization, which TensorFlow.js lacks, is refused by it by name; layerwise reads its own', async () => {
    const model = new Sequential([new Dense({ units: 2, inputShape: [3] }), new ActivityRegularization({ l1: 0.01 })]);
    const dir = nextDir('activity');
    await model.save(dir);
    await assert.rejects(loadInTfjs(dir), /ActivityRegularization/);
    const loaded = await loadModel(dir);
    assert.equal((loaded.layers[1] as ActivityRegularization).l1, 0.01);
    assert.deepEqual((await loaded.predict(tensor([[1, 2, 3]]))).data(), (await model.predict(tensor([[1, 2, 3]]))).data());
  });
});
