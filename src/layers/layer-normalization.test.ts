import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../ops/tensor-methods.js';
import { tensor, zeros } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { ConfigReader } from './config.js';
import { LayerNormalization } from './layer-normalization.js';
import { checkLayerGradients, float64Input } from './testing.js';

/** Layer normalization written out over groups of `size` consecutive values (the normalized axes last). */
function byHand(values: readonly number[], size: number, epsilon: number, gamma: readonly number[], beta: readonly number[]): number[] {
  const out: number[] = [];
  for (let start = 0; start < values.length; start += size) {
    const row = values.slice(start, start + size);
    const mean = row.reduce((a, v) => a + v, 0) / size;
    const variance = row.reduce((a, v) => a + (v - mean) ** 2, 0) / size;
    row.forEach((v, i) => out.push(((v - mean) / Math.sqrt(variance + epsilon)) * gamma[i]! + beta[i]!));
  }
  return out;
}

function maxDiff(a: Tensor, b: readonly number[]): number {
  return Math.max(...[...a.data()].map((v, i) => Math.abs(v - b[i]!)));
}

test('LayerNormalization: each step normalized over its features, then scaled and shifted (float64, by hand)', () => {
  const layer = new LayerNormalization({ dtype: 'float64', gammaInitializer: 'randomNormal', betaInitializer: 'randomNormal' });
  const x = float64Input([2, 3, 5], 4, -3, 3);
  const y = layer.apply(x);
  assert.deepEqual(layer.weights.map((w) => w.shape), [[5], [5]]);
  const [gamma, beta] = layer.getWeights().map((w) => [...w.data()]) as [number[], number[]];
  assert.ok(maxDiff(y, byHand([...x.data()], 5, 1e-3, gamma, beta)) < 1e-12);
});

test('LayerNormalization: several axes, an axis not last, and without center and scale', () => {
  const x = float64Input([2, 3, 4], 5, -2, 2);
  // axes [1, 2]: each sample as one group of 12.
  const both = new LayerNormalization({ axis: [1, 2], epsilon: 1e-5, dtype: 'float64' });
  assert.ok(maxDiff(both.apply(x), byHand([...x.data()], 12, 1e-5, Array(12).fill(1), Array(12).fill(0))) < 1e-12);
  assert.deepEqual(both.weights.map((w) => w.shape), [[3, 4], [3, 4]]);
  // axis 1: normalized over the 3 steps, per feature; compare with the transposed input normalized last.
  const middle = new LayerNormalization({ axis: 1, center: false, scale: false, dtype: 'float64' });
  assert.equal(middle.weights.length, 0);
  const expected = byHand([...x.transpose([0, 2, 1]).data()], 3, 1e-3, [1, 1, 1], [0, 0, 0]);
  assert.ok(maxDiff(middle.apply(x).transpose([0, 2, 1]), expected) < 1e-12);
  // A constant row normalizes to beta, not NaN.
  assert.deepEqual(new LayerNormalization().apply(tensor([[2, 2, 2]])).toArray(), [[0, 0, 0]]);
});

test('LayerNormalization: weight and input gradients match finite differences', () => {
  checkLayerGradients(new LayerNormalization({ dtype: 'float64', gammaInitializer: 'randomNormal', betaInitializer: 'randomNormal' }), float64Input([2, 3, 4]));
  checkLayerGradients(new LayerNormalization({ axis: [-2, -1], dtype: 'float64', gammaInitializer: 'randomNormal' }), float64Input([2, 3, 2]));
  checkLayerGradients(new LayerNormalization({ axis: 1, dtype: 'float64', center: false }), float64Input([2, 3, 2]));
});

test('LayerNormalization: bad options and shapes name the layer and the argument', () => {
  assert.throws(() => new LayerNormalization({ epsilon: 0 }), /LayerNormalization.*epsilon/);
  assert.throws(() => new LayerNormalization({ gamma_initializer: 'ones' } as never), /LayerNormalization.*gamma_initializer/);
  assert.throws(() => new LayerNormalization({ axis: 3, name: 'ln' }).apply(zeros([2, 3])), /LayerNormalization 'ln'.*axis/);
  assert.throws(() => new LayerNormalization({ axis: 0 }).apply(zeros([2, 3])), /LayerNormalization.*batch axis/);
  assert.throws(() => new LayerNormalization({ axis: [1, -1] }).apply(zeros([2, 3])), /LayerNormalization '.*': option 'axis' names an axis twice/);
  const layer = new LayerNormalization({ name: 'ln' });
  layer.apply(zeros([2, 4]));
  assert.throws(() => layer.apply(zeros([2, 5])), /LayerNormalization 'ln'/);
});

test('LayerNormalization: its Keras config reads back; Keras 3 RMS scaling is refused by name', () => {
  const config = new LayerNormalization({ axis: [1, 2], epsilon: 1e-6, center: false }).getConfig();
  assert.deepEqual(LayerNormalization.fromConfig(new ConfigReader(config, 'ln')).getConfig(), config);
  assert.throws(() => LayerNormalization.fromConfig(new ConfigReader({ ...config, rms_scaling: true }, 'ln')), /rms_scaling/);
});
