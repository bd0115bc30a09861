// @every-backend: test/backends.test.ts runs this file again on each backend that loads.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../ops/tensor-methods.js';
import { tensor, zeros } from '../tensor/creation.js';
import { AveragePooling2D } from './average-pooling-2d.js';
import { GlobalAveragePooling2D } from './global-average-pooling-2d.js';
import { GlobalMaxPooling2D } from './global-max-pooling-2d.js';
import { MaxPooling2D } from './max-pooling-2d.js';
import { checkLayerGradients, float64Input } from './testing.js';

const image = tensor([[[[1], [2], [3], [4]], [[5], [6], [7], [8]], [[9], [10], [11], [12]], [[13], [14], [15], [16]]]]);

test('MaxPooling2D: Keras default 2x2 windows with stride 2, no parameters', () => {
  const layer = new MaxPooling2D();
  assert.deepEqual(layer.apply(image).toArray(), [[[[6], [8]], [[14], [16]]]]);
  assert.equal(layer.countParams(), 0);
  assert.deepEqual(layer.computeOutputShape([null, 26, 26, 32]), [null, 13, 13, 32]);
  assert.deepEqual(new MaxPooling2D({ poolSize: 3, strides: 1, padding: 'same' }).computeOutputShape([null, 5, 7, 2]), [null, 5, 7, 2]);
});

test('AveragePooling2D: the mean of each window', () => {
  const layer = new AveragePooling2D({ poolSize: 2 });
  assert.deepEqual(layer.apply(image).toArray(), [[[[3.5], [5.5]], [[11.5], [13.5]]]]);
  assert.deepEqual(layer.computeOutputShape([null, 5, 5, 3]), [null, 2, 2, 3]);
});

test('GlobalAveragePooling2D and GlobalMaxPooling2D reduce height and width', () => {
  assert.deepEqual(new GlobalAveragePooling2D().apply(image).toArray(), [[8.5]]);
  assert.deepEqual(new GlobalMaxPooling2D().apply(image).toArray(), [[16]]);
  assert.deepEqual(new GlobalMaxPooling2D().computeOutputShape([null, 7, 7, 64]), [null, 64]);
  assert.throws(() => new GlobalAveragePooling2D({ name: 'gap' }).apply(zeros([2, 3])), /GlobalAveragePooling2D 'gap': expected input of rank 4/);
});

test('pooling layers: input gradients match finite differences', () => {
  // Distinct values keep every window's maximum away from ties (where max is not differentiable).
  const x = float64Input([2, 4, 4, 2]);
  checkLayerGradients(new MaxPooling2D({ dtype: 'float64' }), x);
  checkLayerGradients(new AveragePooling2D({ poolSize: 3, strides: 1, padding: 'same', dtype: 'float64' }), x);
  checkLayerGradients(new GlobalAveragePooling2D({ dtype: 'float64' }), x);
  checkLayerGradients(new GlobalMaxPooling2D({ dtype: 'float64' }), x);
});
