import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../ops/tensor-methods.js';
import { tensor } from '../tensor/creation.js';
import { Average } from './average.js';
import { Dot } from './dot.js';
import { Input } from './input-layer.js';
import { Maximum } from './maximum.js';
import { Minimum } from './minimum.js';
import { Multiply } from './multiply.js';
import { Subtract } from './subtract.js';
import { assertConfigRoundTrip, checkLayerGradients, float64Input } from './testing.js';

const a = tensor([[1, -2, 3]]), b = tensor([[4, 5, -6]]), c = tensor([[0, 1, 2]]);

test('Subtract, Multiply, Average, Maximum and Minimum, value by value', () => {
  assert.deepEqual(new Subtract().apply([a, b]).toArray(), [[-3, -7, 9]]);
  assert.deepEqual(new Multiply().apply([a, b, c]).toArray(), [[0, -10, -36]]);
  assert.deepEqual(new Average().apply([a, b, c]).toArray(), [[5 / 3, 4 / 3, -1 / 3]].map((r) => r.map((v) => Math.fround(v))));
  assert.deepEqual(new Maximum().apply([a, b, c]).toArray(), [[4, 5, 3]]);
  assert.deepEqual(new Minimum().apply([a, b, c]).toArray(), [[0, -2, -6]]);
});

test('elementwise merges broadcast sizes of 1, as Keras does, and name mismatches', () => {
  assert.deepEqual(new Multiply().apply([Input({ shape: [4, 1] }), Input({ shape: [1, 3] })]).shape, [null, 4, 3]);
  assert.deepEqual(new Multiply().apply([tensor([[[2], [3]]]), tensor([[[1, 10]]])]).toArray(), [[[2, 20], [3, 30]]]);
  assert.throws(() => new Subtract({ name: 'sub_check' }).apply([Input({ shape: [3] }), Input({ shape: [3] }), Input({ shape: [3] })]), /Subtract 'sub_check': takes exactly two inputs, received 3/);
  assert.throws(() => new Maximum({ name: 'max_check' }).apply([Input({ shape: [3] }), Input({ shape: [4] })]), /Maximum 'max_check': input 1 has shape \[null, 4\], which does not match input 0's \[null, 3\]/);
  // @ts-expect-error: merge layers take only the common options
  assert.throws(() => new Average({ axis: 1 }), /unknown option 'axis'/);
});

test('Dot: per-sample dot products along the given axes, and cosine similarity with normalize', () => {
  assert.deepEqual(new Dot({ axes: 1 }).apply([tensor([[1, 2], [3, 4]]), tensor([[5, 6], [7, 8]])]).toArray(), [[17], [53]]);
  const m = tensor([[[1, 2], [3, 4]]]), n = tensor([[[5, 6], [7, 8]]]);
  assert.deepEqual(new Dot({ axes: [2, 1] }).apply([m, n]).toArray(), [[[19, 22], [43, 50]]], 'a batched matrix product');
  assert.deepEqual(new Dot({ axes: [1, 1] }).apply([m, n]).toArray(), [[[26, 30], [38, 44]]], 'm^T n');
  const cos = new Dot({ axes: -1, normalize: true }).apply([tensor([[3, 4]]), tensor([[4, 3]])]).item();
  assert.ok(Math.abs(cos - 24 / 25) < 1e-6, `cosine ${cos}`);
  assert.deepEqual(new Dot({ axes: [1, 2] }).apply([Input({ shape: [5, 3] }), Input({ shape: [4, 5] })]).shape, [null, 3, 4]);
  assert.throws(() => new Dot({ axes: 1, name: 'dot_check' }).apply([Input({ shape: [3] }), Input({ shape: [4] })]), /Dot 'dot_check': input 0 has 3 values along axis 1 but input 1 has 4/);
  assert.throws(() => new Dot({ axes: 0 }).apply([Input({ shape: [3] }), Input({ shape: [3] })]), /axis 0 is not a feature axis/);
});

test('gradients of every input match finite differences', () => {
  const two = () => [float64Input([2, 3], 1), float64Input([2, 3], 2)];
  checkLayerGradients(new Subtract({ dtype: 'float64' }), two());
  checkLayerGradients(new Multiply({ dtype: 'float64' }), [float64Input([2, 3], 1), float64Input([2, 1], 2), float64Input([2, 3], 4)]);
  checkLayerGradients(new Average({ dtype: 'float64' }), two());
  checkLayerGradients(new Maximum({ dtype: 'float64' }), two());
  checkLayerGradients(new Minimum({ dtype: 'float64' }), two());
  checkLayerGradients(new Dot({ axes: [2, 1], dtype: 'float64' }), [float64Input([2, 3, 2], 1), float64Input([2, 2, 4], 2)]);
  checkLayerGradients(new Dot({ axes: 1, normalize: true, dtype: 'float64' }), two());
});

test('configs round-trip', () => {
  for (const layer of [new Subtract(), new Multiply(), new Average(), new Maximum(), new Minimum(), new Dot({ axes: [1, 2], normalize: true }), new Dot({ axes: -1 })]) {
    assertConfigRoundTrip(layer);
  }
});
