// @every-backend: test/backends.test.ts runs this file again on each backend that loads.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../ops/tensor-methods.js';
import { ones } from '../tensor/creation.js';
import { setSeed } from '../util/random.js';
import { Dropout } from './dropout.js';
import { checkLayerGradients, float64Input } from './testing.js';

test('Dropout: identity at inference, drops about `rate` and rescales in training', () => {
  const layer = new Dropout({ rate: 0.25 });
  const x = ones([100, 100]);
  assert.equal(layer.apply(x), x);
  setSeed(5);
  const y = layer.apply(x, { training: true }).data();
  const dropped = y.filter((v) => v === 0).length / y.length;
  assert.ok(Math.abs(dropped - 0.25) < 0.02, `dropped fraction ${dropped}`);
  assert.ok(y.every((v) => v === 0 || Math.abs(v - 1 / 0.75) < 1e-6));
  assert.equal(layer.countParams(), 0);
});

test('Dropout: the same seed gives the same mask; noiseShape drops whole feature maps', () => {
  const layer = new Dropout({ rate: 0.5, noiseShape: [null, 1, 1, null] });
  const x = ones([2, 3, 3, 4]);
  setSeed(1);
  const a = layer.apply(x, { training: true });
  setSeed(1);
  assert.deepEqual(layer.apply(x, { training: true }).toArray(), a.toArray());
  const maps = a.reshape([2, 9, 4]).transpose([0, 2, 1]).reshape([8, 9]).toArray() as number[][];
  for (const map of maps) assert.equal(new Set(map).size, 1, 'each feature map is kept or dropped as a whole');
});

test('Dropout: gradients match finite differences with a fixed mask', () => {
  checkLayerGradients(new Dropout({ rate: 0.3, dtype: 'float64' }), float64Input([3, 4]), { training: true });
  assert.throws(() => new Dropout({ rate: 1 }), /option 'rate' expected a number in \[0, 1\), received 1/);
});
