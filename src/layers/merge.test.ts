// @every-backend: test/backends.test.ts runs this file again on each backend that loads.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../ops/tensor-methods.js';
import { tensor } from '../tensor/creation.js';
import { Add } from './add.js';
import { Concatenate } from './concatenate.js';
import { Input } from './input-layer.js';
import { checkLayerGradients, float64Input } from './testing.js';

test('Add: sums inputs of one shape; rejects mismatched shapes', () => {
  const add = new Add({ name: 'add_check' });
  assert.deepEqual(add.apply([tensor([[1, 2]]), tensor([[10, 20]]), tensor([[100, 200]])]).toArray(), [[111, 222]]);
  const a = Input({ shape: [4] }), b = Input({ shape: [3] });
  assert.throws(() => new Add({ name: 'add_bad' }).apply([a, b]), /Add 'add_bad': input 1 has shape \[null, 3\], expected input 0's \[null, 4\]/);
  assert.throws(() => add.apply([tensor([1])]), /expected an array of at least two inputs/);
});

test('Concatenate: joins along the last axis and computes the symbolic shape', () => {
  const layer = new Concatenate();
  assert.deepEqual(layer.apply([tensor([[1], [2]]), tensor([[3, 4], [5, 6]])]).toArray(), [[1, 3, 4], [2, 5, 6]]);
  const joined = new Concatenate().apply([Input({ shape: [2, 3] }), Input({ shape: [2, 5] })]);
  assert.deepEqual(joined.shape, [null, 2, 8]);
  assert.throws(() => new Concatenate({ axis: 0 }).apply([Input({ shape: [2] }), Input({ shape: [2] })]), /not a feature axis/);
});

test('Add and Concatenate: input gradients match finite differences', () => {
  checkLayerGradients(new Add({ dtype: 'float64' }), [float64Input([2, 3], 1), float64Input([2, 3], 2)]);
  checkLayerGradients(new Concatenate({ dtype: 'float64' }), [float64Input([2, 1], 1), float64Input([2, 3], 2)]);
});
