import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../ops/tensor-methods.js';
import { tensor } from '../tensor/creation.js';
import { Activation } from './activation.js';
import { checkLayerGradients, float64Input } from './testing.js';

test('Activation: applies a named activation, Keras spelling accepted', () => {
  assert.deepEqual(new Activation({ activation: 'relu' }).apply(tensor([-1, 2])).toArray(), [0, 2]);
  const y = new Activation({ activation: 'leaky_relu' }).apply(tensor([-1, 2])).toArray() as number[];
  assert.ok(Math.abs(y[0]! + 0.3) < 1e-7 && y[1] === 2);
  assert.equal(new Activation({ activation: 'softmax' }).outputActivation, 'softmax');
  assert.equal(new Activation({ activation: 'tanh' }).countParams(), 0);
});

test('Activation: gradients match finite differences', () => {
  checkLayerGradients(new Activation({ activation: 'softmax', dtype: 'float64' }), float64Input([3, 4]));
  checkLayerGradients(new Activation({ activation: 'selu', dtype: 'float64' }), float64Input([3, 4], 8, 0.1, 1));
  assert.throws(() => new Activation({ activation: 'rleu' }), /argument 'activation' expected one of 'linear', 'relu'.*received "rleu"/);
});
