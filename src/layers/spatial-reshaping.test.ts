// @every-backend: test/backends.test.ts runs this file again on each backend that loads.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../ops/tensor-methods.js';
import { range, tensor, zeros } from '../tensor/creation.js';
import { Cropping2D, Cropping3D } from './cropping.js';
import { Input } from './input-layer.js';
import { Permute } from './permute.js';
import { RepeatVector } from './repeat-vector.js';
import { assertConfigRoundTrip, checkLayerGradients, float64Input } from './testing.js';
import { UpSampling2D, UpSampling3D } from './up-sampling.js';
import { ZeroPadding2D, ZeroPadding3D } from './zero-padding.js';

test('UpSampling2D: nearest repeats pixels; bilinear interpolates with half-pixel centers (values by hand)', () => {
  const x = tensor([[1, 2], [3, 4]]).reshape([1, 2, 2, 1]);
  assert.deepEqual(new UpSampling2D({ size: [1, 2] }).apply(x).reshape([2, 4]).toArray(), [[1, 1, 2, 2], [3, 3, 4, 4]]);
  // Along one row [1, 2] doubled: sources -0.25, 0.25, 0.75, 1.25 -> 1, 1.25, 1.75, 2 (edges clamp).
  const row = new UpSampling2D({ size: [1, 2], interpolation: 'bilinear' }).apply(tensor([1, 2]).reshape([1, 1, 2, 1]));
  assert.deepEqual(row.data(), Float32Array.from([1, 1.25, 1.75, 2]));
  assert.deepEqual(new UpSampling2D({ size: 3 }).apply(Input({ shape: [4, null, 2] })).shape, [null, 12, null, 2]);
});

test('UpSampling3D repeats along depth, height and width', () => {
  const y = new UpSampling3D({ size: [2, 1, 3] }).apply(range(0, 4).reshape([1, 2, 1, 2, 1]));
  assert.deepEqual(y.shape, [1, 4, 1, 6, 1]);
  assert.deepEqual(Array.from(y.data()), [0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 2, 2, 2, 3, 3, 3]);
});

test('ZeroPadding and Cropping take one amount, one per axis, or [before, after] per axis', () => {
  const x = range(1, 7).reshape([1, 2, 3, 1]);
  const padded = new ZeroPadding2D({ padding: [[1, 0], [0, 2]] }).apply(x);
  assert.deepEqual(padded.reshape([3, 5]).toArray(), [[0, 0, 0, 0, 0], [1, 2, 3, 0, 0], [4, 5, 6, 0, 0]]);
  assert.deepEqual(new ZeroPadding2D().apply(x).shape, [1, 4, 5, 1]);
  assert.deepEqual(new ZeroPadding2D({ padding: [2, 1] }).computeOutputShape([null, 2, null, 4]), [null, 6, null, 4]);
  assert.deepEqual(new Cropping2D({ cropping: [[1, 0], [0, 2]] }).apply(padded).reshape([2, 3]).toArray(), [[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(new ZeroPadding3D({ padding: [1, 0, 2] }).apply(zeros([1, 2, 2, 2, 3])).shape, [1, 4, 2, 6, 3]);
  assert.deepEqual(new Cropping3D().apply(zeros([1, 3, 4, 5, 2])).shape, [1, 1, 2, 3, 2], "Keras's default crops one from every side");
  assert.throws(() => new Cropping2D({ cropping: 2, name: 'crop_check' }).apply(Input({ shape: [4, 8, 1] })), /Cropping2D 'crop_check': cropping 2 \+ 2 from spatial axis 1 leaves nothing/);
  assert.throws(() => new ZeroPadding2D({ padding: [1, 2, 3] }), /option 'padding' expected a non-negative integer, 2 of them \(one per axis\) or 2 pairs/);
});

test('Permute numbers axes from 1; RepeatVector repeats a vector n times', () => {
  const x = range(0, 6).reshape([1, 2, 3]);
  assert.deepEqual(new Permute({ dims: [2, 1] }).apply(x).toArray(), [[[0, 3], [1, 4], [2, 5]]]);
  assert.deepEqual(new Permute({ dims: [3, 1, 2] }).computeOutputShape([null, 4, 5, 6]), [null, 6, 4, 5]);
  assert.throws(() => new Permute({ dims: [0, 1] }), /option 'dims' .*element 0 is 0, not a positive integer/);
  assert.throws(() => new Permute({ dims: [1, 3] }), /option 'dims' expected a permutation of 1\.\.2/);
  assert.deepEqual(new RepeatVector({ n: 2 }).apply(tensor([[1, 2], [3, 4]])).toArray(), [[[1, 2], [1, 2]], [[3, 4], [3, 4]]]);
  assert.deepEqual(new RepeatVector({ n: 4 }).apply(Input({ shape: [3] })).shape, [null, 4, 3]);
});

test('gradients match finite differences', () => {
  checkLayerGradients(new UpSampling2D({ size: [2, 3], dtype: 'float64' }), float64Input([1, 2, 2, 2]));
  checkLayerGradients(new UpSampling2D({ size: 2, interpolation: 'bilinear', dtype: 'float64' }), float64Input([2, 3, 2, 1]));
  checkLayerGradients(new UpSampling3D({ size: 2, dtype: 'float64' }), float64Input([1, 2, 1, 2, 2]));
  checkLayerGradients(new ZeroPadding2D({ padding: [[1, 0], [2, 1]], dtype: 'float64' }), float64Input([1, 2, 2, 2]));
  checkLayerGradients(new Cropping3D({ cropping: [[1, 0], [0, 1], [1, 1]], dtype: 'float64' }), float64Input([1, 3, 3, 4, 1]));
  checkLayerGradients(new Permute({ dims: [2, 3, 1], dtype: 'float64' }), float64Input([2, 2, 3, 2]));
  checkLayerGradients(new RepeatVector({ n: 3, dtype: 'float64' }), float64Input([2, 3]));
});

test('configs round-trip', () => {
  for (const layer of [
    new UpSampling2D({ size: [2, 3], interpolation: 'bilinear' }), new UpSampling3D({ size: [1, 2, 3] }), new ZeroPadding2D({ padding: 2 }),
    new ZeroPadding3D({ padding: [[1, 2], [3, 4], [5, 6]] }), new Cropping2D({ cropping: [1, 2] }), new Cropping3D(), new Permute({ dims: [2, 1] }),
    new RepeatVector({ n: 5 }),
  ]) {
    assertConfigRoundTrip(layer);
  }
});
