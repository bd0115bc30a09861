import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../ops/tensor-methods.js';
import { tensor } from '../tensor/creation.js';
import { BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy, accuracyFor } from './accuracy.js';
import { checkMetric, getMetric } from './index.js';
import { Mean } from './metric.js';

test('categorical accuracy: Keras example 0.5, accumulated over batches, reset', () => {
  const m = new CategoricalAccuracy();
  m.update(tensor([[0, 0, 1], [0, 1, 0]]), tensor([[0.1, 0.9, 0.8], [0.05, 0.95, 0]]));
  assert.equal(m.result(), 0.5);
  m.update(tensor([[1, 0, 0]]), tensor([[0.9, 0.05, 0.05]]));
  assert.ok(Math.abs(m.result() - 2 / 3) < 1e-12);
  m.reset();
  assert.equal(m.result(), 0);
});

test('sparse categorical accuracy with sample weights: Keras example 0.3', () => {
  const m = new SparseCategoricalAccuracy();
  m.update(tensor([[2], [1]]), tensor([[0.1, 0.6, 0.3], [0.05, 0.95, 0]]), tensor([0.7, 0.3]));
  assert.ok(Math.abs(m.result() - 0.3) < 1e-6);
});

test('binary accuracy: threshold 0.5, mean over the last axis (Keras example 0.75)', () => {
  const m = new BinaryAccuracy();
  m.update(tensor([[1], [1], [0], [0]]), tensor([[0.98], [1], [0], [0.6]]));
  assert.equal(m.result(), 0.75);
  const strict = new BinaryAccuracy({ threshold: 0.99 });
  strict.update(tensor([[1], [1]]), tensor([[0.98], [1]]));
  assert.equal(strict.result(), 0.5);
});

test('"accuracy" picks binary, sparse or categorical accuracy as Keras does', () => {
  assert.ok(accuracyFor([8, 1], [8, 1]) instanceof BinaryAccuracy);
  assert.ok(accuracyFor([8], [8, 1]) instanceof BinaryAccuracy);
  assert.ok(accuracyFor([8], [8, 10]) instanceof SparseCategoricalAccuracy);
  assert.ok(accuracyFor([8, 1], [8, 10]) instanceof SparseCategoricalAccuracy);
  assert.ok(accuracyFor([8, 10], [8, 10]) instanceof CategoricalAccuracy);
  const acc = getMetric('acc', [2, 3], [2, 3]);
  assert.equal(acc.name, 'acc');
  assert.equal(getMetric('categorical_accuracy', [2, 3], [2, 3]).name, 'categorical_accuracy');
  assert.throws(() => checkMetric('accuracyy'), /argument 'metrics' expected one of 'accuracy'.*received "accuracyy"/);
});

test('Mean: a weighted running mean', () => {
  const m = new Mean('loss');
  m.add(2, 3);
  m.add(4, 1);
  assert.equal(m.result(), 2.5);
  m.update(tensor([0]), tensor([1, 3]), tensor([1, 0]));
  assert.equal(m.result(), (10 + 1) / 5);
});
