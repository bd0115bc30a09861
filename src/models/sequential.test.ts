// @every-backend: test/backends.test.ts runs this file again on each backend that loads.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../ops/tensor-methods.js';
import { Conv2D, Dense, Dropout, Flatten, MaxPooling2D } from '../layers/index.js';
import { ones, zeros } from '../tensor/creation.js';
import { setSeed } from '../util/random.js';
import { Sequential } from './sequential.js';

/** The seed's convnet, layer for layer (with the softmax output). */
function seedConvnet(): Sequential {
  const model = new Sequential();
  model.add(new Conv2D({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }));
  model.add(new MaxPooling2D({ poolSize: 2 }));
  model.add(new Conv2D({ filters: 64, kernelSize: 3, activation: 'relu' }));
  model.add(new MaxPooling2D({ poolSize: 2 }));
  model.add(new Conv2D({ filters: 64, kernelSize: 3, activation: 'relu' }));
  model.add(new Flatten());
  model.add(new Dense({ units: 64, activation: 'relu' }));
  model.add(new Dense({ units: 10, activation: 'softmax' }));
  return model;
}

test('the seed convnet has 93,322 parameters and Keras\'s output shapes', () => {
  const model = seedConvnet();
  assert.equal(model.countParams(), 93322);
  let printed = '';
  const text = model.summary({ printFn: (t) => (printed = t) });
  assert.equal(printed, text);
  const rows = text.split('\n');
  assert.match(rows[0]!, /^Model: "sequential(_\d+)?"$/);
  for (const [shape, params] of [['(None, 26, 26, 32)', '320'], ['(None, 13, 13, 32)', '0'], ['(None, 11, 11, 64)', '18,496'],
    ['(None, 5, 5, 64)', '0'], ['(None, 3, 3, 64)', '36,928'], ['(None, 576)', '0'], ['(None, 64)', '36,928'], ['(None, 10)', '650']]) {
    assert.ok(rows.some((r) => r.includes(shape!) && r.trimEnd().endsWith(` ${params}`)), `a row with ${shape} and ${params} parameters`);
  }
  assert.ok(text.includes('Total params: 93,322 (364.54 KB)'));
  assert.ok(text.includes('Trainable params: 93,322'));
  assert.ok(text.includes('Non-trainable params: 0'));
});

test('a list of layers, lazy build from the first data, and shape errors at add', async () => {
  const model = new Sequential([new Dense({ units: 4, activation: 'relu' }), new Dense({ units: 2 })]);
  assert.equal(model.inputShape, null);
  assert.throws(() => model.summary({ printFn: () => undefined }), /not built yet/);
  assert.deepEqual((await model.predict(ones([3, 5]))).shape, [3, 2]);
  assert.deepEqual(model.inputShape, [null, 5]);
  assert.equal(model.countParams(), 5 * 4 + 4 + 4 * 2 + 2);

  const built = new Sequential({ layers: [new Flatten({ inputShape: [4, 4] })], name: 'named' });
  assert.equal(built.name, 'named');
  assert.throws(() => built.add(new Conv2D({ filters: 2, kernelSize: 3, name: 'late_conv' })), /Conv2D 'late_conv': expected input of rank 4/);
  assert.equal(built.layers.length, 1, 'a layer that does not fit is not added');
  assert.throws(() => built.add(new Dense({ units: 2, inputShape: [3] })), /only the first layer takes 'inputShape'/);
});

test('getWeights / setWeights copy values in and out; counts and shapes are checked', async () => {
  setSeed(1);
  const a = new Sequential([new Dense({ units: 3, inputShape: [2] }), new Dropout({ rate: 0.5 }), new Dense({ units: 1 })]);
  const b = new Sequential([new Dense({ units: 3, inputShape: [2] }), new Dropout({ rate: 0.5 }), new Dense({ units: 1 })]);
  const x = ones([4, 2]);
  assert.notDeepEqual((await a.predict(x)).toArray(), (await b.predict(x)).toArray());
  b.setWeights(a.getWeights());
  assert.deepEqual((await a.predict(x)).toArray(), (await b.predict(x)).toArray());
  const copy = a.getWeights();
  a.weights[0]!.assign(zeros([2, 3]));
  assert.notDeepEqual(copy[0]!.toArray(), a.weights[0]!.toArray(), 'getWeights returns copies');
  assert.throws(() => a.setWeights(copy.slice(1)), /expected 4 tensors/);
  assert.throws(() => a.setWeights([zeros([3, 2]), ...copy.slice(1)]), /weight 0 \('dense(_\d+)?\/kernel'\) expected shape \[2, 3\], received \[3, 2\]/);
});
