import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../ops/tensor-methods.js';
import { range, tensor } from '../tensor/creation.js';
import { setSeed } from '../util/random.js';
import { batchRanges, shuffledIndices, sliceRows, takeRows, toCategorical } from './batching.js';

test('toCategorical: one-hot rows, classes inferred or given', () => {
  assert.deepEqual(toCategorical([0, 2, 1]).toArray(), [[1, 0, 0], [0, 0, 1], [0, 1, 0]]);
  assert.deepEqual(toCategorical(tensor([[1], [0]]), 3).shape, [2, 3]);
  assert.equal(toCategorical([1, 2], 10).dtype, 'float32');
  assert.throws(() => toCategorical([0, 10], 10), /label 10 does not fit in numClasses 10/);
  assert.throws(() => toCategorical([0, -1]), /non-negative integers, received -1 at position 1/);
  assert.throws(() => toCategorical([0.5]), /received 0.5 at position 0/);
});

test('takeRows and sliceRows copy rows once, any rank', () => {
  const x = range(0, 12).reshape([4, 3]);
  assert.deepEqual(takeRows(x, new Int32Array([3, 0, 2]), 0, 2).toArray(), [[9, 10, 11], [0, 1, 2]]);
  assert.deepEqual(sliceRows(x, 1, 3).toArray(), [[3, 4, 5], [6, 7, 8]]);
  assert.deepEqual(takeRows(tensor([5, 6, 7], { dtype: 'int32' }), new Int32Array([2, 2])).toArray(), [7, 7]);
  assert.throws(() => takeRows(x, new Int32Array([4])), /index 4 at position 0 is outside the 4 rows/);
  assert.throws(() => sliceRows(x, 2, 5), /expected 0 <= start <= end <= 4/);
});

test('shuffledIndices: a permutation that the global seed repeats', () => {
  setSeed(11);
  const a = shuffledIndices(50);
  setSeed(11);
  assert.deepEqual(shuffledIndices(50), a);
  assert.deepEqual([...a].sort((p, q) => p - q), Array.from({ length: 50 }, (_, i) => i));
  assert.notDeepEqual([...a], Array.from({ length: 50 }, (_, i) => i));
});

test('batchRanges: consecutive batches, the last one smaller', () => {
  assert.deepEqual(batchRanges(10, 4), [[0, 4], [4, 8], [8, 10]]);
  assert.deepEqual(batchRanges(0, 4), []);
  assert.throws(() => batchRanges(10, 0), /argument 'batchSize' expected a positive integer, received 0/);
});
