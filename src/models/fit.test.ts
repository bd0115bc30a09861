// @every-backend: test/backends.test.ts runs this file again on each backend that loads.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import '../ops/tensor-methods.js';
import { Dense } from '../layers/index.js';
import { l1, l2 } from '../nn/regularizers.js';
import { Adam, SGD } from '../optimizers/index.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { rng, setSeed } from '../util/random.js';
import type { Callback, Logs } from './callbacks/callback.js';
import { EarlyStopping } from './callbacks/early-stopping.js';
import { ReduceLROnPlateau } from './callbacks/reduce-lr-on-plateau.js';
import type { Batch } from './array-data.js';
import { Sequential } from './sequential.js';

const XOR_X = [[0, 0], [0, 1], [1, 0], [1, 1]];
const XOR_Y = [[0], [1], [1], [0]];

function mlp(hidden: number, inputs: number, outputs: number, activation = 'sigmoid'): Sequential {
  return new Sequential([
    new Dense({ units: hidden, activation: 'tanh', inputShape: [inputs] }),
    new Dense({ units: outputs, activation }),
  ]);
}

/** Two interleaved spirals of `n` points each, labels 0 and 1. */
function twoSpirals(n: number): { x: Tensor; y: Tensor } {
  const xs: number[][] = [], ys: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = (i / n) * 5 + 0.5;
    const t = (i / n) * 3 * Math.PI;
    for (const label of [0, 1]) {
      const s = label === 0 ? 1 : -1;
      xs.push([(s * r * Math.cos(t)) / 3, (s * r * Math.sin(t)) / 3]);
      ys.push(label);
    }
  }
  return { x: tensor(xs), y: tensor(ys) };
}

