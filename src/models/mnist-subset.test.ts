// @every-backend: test/backends.test.ts runs this file again on each backend that loads.
/**
 * End to end on real data: a small convnet trained on the first 5,000 MNIST training images reaches at
 * least 95% accuracy on the 10,000 test images. Seeded, and small enough for the reference backend: the
 * strided first convolution keeps it at about 150k multiply-adds per image.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../ops/tensor-methods.js';
import { datasets, toCategorical } from '../data/index.js';
import { Conv2D, Dense, Flatten, MaxPooling2D } from '../layers/index.js';
import { Adam } from '../optimizers/index.js';
import { setSeed } from '../util/random.js';
import { Sequential } from './sequential.js';

test('a small convnet reaches >= 95% test accuracy from 5,000 training images', async () => {
  const { train, test: testSet } = datasets.mnist.loadData();
  const n = 5000;
  const x = train.x.slice([0, 0, 0], [n, 28, 28]).reshape([n, 28, 28, 1]).div(255);
  const y = toCategorical(train.y.slice([0], [n]), 10);
  const xTest = testSet.x.reshape([10000, 28, 28, 1]).div(255);
  const yTest = toCategorical(testSet.y, 10);

  setSeed(1);
  const model = new Sequential([
    new Conv2D({ filters: 8, kernelSize: 5, strides: 2, activation: 'relu', inputShape: [28, 28, 1] }),
    new Conv2D({ filters: 16, kernelSize: 3, activation: 'relu' }),
    new MaxPooling2D(),
    new Flatten(),
    new Dense({ units: 10, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: new Adam({ learningRate: 0.002 }), loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  const history = await model.fit(x, y, { epochs: 4, batchSize: 32, verbose: 0 });
  const losses = history.history['loss']!;
  assert.ok(losses.every((l, i) => i === 0 || l < losses[i - 1]!), `training loss decreases every epoch: ${losses.join(', ')}`);
  const [, accuracy] = await model.evaluate(xTest, yTest, { batchSize: 256, verbose: 0 });
  assert.ok(accuracy! >= 0.95, `test accuracy ${accuracy}`);
});
