import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../ops/tensor-methods.js';
import { datasets } from './index.js';

test('mnist.loadData: 60,000 + 10,000 images of 28x28 pixels with digit labels', () => {
  const { train, test: testSet } = datasets.mnist.loadData();
  assert.deepEqual(train.x.shape, [60000, 28, 28]);
  assert.deepEqual(train.y.shape, [60000]);
  assert.deepEqual(testSet.x.shape, [10000, 28, 28]);
  assert.deepEqual(testSet.y.shape, [10000]);
  assert.equal(train.x.dtype, 'int32');
  // The first training digit is a 5 and the first test digit a 7 (the files' well-known first labels).
  assert.deepEqual(train.y.slice([0], [3]).toArray(), [5, 0, 4]);
  assert.equal(testSet.y.slice([0], [1]).item(), 7);
  assert.equal(train.x.max().item(), 255);
  assert.equal(train.x.min().item(), 0);
  const scaled = testSet.x.reshape([10000, 28, 28, 1]).div(255);
  assert.equal(scaled.dtype, 'float32');
  assert.equal(scaled.max().item(), 1);
});