describe('end to end, seeded', () => {
  test('an MLP learns XOR', async () => {
    setSeed(42);
    const model = mlp(8, 2, 1);
    model.compile({ optimizer: new Adam({ learningRate: 0.05 }), loss: 'binary_crossentropy', metrics: ['accuracy'] });
    const history = await model.fit(XOR_X, XOR_Y, { epochs: 300, batchSize: 4, verbose: 0 });
    assert.equal(history.history['accuracy']!.at(-1), 1);
    assert.ok(history.history['loss']!.at(-1)! < 0.05, `final loss ${history.history['loss']!.at(-1)}`);
    const [loss, accuracy] = await model.evaluate(XOR_X, XOR_Y, { verbose: 0 });
    assert.equal(accuracy, 1);
    assert.ok(loss! < 0.05);
    const p = (await model.predict(XOR_X)).toArray() as number[][];
    assert.deepEqual(p.map((r) => Math.round(r[0]!)), [0, 1, 1, 0]);
  });

  test('an MLP separates two spirals (sparse labels, softmax output)', async () => {
    setSeed(7);
    const { x, y } = twoSpirals(100);
    const model = new Sequential([
      new Dense({ units: 32, activation: 'relu', inputShape: [2] }),
      new Dense({ units: 32, activation: 'relu' }),
      new Dense({ units: 2, activation: 'softmax' }),
    ]);
    model.compile({ optimizer: new Adam({ learningRate: 0.01 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    await model.fit(x, y, { epochs: 200, batchSize: 32, verbose: 0 });
    const [, accuracy] = await model.evaluate(x, y, { verbose: 0 });
    assert.ok(accuracy! >= 0.99, `two-spirals accuracy ${accuracy}`);
  });

  test('the same seed gives the same weights', async () => {
    const run = async (): Promise<number[]> => {
      setSeed(5);
      const model = mlp(4, 2, 1);
      model.compile({ optimizer: 'sgd', loss: 'mse' });
      await model.fit(XOR_X, XOR_Y, { epochs: 3, batchSize: 2, verbose: 0 });
      return [...model.getWeights()[0]!.data()];
    };
    assert.deepEqual(await run(), await run());
  });
});

describe('fit options', () => {
  test('validationSplit adds val_ metrics to every epoch of the History', async () => {
    setSeed(1);
    const model = mlp(4, 2, 1);
    model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
    const x = tensor([...XOR_X, ...XOR_X]), y = tensor([...XOR_Y, ...XOR_Y]);
    const history = await model.fit(x, y, { epochs: 3, batchSize: 2, validationSplit: 0.25, verbose: 0 });
    assert.deepEqual(history.epoch, [0, 1, 2]);
    assert.deepEqual(Object.keys(history.history).sort(), ['accuracy', 'loss', 'val_accuracy', 'val_loss']);
    assert.equal(history.history['val_loss']!.length, 3);
    assert.deepEqual(history.params, { epochs: 3, initialEpoch: 0, steps: 3, samples: 6, batchSize: 2, verbose: 0, resume: null });
    assert.equal(model.history, history);
  });

  test('validationSplit validates on the last samples and trains on the others', async () => {
    setSeed(2);
    const model = mlp(3, 2, 1);
    model.compile({ optimizer: new SGD({ learningRate: 0 }), loss: 'mse' });
    const x = [[0, 0], [0, 1], [1, 0], [1, 1], [2, 2], [3, 1], [1, 3], [4, 4]];
    const y = [[0], [1], [1], [0], [1], [0], [1], [1]];
    const history = await model.fit(x, y, { epochs: 1, batchSize: 3, validationSplit: 0.25, verbose: 0 });
    const [valLoss] = await model.evaluate(x.slice(6), y.slice(6), { verbose: 0 });
    const [trainLoss] = await model.evaluate(x.slice(0, 6), y.slice(0, 6), { verbose: 0 });
    assert.ok(Math.abs(history.history['val_loss']![0]! - valLoss!) < 1e-6);
    assert.ok(Math.abs(history.history['loss']![0]! - trainLoss!) < 1e-6);
  });

  test('weight and activity penalties are added to the loss that is trained and reported', async () => {
    setSeed(6);
    const layer = new Dense({ units: 2, inputShape: [2], kernelRegularizer: l2(0.5), biasInitializer: 'ones', biasRegularizer: l1(0.25), activityRegularizer: l1(0.1) });
    const model = new Sequential([layer]);
    model.compile({ optimizer: new SGD({ learningRate: 0 }), loss: 'mse' });
    const x = tensor(XOR_X), y = tensor([[0, 1], [1, 0], [1, 1], [0, 0]]);
    const [kernel, bias] = layer.weights;
    const output = await model.predict(x);
    const expected = output.sub(y).square().mean().item() + 0.5 * kernel!.square().sum().item() + 0.25 * bias!.abs().sum().item() + 0.1 * output.abs().sum().item();
    const [loss] = model.trainOnBatch(x, y);
    assert.ok(Math.abs(loss! - expected) < 1e-5, `${loss} vs ${expected}`);
  });

  test('callbacks see every hook in order, with the running logs', async () => {
    const calls: string[] = [];
    const recorder: Callback = {
      onTrainBegin: () => void calls.push('trainBegin'),
      onEpochBegin: (e) => void calls.push(`epochBegin ${e}`),
      onBatchBegin: (b) => void calls.push(`batchBegin ${b}`),
      onBatchEnd: async (b, logs: Logs) => {
        await Promise.resolve();
        calls.push(`batchEnd ${b} ${Object.keys(logs).join(',')}`);
      },
      onEpochEnd: (e, logs) => void calls.push(`epochEnd ${e} ${Object.keys(logs).join(',')}`),
      onTrainEnd: () => void calls.push('trainEnd'),
    };
    const model = mlp(2, 2, 1);
    model.compile({ loss: 'mse', metrics: ['accuracy'] });
    await model.fit(XOR_X, XOR_Y, { epochs: 3, batchSize: 3, initialEpoch: 1, callbacks: [recorder], verbose: 0 });
    assert.deepEqual(calls, [
      'trainBegin',
      'epochBegin 1', 'batchBegin 0', 'batchEnd 0 loss,accuracy', 'batchBegin 1', 'batchEnd 1 loss,accuracy', 'epochEnd 1 loss,accuracy',
      'epochBegin 2', 'batchBegin 0', 'batchEnd 0 loss,accuracy', 'batchBegin 1', 'batchEnd 1 loss,accuracy', 'epochEnd 2 loss,accuracy',
      'trainEnd',
    ]);
  });

  test('sample weights of zero leave the loss and the weights untouched; classWeight weights classes', () => {
    setSeed(3);
    const model = mlp(3, 2, 1);
    model.compile({ optimizer: new SGD({ learningRate: 1 }), loss: 'binary_crossentropy' });
    const before = model.getWeights().map((w) => [...w.data()]);
    const [loss] = model.trainOnBatch(XOR_X, XOR_Y, { sampleWeight: [0, 0, 0, 0] });
    assert.equal(loss, 0);
    assert.deepEqual(model.getWeights().map((w) => [...w.data()]), before);
    const unweighted = model.testOnBatch(XOR_X, XOR_Y)[0]!;
    const onlyClass1 = model.testOnBatch(XOR_X, XOR_Y, { sampleWeight: [0, 1, 1, 0] })[0]!;
    const [viaClassWeight] = model.trainOnBatch(XOR_X, XOR_Y, { classWeight: { 0: 0, 1: 1 } });
    assert.notEqual(unweighted, onlyClass1);
    assert.ok(Math.abs(viaClassWeight! - onlyClass1) < 1e-6, 'classWeight {0: 0, 1: 1} equals sample weights of the class-1 samples');
    assert.throws(() => model.trainOnBatch(XOR_X, XOR_Y, { sampleWeight: [1, 1, 1, 1], classWeight: { 0: 2 } }), /either 'sampleWeight' or 'classWeight'/);
  });

  test('a subclass can override trainStep, and fit uses it', async () => {
    let steps = 0;
    class CountingModel extends Sequential {
      override trainStep(batch: Batch): Logs {
        steps++;
        return super.trainStep(batch);
      }
    }
    const model = new CountingModel([new Dense({ units: 1, inputShape: [2] })]);
    model.compile({ loss: 'mse' });
    await model.fit(XOR_X, XOR_Y, { epochs: 2, batchSize: 3, verbose: 0 });
    assert.equal(steps, 4);
  });
});

describe('callbacks', () => {
  // A scripted validation loss (best at epoch 1), and weights that move every epoch so restoring shows.
  test('EarlyStopping stops after `patience` epochs without improvement and restores the best weights', async () => {
    setSeed(9);
    const model = mlp(4, 2, 1);
    model.compile({ optimizer: new SGD({ learningRate: 0 }), loss: 'mse' });
    const losses = [0.5, 0.4, 0.45, 0.47, 0.3];
    const snapshots: number[][] = [];
    const scripted: Callback = {
      onEpochEnd: (epoch, logs) => {
        logs['val_loss'] = losses[epoch]!;
        // Move the weights each epoch so that restoring is observable.
        const w = model.weights[0]!;
        snapshots.push([...w.data()]);
        w.assign(w.add(1));
      },
    };
    const stopper = new EarlyStopping({ patience: 2, restoreBestWeights: true });
    const history = await model.fit(XOR_X, XOR_Y, { epochs: 5, verbose: 0, callbacks: [scripted, stopper] });
    assert.deepEqual(history.epoch, [0, 1, 2, 3]);
    assert.equal(stopper.stoppedEpoch, 3);
    assert.equal(stopper.bestEpoch, 1);
    assert.deepEqual([...model.weights[0]!.data()], snapshots[1]!.map((v) => Math.fround(v + 1)), 'weights as they were at the end of epoch 2');
  });

  test('ReduceLROnPlateau divides the learning rate after `patience` flat epochs', async () => {
    const model = mlp(2, 2, 1);
    model.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'mse' });
    const flat: Callback = { onEpochEnd: (_e, logs) => void (logs['val_loss'] = 1) };
    await model.fit(XOR_X, XOR_Y, { epochs: 5, verbose: 0, callbacks: [flat, new ReduceLROnPlateau({ patience: 2, factor: 0.5, minLr: 0.03 })] });
    // Epoch 0 sets the best; epochs 1-2 are flat -> 0.05; epochs 3-4 flat again -> max(0.025, 0.03).
    assert.equal(model.optimizer!.learningRate, 0.03);
  });

  test('monitoring a value that is not logged warns and names what is available', async () => {
    const model = mlp(2, 2, 1);
    model.compile({ loss: 'mse' });
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (m: string) => void warnings.push(m);
    try {
      await model.fit(XOR_X, XOR_Y, { epochs: 1, verbose: 0, callbacks: [new EarlyStopping()] });
    } finally {
      console.warn = warn;
    }
    assert.match(warnings[0]!, /EarlyStopping: 'val_loss' is not in the logs \(available: loss\)/);
  });
});

test('rng is untouched by fit when shuffle is false', async () => {
  const model = mlp(2, 2, 1);
  model.compile({ loss: 'mse' });
  setSeed(4);
  const expected = rng().next();
  setSeed(4);
  await model.fit(XOR_X, XOR_Y, { epochs: 2, verbose: 0, shuffle: false });
  assert.equal(rng().next(), expected);
});
