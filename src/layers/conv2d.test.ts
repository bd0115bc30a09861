// @every-backend: test/backends.test.ts runs this file again on each backend that loads.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../ops/tensor-methods.js';
import { conv2d } from '../ops/index.js';
import { zeros } from '../tensor/creation.js';
import { Conv2D } from './conv2d.js';
import { Input } from './input-layer.js';
import { checkLayerGradients, float64Input } from './testing.js';

test('Conv2D: output shape and parameter count (the seed convnet\'s first layer)', () => {
  const layer = new Conv2D({ filters: 32, kernelSize: 3, activation: 'relu' });
  assert.deepEqual(layer.apply(zeros([2, 28, 28, 1])).shape, [2, 26, 26, 32]);
  assert.equal(layer.countParams(), 3 * 3 * 1 * 32 + 32);
  assert.deepEqual(layer.weights[0]!.shape, [3, 3, 1, 32]);
});

test('Conv2D: strides, same padding and dilation in the output shape', () => {
  const shape = (options: Partial<ConstructorParameters<typeof Conv2D>[0]>) =>
    new Conv2D({ filters: 4, kernelSize: 3, ...options }).computeOutputShape([null, 10, 9, 2]);
  assert.deepEqual(shape({}), [null, 8, 7, 4]);
  assert.deepEqual(shape({ padding: 'same' }), [null, 10, 9, 4]);
  assert.deepEqual(shape({ strides: 2 }), [null, 4, 4, 4]);
  assert.deepEqual(shape({ strides: 2, padding: 'same' }), [null, 5, 5, 4]);
  assert.deepEqual(shape({ dilationRate: 2 }), [null, 6, 5, 4]);
  assert.deepEqual(new Conv2D({ filters: 4, kernelSize: [3, 1] }).computeOutputShape([null, null, 9, 2]), [null, null, 9, 4]);
});

test('Conv2D: computes the conv2d op with bias and activation', () => {
  const layer = new Conv2D({ filters: 3, kernelSize: 2, activation: 'sigmoid', dtype: 'float64' });
  const x = float64Input([2, 4, 5, 2]);
  const y = layer.apply(x);
  const [kernel, bias] = layer.weights as [typeof layer.weights[0], typeof layer.weights[0]];
  const expected = conv2d(x, kernel).add(bias).sigmoid();
  assert.ok(y.sub(expected).abs().max().item() < 1e-12);
});

test('Conv2D: weight and input gradients match finite differences', () => {
  checkLayerGradients(new Conv2D({ filters: 2, kernelSize: 2, activation: 'tanh', dtype: 'float64' }), float64Input([2, 4, 4, 2]));
  checkLayerGradients(
    new Conv2D({ filters: 2, kernelSize: 3, strides: 2, padding: 'same', activation: 'gelu', dtype: 'float64' }),
    float64Input([1, 5, 5, 1]),
  );
});

test('Conv2D: wrong input rank or channels are reported with the layer name', () => {
  const layer = new Conv2D({ filters: 2, kernelSize: 3, name: 'conv_check' });
  assert.throws(() => layer.apply(zeros([28, 28, 1])), /Conv2D 'conv_check': expected input of rank 4 \[batch, height, width, channels\], received shape \[28, 28, 1\]/);
  layer.apply(zeros([1, 8, 8, 3]));
  assert.throws(() => layer.apply(zeros([1, 8, 8, 1])), /Conv2D 'conv_check': expected input with last dimension 3, received shape \[1, 8, 8, 1\]/);
  assert.throws(() => new Conv2D({ filters: 2, kernelSize: 5 }).apply(Input({ shape: [3, 3, 1] })), /does not fit/);
});
