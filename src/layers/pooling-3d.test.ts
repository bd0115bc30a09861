import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../ops/tensor-methods.js';
import { tensor, zeros } from '../tensor/creation.js';
import { AveragePooling3D } from './average-pooling-3d.js';
import { GlobalAveragePooling3D } from './global-average-pooling-3d.js';
import { GlobalMaxPooling3D } from './global-max-pooling-3d.js';
import { Input } from './input-layer.js';
import { MaxPooling3D } from './max-pooling-3d.js';
import { assertConfigRoundTrip, checkLayerGradients, float64Input } from './testing.js';

test('MaxPooling3D and AveragePooling3D: shapes, and values computed by hand on a 2x2x2 volume', () => {
  const x = tensor([1, 2, 3, 4, 5, 6, 7, 8], { shape: [1, 2, 2, 2, 1] });
  assert.deepEqual(new MaxPooling3D().apply(x).toArray(), [[[[[8]]]]]);
  assert.deepEqual(new AveragePooling3D().apply(x).toArray(), [[[[[4.5]]]]]);
  // "same" with a 2x2x2 window and stride 1: the last plane, row and column see only themselves (padding is not counted).
  const same = new AveragePooling3D({ poolSize: 2, strides: 1, padding: 'same' }).apply(x).data();
  assert.deepEqual([same[0], same[7]], [4.5, 8]);
  assert.deepEqual(new MaxPooling3D({ poolSize: [2, 3, 2], strides: [1, 2, 2] }).computeOutputShape([null, 4, 7, 5, 3]), [null, 3, 3, 2, 3]);
  assert.deepEqual(new AveragePooling3D({ poolSize: 3, strides: 2, padding: 'same' }).apply(Input({ shape: [5, 4, null, 2] })).shape, [null, 3, 2, null, 2]);
});

test('GlobalMaxPooling3D and GlobalAveragePooling3D, with keepdims', () => {
  const x = tensor([1, 2, 3, 4, 5, 6, 7, 8], { shape: [1, 2, 2, 1, 2] });
  assert.deepEqual(new GlobalMaxPooling3D().apply(x).toArray(), [[7, 8]]);
  assert.deepEqual(new GlobalAveragePooling3D().apply(x).toArray(), [[4, 5]]);
  assert.deepEqual(new GlobalAveragePooling3D({ keepdims: true }).apply(x).shape, [1, 1, 1, 1, 2]);
  assert.deepEqual(new GlobalMaxPooling3D({ keepdims: true }).computeOutputShape([null, 3, 3, 3, 4]), [null, 1, 1, 1, 4]);
});

test('3-D pooling gradients match finite differences', () => {
  checkLayerGradients(new MaxPooling3D({ poolSize: 2, padding: 'same', dtype: 'float64' }), float64Input([2, 3, 2, 3, 2]));
  checkLayerGradients(new AveragePooling3D({ poolSize: [2, 2, 3], strides: 1, dtype: 'float64' }), float64Input([1, 3, 3, 3, 1]));
  checkLayerGradients(new GlobalAveragePooling3D({ dtype: 'float64' }), float64Input([2, 2, 2, 3, 2]));
  checkLayerGradients(new GlobalMaxPooling3D({ dtype: 'float64' }), float64Input([2, 2, 2, 3, 2]));
});

test('3-D pooling: configs round-trip, errors name the layer', () => {
  assertConfigRoundTrip(new MaxPooling3D({ poolSize: [1, 2, 3], strides: 2, padding: 'same' }));
  assertConfigRoundTrip(new AveragePooling3D());
  assertConfigRoundTrip(new GlobalMaxPooling3D({ keepdims: true }));
  assert.throws(() => new MaxPooling3D({ name: 'p3' }).apply(zeros([1, 4, 4, 2])), /MaxPooling3D 'p3': expected input of rank 5/);
  assert.throws(() => new MaxPooling3D({ poolSize: 3, name: 'p3b' }).apply(Input({ shape: [2, 4, 4, 1] })), /MaxPooling3D 'p3b': the pool window 3x3x3 does not fit/);
  assert.throws(() => new AveragePooling3D({ poolSize: [2, 2] }), /option 'poolSize' expected a positive integer or an array of 3 of them/);
});
