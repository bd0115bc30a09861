import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import '../../ops/tensor-methods.js';
import type { JsonObject, Layer, SymbolicTensor } from '../../layers/index.js';
import {
  Activation, Add, AveragePooling2D, BatchNormalization, Concatenate, Conv2D, Dense, Dropout, Flatten, GlobalAveragePooling2D,
  GlobalMaxPooling2D, Input, MaxPooling2D, Normalization, Reshape,
} from '../../layers/index.js';
import { constant, randomNormalInitializer, varianceScaling } from '../../nn/initializers.js';
import { l1l2, l2 } from '../../nn/regularizers.js';
import { Adam, RMSprop, SGD } from '../../optimizers/index.js';
import { randomUniform, tensor } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { setSeed } from '../../util/random.js';
import { Model } from '../model.js';
import { loadModel } from '../load-model.js';
import { Sequential } from '../sequential.js';
import { fileHandler } from './files.js';
import { openPathsWith } from './io.js';
import { memoryHandler } from './testing.js';

// Paths are Node's files, as the Node entry (src/index.ts) sets them up.
openPathsWith(fileHandler);

const memory = memoryHandler;

const folder = mkdtempSync(join(tmpdir(), 'layerwise-save-'));
after(() => rmSync(folder, { recursive: true, force: true }));

function maxDifference(a: Tensor, b: Tensor): number {
  return a.sub(b).abs().max().item();
}

/** Saves (through JSON, as a file would), loads, and checks topology, weights and predictions. */
async function assertRoundTrip(model: Model, x: Tensor): Promise<Model> {
  const handler = memory();
  await model.save(handler);
  // Through JSON text, as a file holds it.
  handler.artifacts = { ...handler.artifacts!, modelTopology: JSON.parse(JSON.stringify(handler.artifacts!.modelTopology)) };
  const loaded = await loadModel(handler);
  assert.deepEqual(loaded.getConfig(), model.getConfig(), 'the loaded model writes the same topology');
  assert.equal(loaded.constructor, model.constructor);
  assert.deepEqual(loaded.getWeights().map((w) => w.toArray()), model.getWeights().map((w) => w.toArray()));
  assert.equal(maxDifference(await loaded.predict(x), await model.predict(x)), 0, 'identical predictions');
  return loaded;
}

function stack(inputShape: number[], ...layers: Layer[]): Sequential {
  const model = new Sequential();
  layers.forEach((l) => model.add(l));
  model.build([null, ...inputShape]);
  return model;
}

