import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../ops/tensor-methods.js';
import { tensor } from '../tensor/creation.js';
import { Normalization } from './normalization.js';

const near = (a: number[][], b: number[][], tol = 1e-5) =>
  a.forEach((r, i) => r.forEach((v, j) => assert.ok(Math.abs(v - b[i]![j]!) <= tol, `[${i}][${j}] ${v} != ${b[i]![j]}`)));

test('Normalization: adapt learns per-feature statistics; outputs have mean 0 and variance 1', () => {
  const x = [[0, 255, 7], [128, 0, 7], [255, 255, 7], [64, 0, 7]];
  const layer = new Normalization();
  layer.adapt(x);
  const stats = layer.statistics!;
  assert.deepEqual(stats.mean, [111.75, 127.5, 7]);
  assert.equal(stats.count, 4);
  const y = layer.apply(tensor(x)).toArray() as number[][];
  for (const j of [0, 1]) {
    const col = y.map((r) => r[j]!);
    const m = col.reduce((s, v) => s + v, 0) / col.length;
    assert.ok(Math.abs(m) < 1e-5);
    assert.ok(Math.abs(col.reduce((s, v) => s + (v - m) ** 2, 0) / col.length - 1) < 1e-4);
  }
  assert.deepEqual(y.map((r) => r[2]), [0, 0, 0, 0], 'a constant feature becomes 0, not NaN');
});

test('Normalization: the statistics are non-trainable weights, so copying the weights copies the normalization', () => {
  const layer = new Normalization();
  layer.adapt([[1, 10], [3, 30]]);
  assert.equal(layer.countParams(), 2 + 2 + 1);
  assert.deepEqual(layer.trainableWeights, []);
  assert.deepEqual(layer.weights.map((w) => w.name.split('/')[1]), ['mean', 'variance', 'count']);
  const restored = new Normalization();
  restored.apply(tensor([[0, 0]]));
  restored.setWeights(layer.getWeights());
  near(restored.apply(tensor([[2, 40]])).toArray() as number[][], layer.apply(tensor([[2, 40]])).toArray() as number[][]);
  near(restored.apply(tensor([[2, 40]])).toArray() as number[][], [[0, 2]]);
});

test('Normalization: statistics given as options; clear errors', () => {
  const layer = new Normalization({ mean: [1, 2], variance: [4, 0.25] });
  near(layer.apply(tensor([[3, 3]])).toArray() as number[][], [[1, 2]]);
  assert.throws(() => new Normalization({ mean: [1] }), /give both options 'mean' and 'variance', or neither/);
  assert.throws(() => new Normalization({ mean: [1], variance: [-1] }), /option 'variance' expected non-negative values/);
  assert.throws(() => new Normalization({ mean: [1, 2], variance: [1, 1] }).apply(tensor([[1, 2, 3]])), /hold 2 features, but the input has 3/);
  assert.throws(() => new Normalization().adapt([[1, NaN], [2, NaN]]), /feature 1 of 2 is NaN in every sample/);
  const built = new Normalization();
  built.adapt([[1, 2]]);
  assert.throws(() => built.adapt([[1, 2, 3]]), /expected input with last dimension 2/);
});
