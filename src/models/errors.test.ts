/** Bad input: each mistake fails early with a message that names the argument, the expectation and what was received. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../ops/tensor-methods.js';
import { Conv2D, Dense, Flatten } from '../layers/index.js';
import { SGD } from '../optimizers/index.js';
import { tensor, zeros } from '../tensor/creation.js';
import { NumericsError, ShapeError, ValueError } from '../util/errors.js';
import { Sequential } from './sequential.js';

function classifier(): Sequential {
  const model = new Sequential({ name: 'clf' });
  model.add(new Flatten({ inputShape: [4, 4, 1] }));
  model.add(new Dense({ units: 3, activation: 'softmax' }));
  return model;
}

test('fit, evaluate and trainOnBatch before compile', async () => {
  const model = classifier();
  await assert.rejects(model.fit(zeros([2, 4, 4, 1]), zeros([2, 3])), (e: Error) =>
    e instanceof ValueError && /fit: Sequential 'clf' must be compiled first: call model.compile\(\{ optimizer, loss, metrics \}\) before fit/.test(e.message));
  await assert.rejects(model.evaluate(zeros([2, 4, 4, 1]), zeros([2, 3])), /evaluate: Sequential 'clf' must be compiled first/);
  assert.throws(() => model.trainOnBatch(zeros([2, 4, 4, 1]), zeros([2, 3])), /trainOnBatch: Sequential 'clf' must be compiled first/);
});

test('labels whose shape does not match the output, with a hint for class indices', async () => {
  const model = classifier();
  model.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy' });
  await assert.rejects(model.fit(zeros([5, 4, 4, 1]), tensor([0, 1, 2, 0, 1]), { verbose: 0 }), (e: Error) =>
    e instanceof ShapeError &&
    e.message.includes(`fit: argument 'y' expected labels of shape [null, 3] to match the model's output [null, 3] for loss 'categorical_crossentropy', received shape [5]`) &&
    e.message.includes('toCategorical(y, 3)'));
  await assert.rejects(model.fit(zeros([5, 4, 4, 1]), zeros([5, 4]), { verbose: 0 }), /expected labels of shape \[null, 3\].*received shape \[5, 4\]/);

  model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
  await assert.rejects(model.fit(zeros([2, 4, 4, 1]), zeros([2, 3]), { verbose: 0 }), /expected integer class labels of shape \[null\].*received shape \[2, 3\]\. The labels look one-hot/);
  await assert.rejects(model.fit(zeros([2, 4, 4, 1]), tensor([0, 3]), { verbose: 0 }), /expected integer class labels in \[0, 2\], received 3 at position 1/);
});

test('x and y with different numbers of samples', async () => {
  const model = classifier();
  model.compile({ loss: 'categorical_crossentropy' });
  await assert.rejects(model.fit(zeros([5, 4, 4, 1]), zeros([4, 3]), { verbose: 0 }), /fit: argument 'y' expected 5 labels \(one per sample of x, shape \[5, 4, 4, 1\]\), received shape \[4, 3\]/);
  await assert.rejects(model.fit(zeros([5, 4, 4, 1]), zeros([5, 3]), { verbose: 0, sampleWeight: [1, 2] }), /argument 'sampleWeight' expected shape \[5\]/);
});

test('inputs of the wrong shape', async () => {
  const model = classifier();
  model.compile({ loss: 'categorical_crossentropy' });
  await assert.rejects(model.fit(zeros([5, 16]), zeros([5, 3]), { verbose: 0 }),
    /fit: argument 'x' expected samples of shape \[4, 4, 1\] \(the input of Sequential 'clf' is \[null, 4, 4, 1\]\), received x of shape \[5, 16\]/);
  await assert.rejects(model.predict(zeros([5, 4, 4])), /predict: argument 'x' expected samples of shape \[4, 4, 1\]/);
  const lazy = new Sequential([new Conv2D({ filters: 2, kernelSize: 3, name: 'first_conv' })]);
  lazy.compile({ loss: 'mse' });
  await assert.rejects(lazy.fit(zeros([5, 16]), zeros([5, 2]), { verbose: 0 }), /Conv2D 'first_conv': expected input of rank 4 \[batch, height, width, channels\], received shape \[null, 16\]/);
});

test('an empty dataset', async () => {
  const model = classifier();
  model.compile({ loss: 'categorical_crossentropy' });
  await assert.rejects(model.fit(zeros([0, 4, 4, 1]), zeros([0, 3])), /fit: argument 'x' holds no samples \(shape \[0, 4, 4, 1\]\); there is nothing to train on/);
  await assert.rejects(model.evaluate(zeros([0, 4, 4, 1]), zeros([0, 3])), /evaluate: argument 'x' holds no samples/);
  await assert.rejects(model.fit([], []), /holds no samples/);
  await assert.rejects(model.fit(zeros([4, 4, 4, 1]), zeros([4, 3]), { validationSplit: 0.1, verbose: 0 }), /validationSplit 0.1 of 4 samples leaves no validation samples/);
});

test('a NaN loss stops training and names the epoch, the batch, and the input feature that holds NaN', async () => {
  const model = new Sequential([new Dense({ units: 1, inputShape: [2] })]);
  model.compile({ optimizer: new SGD({ learningRate: 0.01 }), loss: 'mse' });
  const x = [[0, 1], [1, 0], [1, 1], [0, 0], [1, NaN], [1, 1]];
  const before = model.getWeights().map((w) => w.toArray());
  await assert.rejects(model.fit(x, [[1], [1], [2], [0], [1], [2]], { epochs: 3, batchSize: 2, shuffle: false, verbose: 0 }), (e: Error) =>
    e instanceof NumericsError &&
    e.message.startsWith('fit: the loss became NaN at epoch 1/3, batch 3/3; training stopped') &&
    e.message.includes('the input holds NaN in feature 1 (sample 0 of the batch)'));
  const after = model.getWeights().map((w) => w.toArray());
  assert.ok(after.flat(2).every((v) => Number.isFinite(v)), 'the bad batch was not applied: the weights stay finite');
  assert.notDeepEqual(after, before, 'the two good batches before it were applied');

  // Finite data that the model turns into an infinite loss: the message points at the model, not the data.
  const wild = new Sequential([new Dense({ units: 1, inputShape: [1], kernelInitializer: 'ones' })]);
  wild.compile({ optimizer: new SGD({ learningRate: 0.01 }), loss: 'mse' });
  await assert.rejects(wild.fit([[1e30], [1]], [[0], [0]], { batchSize: 1, shuffle: false, verbose: 0 }), (e: Error) =>
    e instanceof NumericsError && /the loss became Infinity at epoch 1\/1, batch 1\/2/.test(e.message) && e.message.includes("inputs and labels are finite, so the model produced it") &&
    e.message.includes('learning rate too high (it is 0.01'));
});

test('bad options name themselves', async () => {
  const model = classifier();
  assert.throws(() => model.compile({ loss: 'categorical_crossentropy', optimizer: 'adamx' }), /argument 'optimizer' expected one of/);
  assert.throws(() => model.compile({ loss: 'crossentropy' }), /argument 'loss' expected one of/);
  assert.throws(() => model.compile({ loss: 'mse', metrics: ['acuracy'] }), /argument 'metrics' expected one of 'accuracy'/);
  model.compile({ loss: 'categorical_crossentropy' });
  await assert.rejects(model.fit(zeros([2, 4, 4, 1]), zeros([2, 3]), { epochs: 0 }), /fit: option 'epochs' expected a positive integer, received 0/);
  await assert.rejects(model.fit(zeros([2, 4, 4, 1]), zeros([2, 3]), { batchSize: 2.5 }), /option 'batchSize' expected a positive integer, received 2.5/);
  await assert.rejects(model.fit(zeros([2, 4, 4, 1]), zeros([2, 3]), { verbose: 3 as 1 }), /option 'verbose' expected one of 0, 1, 2, received 3/);
});