describe('every layer type survives save and load', () => {
  const images = (): Tensor => randomUniform([3, 6, 6, 2]);

  test('Dense with every option, and the initializers and regularizers it names', async () => {
    setSeed(1);
    const model = stack([5],
      new Dense({ units: 4, activation: 'tanh', kernelInitializer: 'heNormal', biasInitializer: constant(0.5), kernelRegularizer: l2(0.02), biasRegularizer: l1l2({ l1: 0.1, l2: 0.2 }), activityRegularizer: 'l1' }),
      new Dense({ units: 3, useBias: false, activation: 'softmax', kernelInitializer: varianceScaling({ scale: 1.5, mode: 'fanOut', distribution: 'untruncatedNormal' }) }),
      new Dense({ units: 2, kernelInitializer: randomNormalInitializer({ mean: 0.1, stddev: 0.3 }), trainable: false, activation: 'leakyRelu' }),
    );
    const loaded = await assertRoundTrip(model, randomUniform([4, 5]));
    assert.equal(loaded.layers[2]!.trainable, false);
    const config = (model.getConfig() as { layers: { config: Record<string, unknown> }[] }).layers;
    assert.deepEqual(config[0]!.config['kernel_regularizer'], { class_name: 'L1L2', config: { l1: 0, l2: 0.02 } });
    assert.deepEqual(config[1]!.config['kernel_initializer'], { class_name: 'VarianceScaling', config: { scale: 1.5, mode: 'fan_out', distribution: 'untruncated_normal', seed: null } });
    assert.equal(config[2]!.config['activation'], 'leaky_relu');
  });

  test('Conv2D (strides, same padding, dilation) and both 2-D poolings', async () => {
    setSeed(2);
    const model = stack([6, 6, 2],
      new Conv2D({ filters: 3, kernelSize: [3, 2], strides: [1, 2], padding: 'same', activation: 'relu' }),
      new Conv2D({ filters: 2, kernelSize: 2, dilationRate: 2, useBias: false }),
      new MaxPooling2D({ poolSize: 2, strides: 1, padding: 'same' }),
      new AveragePooling2D({ poolSize: [2, 1] }),
      new Flatten(),
    );
    await assertRoundTrip(model, images());
  });

  test('global poolings, Reshape, Activation and Dropout (noise shape)', async () => {
    setSeed(3);
    await assertRoundTrip(stack([6, 6, 2], new GlobalAveragePooling2D(), new Reshape({ targetShape: [1, -1] }), new Dropout({ rate: 0.3, noiseShape: [null, 1, 2] }), new Flatten(), new Activation({ activation: 'hardSigmoid' })), images());
    await assertRoundTrip(stack([6, 6, 2], new GlobalMaxPooling2D(), new Activation({ activation: 'logSoftmax' })), images());
  });

  test('BatchNormalization keeps its moving statistics (non-trainable weights)', async () => {
    setSeed(4);
    const model = stack([4], new Dense({ units: 3 }), new BatchNormalization({ momentum: 0.5, epsilon: 0.01, center: false }), new BatchNormalization({ axis: 1, gammaInitializer: constant(2) }));
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    await model.fit(randomUniform([8, 4]), randomUniform([8, 3]), { epochs: 2, batchSize: 4, verbose: 0 });
    const moving = model.layers[1]!.nonTrainableWeights[0]!;
    assert.notDeepEqual(moving.toArray(), [0, 0, 0], 'training moved the moving mean');
    await assertRoundTrip(model, randomUniform([5, 4]));
  });

  test('Normalization carries its adapted statistics (and given ones) into the saved model', async () => {
    setSeed(9);
    const adapted = new Normalization({ inputShape: [3] });
    adapted.adapt(randomUniform([20, 3], { minval: 10, maxval: 50 }));
    const model = stack([3], adapted, new Dense({ units: 2 }), new Normalization({ mean: [1, 2], variance: [4, 9] }));
    const loaded = await assertRoundTrip(model, randomUniform([4, 3], { minval: 10, maxval: 50 }));
    assert.deepEqual((loaded.layers[0] as Normalization).statistics, adapted.statistics);
  });

  test('functional models: Input, a shared layer, Add and Concatenate', async () => {
    setSeed(5);
    const input = Input({ shape: [4], name: 'features' });
    const shared = new Dense({ units: 4, activation: 'relu', name: 'shared' });
    const a = shared.apply(input);
    const b = shared.apply(new Dense({ units: 4, name: 'pre' }).apply(input));
    const merged = new Concatenate({ axis: -1 }).apply([new Add().apply([a, b]), a]) as SymbolicTensor;
    const model = new Model({ inputs: input, outputs: new Dense({ units: 2, activation: 'softmax' }).apply(merged), name: 'two_paths' });
    const loaded = await assertRoundTrip(model, randomUniform([3, 4]));
    assert.equal(loaded.name, 'two_paths');
    const layers = (model.getConfig() as { layers: { name: string; inbound_nodes: unknown[] }[] }).layers;
    assert.equal(layers.find((l) => l.name === 'shared')!.inbound_nodes.length, 2, 'the shared layer has one node per call');
  });
});

describe('compiled models and training state', () => {
  test('the training config compiles the loaded model with the same optimizer settings', async () => {
    setSeed(6);
    const model = stack([3], new Dense({ units: 2, activation: 'softmax' }));
    model.compile({ optimizer: new RMSprop({ learningRate: 0.02, rho: 0.8, momentum: 0.5, centered: true, clipnorm: 1 }), loss: 'categorical_crossentropy', metrics: ['accuracy'] });
    const loaded = await assertRoundTrip(model, randomUniform([2, 3]));
    const o = loaded.optimizer as RMSprop;
    assert.ok(o instanceof RMSprop);
    assert.deepEqual([o.learningRate, o.rho, o.momentum, o.centered, o.clipnorm], [0.02, 0.8, 0.5, true, 1]);
    assert.equal(loaded.loss!.name, 'categorical_crossentropy');
  });

  for (const [name, make] of [['Adam (amsgrad)', () => new Adam({ amsgrad: true })], ['SGD with momentum', () => new SGD({ momentum: 0.9, nesterov: true })], ['RMSprop without momentum', () => new RMSprop()]] as const) {
    test(`optimizer state comes back exactly: ${name}`, async () => {
      setSeed(7);
      const x = randomUniform([6, 3]), y = randomUniform([6, 2]);
      const model = stack([3], new Dense({ units: 2 }));
      model.compile({ optimizer: make(), loss: 'mse' });
      await model.fit(x, y, { epochs: 2, batchSize: 3, verbose: 0 });
      const handler = memory();
      await model.save(handler, { includeTrainingState: true });
      const loaded = await loadModel(handler);
      assert.equal(loaded.optimizer!.iterations, 4);
      for (const [i, v] of model.trainableWeights.entries()) {
        const mine = model.optimizer!.slotsOf(v), theirs = loaded.optimizer!.slotsOf(loaded.trainableWeights[i]!);
        assert.deepEqual(Object.keys(theirs), Object.keys(mine));
        for (const slot of Object.keys(mine)) assert.deepEqual(theirs[slot]!.toArray(), mine[slot]!.toArray());
      }
      // One more step on each gives the same weights.
      model.trainOnBatch(x, y);
      loaded.trainOnBatch(x, y);
      assert.deepEqual(loaded.getWeights().map((w) => w.toArray()), model.getWeights().map((w) => w.toArray()));
    });
  }

  test('saving the training state needs a compiled model; a custom activation cannot be saved', async () => {
    const model = stack([2], new Dense({ units: 1 }));
    await assert.rejects(model.save(memory(), { includeTrainingState: true }), /'includeTrainingState' needs a compiled model/);
    const custom = stack([2], new Dense({ units: 1, activation: (t: Tensor) => t.mul(2) }));
    await assert.rejects(custom.save(memory()), /Dense 'dense_\d+': the custom activation .* cannot be saved/);
  });
});

