// @every-backend: test/backends.test.ts runs this file again on each backend that loads.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../ops/tensor-methods.js';
import { tensor } from '../tensor/creation.js';
import { BatchNormalization } from './batch-normalization.js';
import { checkLayerGradients, float64Input } from './testing.js';

test('BatchNormalization: four weights per feature, two of them non-trainable', () => {
  const layer = new BatchNormalization();
  layer.apply(float64Input([4, 3]));
  assert.equal(layer.countParams(), 12);
  assert.deepEqual(layer.weights.map((w) => w.name.split('/')[1]), ['gamma', 'beta', 'moving_mean', 'moving_variance']);
  assert.equal(layer.trainableWeights.length, 2);
  assert.equal(layer.nonTrainableWeights.length, 2);
  layer.trainable = false;
  layer.trainable = true;
  assert.equal(layer.trainableWeights.length, 2, 'unfreezing does not make the moving statistics trainable');
});

test('BatchNormalization: training normalises with batch statistics and updates the moving averages', () => {
  const layer = new BatchNormalization({ momentum: 0.5, epsilon: 1e-3, dtype: 'float64' });
  const x = tensor([[1, 10], [3, 30]], { dtype: 'float64' });
  const y = layer.apply(x, { training: true }).toArray() as number[][];
  // Feature 0: mean 2, variance 1 -> (x - 2) / sqrt(1.001).
  assert.ok(Math.abs(y[0]![0]! + 1 / Math.sqrt(1.001)) < 1e-12);
  assert.deepEqual(layer.weights[2]!.toArray(), [1, 10], 'moving mean = 0.5 * 0 + 0.5 * batch mean');
  assert.deepEqual(layer.weights[3]!.toArray(), [1, 50.5], 'moving variance = 0.5 * 1 + 0.5 * batch variance');
  const inference = layer.apply(x).toArray() as number[][];
  assert.ok(Math.abs(inference[1]![1]! - (30 - 10) / Math.sqrt(50.5 + 1e-3)) < 1e-12, 'inference uses the moving averages');
});

test('BatchNormalization: gradients match finite differences in training and inference', () => {
  checkLayerGradients(new BatchNormalization({ dtype: 'float64' }), float64Input([5, 3]), { training: true });
  checkLayerGradients(new BatchNormalization({ axis: 1, dtype: 'float64' }), float64Input([2, 3, 2, 2]), { training: true });
  checkLayerGradients(new BatchNormalization({ dtype: 'float64' }), float64Input([4, 2]));
});
