/** The regularization layers that act only in training: dropout of feature maps, noise, and the activity penalty. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../ops/tensor-methods.js';
import { fill, randomNormal } from '../tensor/creation.js';
import { setSeed } from '../util/random.js';
import { ActivityRegularization } from './activity-regularization.js';
import { AlphaDropout } from './alpha-dropout.js';
import { GaussianDropout } from './gaussian-dropout.js';
import { GaussianNoise } from './gaussian-noise.js';
import { SpatialDropout1D, SpatialDropout2D, SpatialDropout3D } from './spatial-dropout.js';
import { assertConfigRoundTrip, checkLayerGradients, float64Input } from './testing.js';

function meanAndVariance(values: ArrayLike<number>): [number, number] {
  let m = 0;
  for (let i = 0; i < values.length; i++) m += values[i]!;
  m /= values.length;
  let v = 0;
  for (let i = 0; i < values.length; i++) v += (values[i]! - m) ** 2;
  return [m, v / values.length];
}

test('SpatialDropout drops whole channels: every value of a (sample, channel) pair is kept or dropped together', () => {
  setSeed(4);
  const y = new SpatialDropout2D({ rate: 0.5 }).apply(fill([8, 5, 6, 16], 1), { training: true });
  const data = y.data();
  let dropped = 0;
  for (let n = 0; n < 8; n++) {
    for (let c = 0; c < 16; c++) {
      const seen = new Set<number>();
      for (let i = 0; i < 30; i++) seen.add(data[(n * 30 + i) * 16 + c]!);
      assert.equal(seen.size, 1, 'one value per channel map');
      const [v] = seen;
      assert.ok(v === 0 || v === 2, `kept values are scaled by 1 / (1 - rate), received ${v}`);
      if (v === 0) dropped++;
    }
  }
  assert.ok(dropped > 30 && dropped < 98, `${dropped} of 128 maps dropped at rate 0.5`);
  assert.deepEqual(new SpatialDropout1D({ rate: 0.5 }).apply(fill([2, 3, 4], 1)).data(), fill([2, 3, 4], 1).data(), 'identity at inference');
  assert.throws(() => new SpatialDropout3D({ rate: 0.5, name: 'sd3' }).apply(fill([2, 3, 4], 1)), /SpatialDropout3D 'sd3': expected input of rank 5/);
  assert.throws(() => new SpatialDropout1D({ rate: 1 }), /option 'rate' expected a number in \[0, 1\), received 1/);
});

test('GaussianNoise adds noise of the given deviation; GaussianDropout multiplies by noise of mean 1 and variance rate / (1 - rate)', () => {
  setSeed(5);
  const [m, v] = meanAndVariance(new GaussianNoise({ stddev: 0.5 }).apply(fill([100000], 3), { training: true }).data());
  assert.ok(Math.abs(m - 3) < 0.01 && Math.abs(v - 0.25) < 0.01, `mean ${m}, variance ${v}`);
  const [m2, v2] = meanAndVariance(new GaussianDropout({ rate: 0.2 }).apply(fill([100000], 2), { training: true }).data());
  assert.ok(Math.abs(m2 - 2) < 0.01 && Math.abs(v2 - 4 * 0.25) < 0.02, `mean ${m2}, variance ${v2}`);
  assert.deepEqual(new GaussianNoise({ stddev: 1 }).apply(fill([3], 1)).data(), Float32Array.from([1, 1, 1]));
});

test('AlphaDropout keeps the mean and variance of standard normal inputs (what selu networks rely on)', () => {
  setSeed(6);
  const x = randomNormal([200000]);
  const [m, v] = meanAndVariance(new AlphaDropout({ rate: 0.3 }).apply(x, { training: true }).data());
  assert.ok(Math.abs(m) < 0.01 && Math.abs(v - 1) < 0.02, `mean ${m}, variance ${v}`);
  assert.deepEqual(new AlphaDropout({ rate: 0.3 }).apply(x).data(), x.data(), 'identity at inference');
});

test('ActivityRegularization adds l1 * sum|x| + l2 * sum x^2 of its input to the training loss', () => {
  const layer = new ActivityRegularization({ l1: 0.1, l2: 0.01 });
  const x = float64Input([2, 3], 2);
  layer.apply(x, { training: true });
  const [penalty] = layer.regularizationLosses();
  const expected = 0.1 * x.abs().sum().item() + 0.01 * x.square().sum().item();
  assert.ok(Math.abs(penalty!.item() - expected) < 1e-12);
  layer.clearActivityLosses();
  layer.apply(x);
  assert.equal(layer.regularizationLosses().length, 0, 'nothing at inference');
});

test('gradients in training mode match finite differences (the masks drawn from a fixed seed)', () => {
  const x = float64Input([2, 3, 4], 8);
  checkLayerGradients(new SpatialDropout1D({ rate: 0.4, dtype: 'float64' }), x, { training: true });
  checkLayerGradients(new GaussianNoise({ stddev: 0.3, dtype: 'float64' }), x, { training: true });
  checkLayerGradients(new GaussianDropout({ rate: 0.3, dtype: 'float64' }), x, { training: true });
  checkLayerGradients(new AlphaDropout({ rate: 0.3, dtype: 'float64' }), x, { training: true });
});

test('configs round-trip', () => {
  for (const layer of [
    new SpatialDropout1D({ rate: 0.1 }), new SpatialDropout2D({ rate: 0.2 }), new SpatialDropout3D({ rate: 0.3 }), new GaussianNoise({ stddev: 0.4 }),
    new GaussianDropout({ rate: 0.5 }), new AlphaDropout({ rate: 0.1, noiseShape: [null, 1, 4] }), new ActivityRegularization({ l1: 0.1, l2: 0.2 }),
  ]) {
    assertConfigRoundTrip(layer);
  }
});