describe('files on disk', () => {
  function convnet(): Sequential {
    setSeed(8);
    return stack([6, 6, 1], new Conv2D({ filters: 4, kernelSize: 3, activation: 'relu' }), new Flatten(), new Dense({ units: 3, activation: 'softmax' }));
  }

  test('a folder holds model.json and weights.bin, as TensorFlow.js writes them in Node', async () => {
    const model = convnet();
    const dir = join(folder, 'plain');
    await model.save(dir);
    assert.deepEqual(readdirSync(dir).sort(), ['model.json', 'weights.bin']);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    assert.deepEqual(Object.keys(json), ['modelTopology', 'weightsManifest', 'format', 'generatedBy', 'convertedBy']);
    assert.equal(json.format, 'layers-model');
    assert.deepEqual(json.weightsManifest[0].paths, ['weights.bin']);
    assert.deepEqual(json.weightsManifest[0].weights.map((w: { name: string }) => w.name), model.weights.map((v) => v.name));
    const x = randomUniform([2, 6, 6, 1]);
    for (const path of [dir, join(dir, 'model.json'), `file://${dir}`]) {
      assert.equal(maxDifference(await (await loadModel(path)).predict(x), await model.predict(x)), 0, path);
    }
  });

  test('browser-style model.weights.bin and sharded weights load back', async () => {
    const model = convnet();
    const x = randomUniform([2, 6, 6, 1]);
    const browser = join(folder, 'browser');
    await model.save(browser, { weightsFileName: 'model.weights.bin' });
    assert.deepEqual(readdirSync(browser).sort(), ['model.json', 'model.weights.bin']);
    const sharded = join(folder, 'sharded');
    await model.save(sharded, { shardBytes: 100 });
    const shards = readdirSync(sharded).filter((f) => f.endsWith('.bin')).sort();
    assert.equal(shards.length, Math.ceil((model.countParams() * 4) / 100));
    assert.ok(shards.every((f) => /^group1-shard\d+of\d+\.bin$/.test(f)));
    for (const dir of [browser, sharded]) assert.equal(maxDifference(await (await loadModel(dir)).predict(x), await model.predict(x)), 0, dir);
  });

  test('weights are matched by name despite a model-name prefix or a :0 suffix', async () => {
    const model = convnet();
    const handler = memory();
    await model.save(handler);
    const specs = handler.artifacts!.weightSpecs!;
    specs.forEach((s, i) => (s.name = i % 2 === 0 ? `outer_model/${s.name}` : `${s.name}:0`));
    const x = randomUniform([2, 6, 6, 1]);
    assert.equal(maxDifference(await (await loadModel(handler)).predict(x), await model.predict(x)), 0);
  });

  test('Keras 3 spellings: InputLayer with batch_shape, dtype policies, keras tensors in inbound nodes', async () => {
    const handler = memory();
    const input = Input({ shape: [3] });
    const model = new Model({ inputs: input, outputs: new Dense({ units: 2, name: 'out' }).apply(input) });
    await model.save(handler);
    const keras3: JsonObject = {
      class_name: 'Functional',
      config: {
        name: 'functional',
        layers: [
          { module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: [null, 3], dtype: 'float32', sparse: false, name: 'input_layer' }, registered_name: null, name: 'input_layer', inbound_nodes: [] },
          {
            module: 'keras.layers', class_name: 'Dense', registered_name: null, name: 'out',
            config: { name: 'out', trainable: true, dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' } }, units: 2, activation: 'linear', use_bias: true, kernel_initializer: { module: 'keras.initializers', class_name: 'GlorotUniform', config: { seed: null } }, bias_initializer: { class_name: 'Zeros', config: {} } },
            inbound_nodes: [{ args: [{ class_name: '__keras_tensor__', config: { shape: [null, 3], dtype: 'float32', keras_history: ['input_layer', 0, 0] } }], kwargs: {} }],
          },
        ],
        input_layers: ['input_layer', 0, 0],
        output_layers: ['out', 0, 0],
      },
    };
    handler.artifacts = { ...handler.artifacts!, modelTopology: keras3 };
    const loaded = await loadModel(handler);
    const x = tensor([[1, 2, 3]]);
    assert.equal(maxDifference(await loaded.predict(x), await model.predict(x)), 0);
  });
});
