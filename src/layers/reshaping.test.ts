import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../ops/tensor-methods.js';
import { range } from '../tensor/creation.js';
import { Flatten } from './flatten.js';
import { Reshape } from './reshape.js';
import { checkLayerGradients, float64Input } from './testing.js';

test('Flatten: keeps the batch axis and joins the rest', () => {
  const layer = new Flatten();
  assert.deepEqual(layer.apply(range(0, 24).reshape([2, 3, 4])).shape, [2, 12]);
  assert.deepEqual(layer.computeOutputShape([null, 3, 3, 64]), [null, 576]);
  assert.deepEqual(layer.computeOutputShape([null, null, 3]), [null, null]);
  assert.equal(layer.countParams(), 0);
  checkLayerGradients(new Flatten({ dtype: 'float64' }), float64Input([2, 2, 3]));
});

test('Reshape: to a target shape per sample, with one inferred dimension', () => {
  const layer = new Reshape({ targetShape: [2, -1] });
  assert.deepEqual(layer.apply(range(0, 12).reshape([2, 6])).shape, [2, 2, 3]);
  assert.deepEqual(layer.computeOutputShape([null, 6]), [null, 2, 3]);
  assert.throws(() => new Reshape({ targetShape: [4], name: 'r' }).computeOutputShape([null, 6]), /Reshape 'r': cannot reshape samples of shape \[6\] \(6 values\) to \[4\]/);
  assert.throws(() => new Reshape({ targetShape: [-1, -1] }), /at most one -1/);
  checkLayerGradients(new Reshape({ targetShape: [3, 2], dtype: 'float64' }), float64Input([2, 6]));
});
