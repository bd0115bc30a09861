// @every-backend: test/backends.test.ts runs this file again on each backend that loads.
/** Forward values against hand-computed cases. Gradients are checked in test/gradients.test.ts. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import './tensor-methods.js';
import * as ops from './index.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';

function close(t: Tensor, expected: number[] | number, tol = 1e-5): void {
  const got = Array.from(t.data());
  const want = typeof expected === 'number' ? [expected] : expected;
  assert.equal(got.length, want.length, `length ${got.length} vs ${want.length}`);
  got.forEach((v, i) => assert.ok(Math.abs(v - want[i]!) <= tol * Math.max(1, Math.abs(want[i]!)), `[${i}] ${v} vs ${want[i]}`));
}

describe('elementwise', () => {
  test('broadcasting arithmetic', () => {
    const a = tensor([[1, 2, 3], [4, 5, 6]]);
    assert.deepEqual(a.add([10, 20, 30]).toArray(), [[11, 22, 33], [14, 25, 36]]);
    assert.deepEqual(a.sub([[1], [2]]).toArray(), [[0, 1, 2], [2, 3, 4]]);
    assert.deepEqual(a.mul(2).toArray(), [[2, 4, 6], [8, 10, 12]]);
    assert.deepEqual(tensor([1, 4]).div(tensor([2, 8])).toArray(), [0.5, 0.5]);
    assert.deepEqual(ops.add(tensor([[1], [2]]), tensor([10, 20])).shape, [2, 2]);
    assert.deepEqual(tensor([2, 3]).pow(2).toArray(), [4, 9]);
    assert.deepEqual(ops.maximum([1, 5], [3, 2]).toArray(), [3, 5]);
    assert.deepEqual(ops.minimum([1, 5], 2).toArray(), [1, 2]);
    assert.deepEqual(ops.squaredDifference([1, 5], [3, 2]).toArray(), [4, 9]);
  });

  test('unary maths and activations', () => {
    close(ops.exp([0, 1]), [1, Math.E]);
    close(ops.log([1, Math.E]), [0, 1]);
    close(ops.log1p([0]), [0]);
    close(ops.sqrt([4, 9]), [2, 3]);
    close(ops.rsqrt([4]), [0.5]);
    close(ops.abs([-2, 3]), [2, 3]);
    close(ops.sign([-2, 0, 3]), [-1, 0, 1]);
    close(ops.reciprocal([4]), [0.25]);
    close(ops.relu([-1, 2]), [0, 2]);
    close(ops.leakyRelu([-1, 2], 0.1), [-0.1, 2]);
    close(ops.elu([-1, 2]), [Math.expm1(-1), 2]);
    close(ops.selu([-1, 2]), [1.0507009873554805 * 1.6732632423543772 * Math.expm1(-1), 2 * 1.0507009873554805]);
    close(ops.gelu([-1, 0, 1]), [-0.15865525, 0, 0.84134475]);
    close(ops.sigmoid([0, 100, -100]), [0.5, 1, 0]);
    close(ops.tanh([0, 0.5]), [0, Math.tanh(0.5)]);
    close(ops.softplus([0, 100, -100]), [Math.LN2, 100, 0]);
    close(ops.round([0.5, 1.5, 2.5, -0.5]), [0, 2, 2, -0]);
    close(ops.floor([-1.5, 1.5]), [-2, 1]);
    close(ops.ceil([-1.5, 1.5]), [-1, 2]);
    close(ops.clip([-3, 0.5, 3], -1, 1), [-1, 0.5, 1]);
  });

  test('comparisons give bool tensors and where selects', () => {
    const c = ops.greater([1, 2, 3], 2);
    assert.equal(c.dtype, 'bool');
    assert.deepEqual(c.toArray(), [false, false, true]);
    assert.deepEqual(ops.lessEqual([1, 2, 3], 2).toArray(), [true, true, false]);
    assert.deepEqual(ops.equal([1, 2], [1, 3]).toArray(), [true, false]);
    assert.deepEqual(ops.notEqual([1, 2], [1, 3]).toArray(), [false, true]);
    assert.deepEqual(ops.logicalAnd([1, 1, 0], [1, 0, 0]).toArray(), [true, false, false]);
    assert.deepEqual(ops.logicalOr([1, 1, 0], [1, 0, 0]).toArray(), [true, true, false]);
    assert.deepEqual(ops.logicalNot([true, false]).toArray(), [false, true]);
    assert.deepEqual(ops.where(c, [10, 20, 30], 0).toArray(), [0, 0, 30]);
  });

  test('dtype promotion: int32 with float gives float32, float64 stays float64', () => {
    assert.equal(ops.add(tensor([1], { dtype: 'int32' }), 0.5).dtype, 'float32');
    assert.deepEqual(ops.add(tensor([1], { dtype: 'int32' }), 0.5).toArray(), [1.5]);
    assert.equal(ops.mul(tensor([1], { dtype: 'float64' }), 2).dtype, 'float64');
    assert.equal(ops.add(tensor([1], { dtype: 'int32' }), tensor([2], { dtype: 'int32' })).dtype, 'int32');
    assert.deepEqual(ops.cast([1.7, -1.7], 'int32').toArray(), [1, -1]);
  });
});

describe('reductions', () => {
  const x = tensor([[1, 2, 3], [4, 5, 6]]);
  test('over any axes, with keepDims', () => {
    close(x.sum(), 21);
    assert.deepEqual(x.sum(0).toArray(), [5, 7, 9]);
    assert.deepEqual(x.sum(1, { keepDims: true }).toArray(), [[6], [15]]);
    assert.deepEqual(x.mean(-1).toArray(), [2, 5]);
    assert.deepEqual(x.max(0).toArray(), [4, 5, 6]);
    assert.deepEqual(x.min(1).toArray(), [1, 4]);
    assert.deepEqual(x.prod(1).toArray(), [6, 120]);
    assert.deepEqual(tensor([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]).sum([0, 2]).toArray(), [14, 22]);
    close(x.variance(), 35 / 12);
    close(x.variance(0), [2.25, 2.25, 2.25]);
  });
  test('argmax and argmin pick the first of ties', () => {
    assert.deepEqual(ops.argmax([[1, 3, 3], [7, 0, 7]]).toArray(), [1, 0]);
    assert.deepEqual(ops.argmin([[1, 3], [0, 7]], 0).toArray(), [1, 0]);
    assert.equal(ops.argmax([1, 2]).dtype, 'int32');
  });
  test('logSumExp is stable for large and -Infinity inputs', () => {
    close(ops.logSumExp([1000, 1000]), 1000 + Math.LN2);
    close(ops.logSumExp([-1000, -1000]), -1000 + Math.LN2);
    assert.equal(ops.logSumExp([-Infinity, -Infinity]).item(), -Infinity);
  });
});

describe('shape ops', () => {
  const x = tensor([[1, 2, 3], [4, 5, 6]]);
  test('reshape, transpose, expandDims, squeeze', () => {
    assert.deepEqual(x.reshape([3, -1]).toArray(), [[1, 2], [3, 4], [5, 6]]);
    assert.deepEqual(x.transpose().toArray(), [[1, 4], [2, 5], [3, 6]]);
    assert.deepEqual(ops.transpose(tensor([[[1, 2]], [[3, 4]]]), [2, 0, 1]).toArray(), [[[1], [3]], [[2], [4]]]);
    assert.deepEqual(x.expandDims(1).shape, [2, 1, 3]);
    assert.deepEqual(x.expandDims(-1).shape, [2, 3, 1]);
    assert.deepEqual(tensor([[[1], [2]]]).squeeze().shape, [2]);
  });
  test('slice, pad, concat, stack, gather, broadcastTo, oneHot', () => {
    assert.deepEqual(x.slice([0, 1], [2, 2]).toArray(), [[2, 3], [5, 6]]);
    assert.deepEqual(x.slice([1, 0]).toArray(), [[4, 5, 6]]);
    assert.deepEqual(tensor([1, 2]).pad([[1, 2]], 9).toArray(), [9, 1, 2, 9, 9]);
    assert.deepEqual(ops.concat([x, tensor([[7], [8]])], 1).toArray(), [[1, 2, 3, 7], [4, 5, 6, 8]]);
    assert.deepEqual(ops.concat([tensor([1]), tensor([2, 3])]).toArray(), [1, 2, 3]);
    assert.deepEqual(ops.stack([tensor([1, 2]), tensor([3, 4])], 1).toArray(), [[1, 3], [2, 4]]);
    assert.deepEqual(x.gather([2, 0], 1).toArray(), [[3, 1], [6, 4]]);
    assert.deepEqual(x.gather([1, 1]).toArray(), [[4, 5, 6], [4, 5, 6]]);
    assert.deepEqual(tensor([1, 2]).broadcastTo([2, 2]).toArray(), [[1, 2], [1, 2]]);
    assert.deepEqual(ops.oneHot([0, 2], 3).toArray(), [[1, 0, 0], [0, 0, 1]]);
  });
});

describe('linear algebra', () => {
  test('matmul: 2-D, transposes, batched and broadcast batch', () => {
    const a = tensor([[1, 2], [3, 4]]);
    const b = tensor([[5, 6], [7, 8]]);
    assert.deepEqual(a.matmul(b).toArray(), [[19, 22], [43, 50]]);
    assert.deepEqual(ops.matmul(a, b, { transposeA: true }).toArray(), [[26, 30], [38, 44]]);
    assert.deepEqual(ops.matmul(a, b, { transposeB: true }).toArray(), [[17, 23], [39, 53]]);
    assert.deepEqual(ops.matmul(ops.stack([a, b]), a).toArray(), [[[7, 10], [15, 22]], [[23, 34], [31, 46]]]);
    assert.deepEqual(ops.matmul(tensor([[1, 0, 0]]), tensor([[1], [2], [3]])).toArray(), [[1]]);
  });
  test('linear fuses bias and activation', () => {
    const y = ops.linear([[1, -1]], [[1, 2], [3, 4]], { bias: [0.5, 0], activation: 'relu' });
    assert.deepEqual(y.toArray(), [[0, 0]]);
    const z = ops.linear([[2, 1]], [[1, 2], [3, 4]], { bias: [0.5, 0] });
    assert.deepEqual(z.toArray(), [[5.5, 8]]);
  });
});

describe('convolution and pooling (NHWC)', () => {
  test('conv2d valid and same, with a hand-computed 3x3 example', () => {
    // 3x3 image 1..9, 2x2 filter of ones: each output is the sum of a 2x2 window.
    const img = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], { shape: [1, 3, 3, 1] });
    const w = tensor([1, 1, 1, 1], { shape: [2, 2, 1, 1] });
    assert.deepEqual(ops.conv2d(img, w).reshape([-1]).toArray(), [12, 16, 24, 28]);
    // same: output 3x3, padding only at bottom/right (TensorFlow's convention).
    assert.deepEqual(ops.conv2d(img, w, { padding: 'same' }).reshape([-1]).toArray(), [12, 16, 9, 24, 28, 15, 15, 17, 9]);
    assert.deepEqual(ops.conv2d(img, w, { strides: 2, padding: 'same' }).reshape([-1]).toArray(), [12, 9, 15, 9]);
    assert.deepEqual(ops.conv2d(img, w, { dilations: 2 }).reshape([-1]).toArray(), [1 + 3 + 7 + 9]);
    assert.deepEqual(ops.conv2d(img, w, { bias: [-20], activation: 'relu' }).reshape([-1]).toArray(), [0, 0, 4, 8]);
  });
  test('conv2d mixes channels: [kH, kW, inC, outC] filters', () => {
    const img = tensor([[[[1, 2]]]]); // 1x1 image, 2 channels
    const w = tensor([[[[1, 0, 1], [0, 1, 1]]]]); // 1x1 kernel, 2 -> 3 channels
    assert.deepEqual(ops.conv2d(img, w).reshape([-1]).toArray(), [1, 2, 3]);
  });
  test('pooling', () => {
    const img = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16], { shape: [1, 4, 4, 1] });
    assert.deepEqual(ops.maxPool2d(img).reshape([-1]).toArray(), [6, 8, 14, 16]);
    assert.deepEqual(ops.avgPool2d(img).reshape([-1]).toArray(), [3.5, 5.5, 11.5, 13.5]);
    assert.deepEqual(ops.maxPool2d(img, { poolSize: 3, strides: 2, padding: 'same' }).reshape([-1]).toArray(), [11, 12, 15, 16]);
    // same-padded average divides by the number of real pixels in the window
    assert.deepEqual(ops.avgPool2d(img, { poolSize: 3, strides: 2, padding: 'same' }).reshape([-1]).toArray(), [6, 7.5, 12, 13.5]);
    assert.deepEqual(ops.globalAvgPool2d(img).toArray(), [[8.5]]);
    assert.deepEqual(ops.globalMaxPool2d(img).toArray(), [[16]]);
  });
});

describe('softmax and dropout', () => {
  test('softmax and logSoftmax are stable for ±1000', () => {
    close(ops.softmax([1000, 1000]), [0.5, 0.5]);
    close(ops.softmax([-1000, 0, 1000]), [0, 0, 1]);
    close(ops.logSoftmax([-1000, 0, 1000]), [-2000, -1000, 0]);
    close(ops.softmax([[1, 2], [3, 4]], 0), [0.11920292, 0.11920292, 0.88079708, 0.88079708]);
    close(ops.softmax([1, 2, 3]).sum(), 1);
  });

  test('layerNorm normalizes each row over the last axis, then scales and shifts it', () => {
    const rstd = 1 / Math.sqrt(1.25 + 1e-3); // row [1, 2, 3, 4]: mean 2.5, variance 1.25
    const y = ops.layerNorm([[1, 2, 3, 4], [2, 2, 2, 2]], [1, 2, 1, 0.5], [0, 1, 0, -1]);
    close(y, [-1.5 * rstd, -0.5 * rstd * 2 + 1, 0.5 * rstd, 1.5 * rstd * 0.5 - 1, 0, 1, 0, -1]);
    close(ops.layerNorm([[3, 5]], [1, 1], [0, 0], { epsilon: 0.5 }), [-1 / Math.sqrt(1.5), 1 / Math.sqrt(1.5)]);
    assert.throws(() => ops.layerNorm([[1, 2]], [1, 1, 1], [0, 0]), /layerNorm: argument 'gamma' expected shape \[2\] \(x's last axis\), received \[3\]/);
  });
});
