// @every-backend: test/backends.test.ts runs this file again on each backend that loads.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../ops/tensor-methods.js';
import { tensor } from '../tensor/creation.js';
import { Dense } from './dense.js';
import { Input } from './input-layer.js';
import { checkLayerGradients, float64Input } from './testing.js';

test('Dense: output shape, parameter count and Keras default initializers', () => {
  const layer = new Dense({ units: 4 });
  const y = layer.apply(tensor([[1, 2, 3], [4, 5, 6]]));
  assert.deepEqual(y.shape, [2, 4]);
  assert.equal(layer.countParams(), 3 * 4 + 4);
  assert.deepEqual(layer.weights.map((w) => w.shape), [[3, 4], [4]]);
  assert.deepEqual(layer.weights[1]!.toArray(), [0, 0, 0, 0], 'biases start at zero');
  const limit = Math.sqrt(6 / (3 + 4));
  assert.ok((layer.weights[0]!.data() as Float32Array).every((v) => Math.abs(v) <= limit), 'glorot uniform kernel');
  assert.deepEqual(layer.computeOutputShape([null, 5, 3]), [null, 5, 4]);
});

test('Dense: computes activation(x @ kernel + bias), fused or not', () => {
  for (const activation of ['relu', 'softmax', 'gelu'] as const) {
    const layer = new Dense({ units: 3, activation, dtype: 'float64' });
    const x = float64Input([2, 5]);
    const y = layer.apply(x);
    const [kernel, bias] = layer.weights as [typeof layer.weights[0], typeof layer.weights[0]];
    const z = x.matmul(kernel).add(bias);
    const expected = activation === 'relu' ? z.relu() : activation === 'softmax' ? z.softmax() : z.gelu();
    const diff = y.sub(expected).abs().max().item();
    assert.ok(diff < 1e-12, `${activation}: max difference ${diff}`);
  }
});

test('Dense: weight and input gradients match finite differences', () => {
  checkLayerGradients(new Dense({ units: 3, activation: 'tanh', dtype: 'float64' }), float64Input([4, 5]));
  checkLayerGradients(new Dense({ units: 2, activation: 'softmax', useBias: false, dtype: 'float64' }), float64Input([3, 4]));
});

test('Dense: a wrong input size names the layer, the expected and the received shape', () => {
  const layer = new Dense({ units: 2, name: 'dense_check' });
  layer.apply(tensor([[1, 2, 3]]));
  assert.throws(() => layer.apply(tensor([[1, 2]])), /Dense 'dense_check': expected input with last dimension 3, received shape \[1, 2\]/);
  assert.throws(() => new Dense({ units: 0 }), /option 'units' expected a positive integer, received 0/);
});

test('Dense: applied to a symbolic tensor it builds and records the output shape', () => {
  const x = Input({ shape: [6] });
  const y = new Dense({ units: 2 }).apply(x);
  assert.deepEqual(y.shape, [null, 2]);
});
