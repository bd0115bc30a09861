// @every-backend: test/backends.test.ts runs this file again on each backend that loads.
/**
 * The convolution layers beside Conv2D: shapes, the maths against the ops they stand for (the ops are
 * checked against TensorFlow.js in test/tfjs-ops.test.ts), gradients against finite differences, saved
 * configs, and option errors.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import '../ops/tensor-methods.js';
import { conv2d, conv2dTranspose, conv3d, conv3dTranspose, depthwiseConv2d } from '../ops/index.js';
import { zeros } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { Conv2D } from './conv2d.js';
import { Conv2DTranspose } from './conv2d-transpose.js';
import { Conv3D } from './conv3d.js';
import { Conv3DTranspose } from './conv3d-transpose.js';
import { DepthwiseConv2D } from './depthwise-conv2d.js';
import { Input } from './input-layer.js';
import { SeparableConv2D } from './separable-conv2d.js';
import { assertConfigRoundTrip, checkLayerGradients, float64Input, weightsOf } from './testing.js';

const close = (a: Tensor, b: Tensor) => assert.ok(a.sub(b).abs().max().item() < 1e-12, 'same values');

describe('Conv2DTranspose', () => {
  test('output sizes as Keras computes them (valid, same, strides, outputPadding, dilation)', () => {
    const shape = (o: Partial<ConstructorParameters<typeof Conv2DTranspose>[0]>) => new Conv2DTranspose({ filters: 4, kernelSize: 3, ...o }).computeOutputShape([null, 5, 7, 2]);
    assert.deepEqual(shape({}), [null, 7, 9, 4]);
    assert.deepEqual(shape({ strides: 2, padding: 'same' }), [null, 10, 14, 4]);
    assert.deepEqual(shape({ strides: 2 }), [null, 11, 15, 4]);
    assert.deepEqual(shape({ strides: 2, padding: 'same', outputPadding: [1, 0] }), [null, 10, 13, 4]);
    assert.deepEqual(shape({ dilationRate: 2 }), [null, 9, 11, 4]);
    assert.deepEqual(new Conv2DTranspose({ filters: 1, kernelSize: 2, strides: 3 }).computeOutputShape([null, null, 4, 1]), [null, null, 12, 1]);
  });

  test('kernel [kH, kW, filters, channels]; computes conv2dTranspose, bias and activation', () => {
    const layer = new Conv2DTranspose({ filters: 3, kernelSize: [2, 3], strides: 2, padding: 'same', activation: 'tanh', dtype: 'float64' });
    const x = float64Input([2, 3, 4, 2]);
    const y = layer.apply(x);
    const [kernel, bias] = weightsOf(layer);
    assert.deepEqual(kernel.shape, [2, 3, 3, 2]);
    close(y, conv2dTranspose(x, kernel, { strides: 2, padding: 'same' }).add(bias).tanh());
    assert.deepEqual(y.shape, layer.computeOutputShape([null, 3, 4, 2]).map((d, i) => d ?? x.shape[i]));
  });

  test('gradients of the input, kernel and bias match finite differences', () => {
    checkLayerGradients(new Conv2DTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same', activation: 'sigmoid', dtype: 'float64' }), float64Input([1, 3, 2, 2]));
    checkLayerGradients(new Conv2DTranspose({ filters: 1, kernelSize: 2, strides: [1, 2], outputPadding: [0, 1], dtype: 'float64' }), float64Input([2, 2, 3, 1]));
  });

  test('saves and reads its config; options are checked', () => {
    const layer = new Conv2DTranspose({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', outputPadding: 1, kernelConstraint: 'maxNorm' });
    layer.apply(zeros([1, 4, 4, 2]));
    assertConfigRoundTrip(layer, [[null, 4, 4, 2]]);
    assert.throws(() => new Conv2DTranspose({ filters: 3, kernelSize: 3, strides: 2, outputPadding: 2 }).apply(zeros([1, 4, 4, 1])), /outputPadding.*smaller than the strides/);
    assert.throws(() => new Conv2DTranspose({ filters: 0, kernelSize: 3 }), /Conv2DTranspose 'conv2d_transpose.*': option 'filters' expected a positive integer, received 0/);
    // @ts-expect-error: a misspelt option
    assert.throws(() => new Conv2DTranspose({ filters: 1, kernelSize: 3, stride: 2 }), /unknown option 'stride' \(did you mean 'strides'\?\)/);
  });
});

describe('DepthwiseConv2D and SeparableConv2D', () => {
  test('DepthwiseConv2D: channels * depthMultiplier outputs; computes depthwiseConv2d, bias and activation', () => {
    const layer = new DepthwiseConv2D({ kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same', activation: 'relu6', dtype: 'float64' });
    const x = float64Input([2, 5, 6, 3]);
    const y = layer.apply(x);
    const [kernel, bias] = weightsOf(layer);
    assert.deepEqual([kernel.shape, bias.shape, y.shape], [[3, 3, 3, 2], [6], [2, 3, 3, 6]]);
    assert.equal(kernel.name, `${layer.name}/depthwise_kernel`);
    close(y, depthwiseConv2d(x, kernel, { strides: 2, padding: 'same' }).add(bias).clip(0, 6));
    assert.equal(layer.countParams(), 3 * 3 * 3 * 2 + 6);
  });

  test('SeparableConv2D: a depthwise then a 1x1 convolution, with the parameter count Keras gives', () => {
    const layer = new SeparableConv2D({ filters: 4, kernelSize: 3, depthMultiplier: 2, padding: 'same', activation: 'relu', dtype: 'float64' });
    const x = float64Input([1, 4, 5, 3]);
    const y = layer.apply(x);
    const [depthwise, pointwise, bias] = weightsOf(layer);
    assert.deepEqual([depthwise.shape, pointwise.shape, bias.shape], [[3, 3, 3, 2], [1, 1, 6, 4], [4]]);
    close(y, conv2d(depthwiseConv2d(x, depthwise, { padding: 'same' }), pointwise).add(bias).relu());
    assert.equal(layer.countParams(), 3 * 3 * 3 * 2 + 6 * 4 + 4);
  });

  test('gradients match finite differences', () => {
    checkLayerGradients(new DepthwiseConv2D({ kernelSize: [3, 2], depthMultiplier: 2, padding: 'same', activation: 'tanh', dtype: 'float64' }), float64Input([1, 4, 3, 2]));
    checkLayerGradients(new SeparableConv2D({ filters: 2, kernelSize: 2, strides: 2, activation: 'gelu', dtype: 'float64' }), float64Input([2, 4, 4, 2]));
  });

  test('configs round-trip; the input must keep its channels', () => {
    const d = new DepthwiseConv2D({ kernelSize: 3, depthMultiplier: 3, dilationRate: 2, depthwiseConstraint: 'nonNeg', name: 'dw_check' });
    d.apply(zeros([1, 7, 7, 2]));
    assertConfigRoundTrip(d, [[null, 7, 7, 2]]);
    assert.throws(() => d.apply(zeros([1, 7, 7, 3])), /DepthwiseConv2D 'dw_check': expected input with last dimension 2/);
    const s = new SeparableConv2D({ filters: 5, kernelSize: 3, pointwiseInitializer: 'heNormal', depthwiseRegularizer: 'l2' });
    s.apply(zeros([1, 5, 5, 2]));
    assertConfigRoundTrip(s, [[null, 5, 5, 2]]);
  });
});

describe('Conv2D groups', () => {
  test('the kernel is [kH, kW, channels / groups, filters]; each group of filters sees its group of channels', () => {
    const layer = new Conv2D({ filters: 6, kernelSize: 3, groups: 3, padding: 'same', dtype: 'float64' });
    const x = float64Input([2, 4, 4, 6]);
    const y = layer.apply(x);
    const [kernel, bias] = weightsOf(layer);
    assert.deepEqual(kernel.shape, [3, 3, 2, 6]);
    for (let g = 0; g < 3; g++) {
      const part = conv2d(x.slice([0, 0, 0, 2 * g], [-1, -1, -1, 2]), kernel.slice([0, 0, 0, 2 * g], [-1, -1, -1, 2]), { padding: 'same' }).add(bias.slice([2 * g], [2]));
      close(y.slice([0, 0, 0, 2 * g], [-1, -1, -1, 2]), part);
    }
    checkLayerGradients(new Conv2D({ filters: 4, kernelSize: 2, groups: 2, activation: 'tanh', dtype: 'float64' }), float64Input([1, 3, 3, 4]));
    assertConfigRoundTrip(layer, [[null, 4, 4, 6]]);
  });

  test('filters and channels must divide by groups', () => {
    assert.throws(() => new Conv2D({ filters: 5, kernelSize: 3, groups: 2 }), /option 'filters' \(5\) must be divisible by option 'groups' \(2\)/);
    assert.throws(() => new Conv2D({ filters: 4, kernelSize: 3, groups: 2, name: 'g_check' }).apply(Input({ shape: [5, 5, 3] })), /Conv2D 'g_check': the input's 3 channels must be divisible by option 'groups' \(2\)/);
  });
});

describe('Conv3D and Conv3DTranspose', () => {
  test('shapes and maths', () => {
    const c = new Conv3D({ filters: 2, kernelSize: [2, 3, 2], strides: [1, 2, 1], padding: 'same', activation: 'elu', dtype: 'float64' });
    const x = float64Input([2, 3, 5, 4, 2]);
    const y = c.apply(x);
    assert.deepEqual(y.shape, [2, 3, 3, 4, 2]);
    assert.deepEqual(c.computeOutputShape([null, 3, 5, 4, 2]), [null, 3, 3, 4, 2]);
    const [k, b] = weightsOf(c);
    assert.deepEqual(k.shape, [2, 3, 2, 2, 2]);
    close(y, conv3d(x, k, { strides: [1, 2, 1], padding: 'same' }).add(b).elu());

    const t = new Conv3DTranspose({ filters: 3, kernelSize: 2, strides: 2, dtype: 'float64' });
    const z = t.apply(x);
    assert.deepEqual(z.shape, [2, 6, 10, 8, 3]);
    const [tk, tb] = weightsOf(t);
    assert.deepEqual(tk.shape, [2, 2, 2, 3, 2]);
    close(z, conv3dTranspose(x, tk, { strides: 2 }).add(tb));
  });

  test('gradients match finite differences', () => {
    checkLayerGradients(new Conv3D({ filters: 2, kernelSize: 2, padding: 'same', activation: 'tanh', dtype: 'float64' }), float64Input([1, 2, 3, 2, 2]));
    checkLayerGradients(new Conv3DTranspose({ filters: 1, kernelSize: [2, 1, 2], strides: [2, 1, 1], padding: 'same', dtype: 'float64' }), float64Input([1, 2, 2, 2, 2]));
  });

  test('configs round-trip; a 4-D input is refused by name', () => {
    const c = new Conv3D({ filters: 2, kernelSize: 3, name: 'c3_check' });
    assert.throws(() => c.apply(zeros([1, 4, 4, 2])), /Conv3D 'c3_check': expected input of rank 5/);
    c.apply(zeros([1, 4, 4, 4, 2]));
    assertConfigRoundTrip(c, [[null, 4, 4, 4, 2]]);
    const t = new Conv3DTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same', outputPadding: [1, 0, 1] });
    assert.deepEqual(t.apply(zeros([1, 2, 3, 2, 1])).shape, [1, 4, 5, 4, 2]);
    assertConfigRoundTrip(t, [[null, 2, 3, 2, 1]]);
  });
});
