import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../ops/tensor-methods.js';
import { tensor } from '../tensor/creation.js';
import { GroupNormalization } from './group-normalization.js';
import { Input } from './input-layer.js';
import { assertConfigRoundTrip, checkLayerGradients, float64Input } from './testing.js';
import { UnitNormalization } from './unit-normalization.js';

test('GroupNormalization: statistics per sample over each group of channels and every position (by hand)', () => {
  // One sample, 2 positions, 4 channels in 2 groups: group 0 holds channels 0-1, group 1 channels 2-3.
  const x = tensor([[[1, 3, 10, 10], [5, 7, 10, 30]]], { dtype: 'float64' });
  const y = new GroupNormalization({ groups: 2, epsilon: 1e-12, dtype: 'float64' }).apply(x).toArray() as number[][][];
  const std0 = Math.sqrt(((1 - 4) ** 2 + (3 - 4) ** 2 + (5 - 4) ** 2 + (7 - 4) ** 2) / 4);
  const std1 = Math.sqrt((3 * 25 + 225) / 4);
  const expected = [[(1 - 4) / std0, (3 - 4) / std0, -5 / std1, -5 / std1], [(5 - 4) / std0, (7 - 4) / std0, -5 / std1, 15 / std1]];
  y[0]!.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - expected[i]![j]!) < 1e-9, `[${i}, ${j}] = ${v}, expected ${expected[i]![j]}`)));
});

test('GroupNormalization: weights per channel; groups must divide the channels', () => {
  const layer = new GroupNormalization({ groups: 4 });
  layer.apply(Input({ shape: [5, 5, 8] }));
  assert.deepEqual(layer.weights.map((w) => [w.name.split('/')[1], w.shape]), [['gamma', [8]], ['beta', [8]]]);
  assert.throws(() => new GroupNormalization({ groups: 3, name: 'gn_check' }).apply(Input({ shape: [4, 8] })), /GroupNormalization 'gn_check': option 'groups' \(3\) must divide the 8 channels/);
  assert.deepEqual(new GroupNormalization({ groups: 2, axis: 1, center: false }).apply(Input({ shape: [4, 3] })).shape, [null, 4, 3]);
});

test('UnitNormalization scales each sample to norm 1 along its axes', () => {
  const y = new UnitNormalization().apply(tensor([[3, 4], [0, 0]]));
  assert.deepEqual(y.toArray(), [[0.6, 0.8], [0, 0]].map((r) => r.map(Math.fround)));
  const both = new UnitNormalization({ axis: [1, 2] }).apply(tensor([[[1, 1], [1, 1]]])).data();
  assert.deepEqual(Array.from(both), [0.5, 0.5, 0.5, 0.5]);
});

test('gradients match finite differences', () => {
  checkLayerGradients(new GroupNormalization({ groups: 2, gammaInitializer: 'randomNormal', betaInitializer: 'randomNormal', dtype: 'float64' }), float64Input([2, 3, 4]));
  checkLayerGradients(new GroupNormalization({ groups: 3, axis: 1, dtype: 'float64' }), float64Input([2, 6, 2]));
  checkLayerGradients(new UnitNormalization({ dtype: 'float64' }), float64Input([3, 4]));
  checkLayerGradients(new UnitNormalization({ axis: [1, 2], dtype: 'float64' }), float64Input([2, 2, 3]));
});

test('configs round-trip', () => {
  const g = new GroupNormalization({ groups: 2, epsilon: 1e-5, scale: false, betaConstraint: 'maxNorm', gammaRegularizer: 'l2' });
  g.apply(Input({ shape: [4] }));
  assertConfigRoundTrip(g, [[null, 4]]);
  assertConfigRoundTrip(new UnitNormalization({ axis: [1, 2] }));
});
