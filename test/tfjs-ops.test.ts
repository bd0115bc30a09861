// @every-backend: test/backends.test.ts runs this file again on each backend that loads.
/**
 * The convolution, pooling and resizing ops behind the catalogue's layers, against TensorFlow.js 4.22's
 * own ops on the same random inputs (an implementation independent of ours): transposed, depthwise and
 * 3-D convolutions, 3-D pooling and bilinear resizing with half-pixel centers.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import * as ops from '../src/ops/index.js';
import { randomUniform } from '../src/tensor/creation.js';
import { valueAndGrad } from '../src/tensor/tape.js';
import type { Tensor } from '../src/tensor/tensor.js';
import { setSeed } from '../src/util/random.js';

const TOLERANCE = 1e-4;

function random(shape: number[], seed: number): Tensor {
  setSeed(seed);
  return randomUniform(shape, { minval: -1, maxval: 1 });
}

const tfjs = (t: Tensor) => tf.tensor(t.data() as Float32Array, [...t.shape]);

function assertClose(ours: Tensor, theirs: tf.Tensor, what: string): void {
  assert.deepEqual([...ours.shape], theirs.shape, `${what}: shape`);
  const a = ours.data(), b = theirs.dataSync();
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  assert.ok(worst < TOLERANCE, `${what}: largest difference ${worst}`);
}

describe('ops against TensorFlow.js 4.22', () => {
  test('conv2dTranspose: valid and same, strides, Keras output sizes', () => {
    const cases: [number[], number[], [number, number], 'valid' | 'same'][] = [
      [[2, 4, 5, 3], [3, 3, 4, 3], [1, 1], 'valid'],
      [[1, 4, 5, 2], [3, 3, 3, 2], [2, 2], 'same'],
      [[1, 3, 4, 2], [2, 3, 1, 2], [2, 3], 'valid'],
      [[2, 5, 3, 1], [4, 4, 2, 1], [3, 2], 'same'],
    ];
    cases.forEach(([xs, ws, strides, padding], i) => {
      const x = random(xs, i), w = random(ws, 10 + i);
      const y = ops.conv2dTranspose(x, w, { strides, padding });
      const theirs = tf.conv2dTranspose(tfjs(x) as tf.Tensor4D, tfjs(w) as tf.Tensor4D, [xs[0]!, y.shape[1]!, y.shape[2]!, ws[2]!], strides, padding);
      assertClose(y, theirs, `case ${i}`);
    });
  });

  test('conv2dTranspose with outputPadding gives the size PyTorch gives and TensorFlow computes for it', () => {
    const x = random([1, 3, 3, 2], 1), w = random([3, 3, 2, 2], 2);
    const y = ops.conv2dTranspose(x, w, { strides: 2, padding: 'same', outputPadding: 1 });
    assert.deepEqual(y.shape, [1, 6, 6, 2]);
    assertClose(y, tf.conv2dTranspose(tfjs(x) as tf.Tensor4D, tfjs(w) as tf.Tensor4D, [1, 6, 6, 2], 2, 'same'), 'outputPadding 1');
  });

  test('depthwiseConv2d: multipliers, strides, dilation', () => {
    const cases: [number[], number[], [number, number], 'valid' | 'same', [number, number]][] = [
      [[2, 6, 5, 3], [3, 3, 3, 1], [1, 1], 'same', [1, 1]],
      [[1, 7, 7, 4], [3, 3, 4, 2], [2, 2], 'same', [1, 1]],
      [[1, 6, 7, 2], [2, 3, 2, 3], [1, 2], 'valid', [1, 1]],
      [[1, 7, 6, 2], [3, 2, 2, 1], [1, 1], 'same', [2, 2]],
    ];
    cases.forEach(([xs, ws, strides, padding, dilations], i) => {
      const x = random(xs, i), w = random(ws, 10 + i);
      const theirs = tf.depthwiseConv2d(tfjs(x) as tf.Tensor4D, tfjs(w) as tf.Tensor4D, strides, padding, 'NHWC', dilations);
      assertClose(ops.depthwiseConv2d(x, w, { strides, padding, dilations }), theirs, `case ${i}`);
    });
  });

  test('conv2d with groups equals the per-group convolutions TensorFlow.js computes', () => {
    const x = random([2, 5, 5, 6], 1), w = random([3, 3, 2, 9], 2);
    const y = ops.conv2d(x, w, { groups: 3, padding: 'same', strides: 2 });
    const parts = [0, 1, 2].map((g) =>
      tf.conv2d(tfjs(x).slice([0, 0, 0, 2 * g], [-1, -1, -1, 2]) as tf.Tensor4D, tfjs(w).slice([0, 0, 0, 3 * g], [-1, -1, -1, 3]) as tf.Tensor4D, 2, 'same'),
    );
    assertClose(y, tf.concat(parts, 3), 'groups 3');
  });

  test('conv3d and conv3dTranspose', () => {
    const cases: [number[], number[], [number, number, number], 'valid' | 'same'][] = [
      [[2, 4, 5, 3, 2], [2, 3, 2, 2, 3], [1, 1, 1], 'valid'],
      [[1, 5, 4, 6, 2], [3, 3, 3, 2, 2], [2, 1, 2], 'same'],
      [[1, 3, 3, 3, 1], [2, 2, 2, 1, 2], [2, 2, 2], 'valid'],
    ];
    cases.forEach(([xs, ws, strides, padding], i) => {
      const x = random(xs, i), w = random(ws, 10 + i);
      assertClose(ops.conv3d(x, w, { strides, padding }), tf.conv3d(tfjs(x) as tf.Tensor5D, tfjs(w) as tf.Tensor5D, strides, padding), `conv3d case ${i}`);
      const wt = random([ws[0]!, ws[1]!, ws[2]!, 3, xs[4]!], 20 + i);
      const y = ops.conv3dTranspose(x, wt, { strides, padding });
      const theirs = tf.conv3dTranspose(tfjs(x) as tf.Tensor5D, tfjs(wt) as tf.Tensor5D, [xs[0]!, y.shape[1]!, y.shape[2]!, y.shape[3]!, 3], strides, padding);
      assertClose(y, theirs, `conv3dTranspose case ${i}`);
    });
  });

  test('maxPool3d and avgPool3d (padding left out of the average)', () => {
    const cases: [number[], [number, number, number], [number, number, number], 'valid' | 'same'][] = [
      [[2, 4, 4, 4, 3], [2, 2, 2], [2, 2, 2], 'valid'],
      [[1, 5, 4, 6, 2], [3, 2, 3], [2, 1, 2], 'same'],
      [[1, 3, 5, 4, 1], [2, 3, 2], [1, 2, 1], 'same'],
    ];
    cases.forEach(([xs, poolSize, strides, padding], i) => {
      const x = random(xs, i);
      assertClose(ops.maxPool3d(x, { poolSize, strides, padding }), tf.maxPool3d(tfjs(x) as tf.Tensor5D, poolSize, strides, padding), `maxPool3d case ${i}`);
      assertClose(ops.avgPool3d(x, { poolSize, strides, padding }), tf.avgPool3d(tfjs(x) as tf.Tensor5D, poolSize, strides, padding), `avgPool3d case ${i}`);
    });
  });

  test('upSampling2d: nearest is resizeNearestNeighbor, bilinear is resizeBilinear with half-pixel centers', () => {
    const x = random([2, 3, 4, 2], 5);
    assertClose(ops.upSampling2d(x, [2, 3]), tf.image.resizeNearestNeighbor(tfjs(x) as tf.Tensor4D, [6, 12]), 'nearest');
    assertClose(ops.upSampling2d(x, [3, 2], { interpolation: 'bilinear' }), tf.image.resizeBilinear(tfjs(x) as tf.Tensor4D, [9, 8], false, true), 'bilinear');
  });

  test('the depthwise and upsampling kernels agree with their composed forms, values and gradients, on the active backend', () => {
    const x = random([3, 9, 8, 6], 31), w = random([3, 3, 6, 2], 32);
    const project = (y: Tensor, seed: number) => ops.sum(ops.mul(y, random([...y.shape], seed)));
    const pairs: [string, (a: Tensor, b: Tensor) => Tensor, (a: Tensor, b: Tensor) => Tensor][] = [
      ['depthwiseConv2d', (a, b) => ops.depthwiseConv2d(a, b, { strides: 2, padding: 'same' }), (a, b) => ops.depthwiseConv2dComposed(a, b, { strides: 2, padding: 'same' })],
      ['upSampling2d nearest', (a) => ops.upSampling2d(a, [2, 3]), (a) => ops.upSampling2dComposed(a, [2, 3])],
      ['upSampling2d bilinear', (a) => ops.upSampling2d(a, [3, 2], { interpolation: 'bilinear' }), (a) => ops.upSampling2dComposed(a, [3, 2], { interpolation: 'bilinear' })],
    ];
    for (const [name, kernel, composed] of pairs) {
      const a = valueAndGrad((p: Tensor, q: Tensor) => project(kernel(p, q), 33))(x, w);
      const b = valueAndGrad((p: Tensor, q: Tensor) => project(composed(p, q), 33))(x, w);
      assert.ok(Math.abs(a.value.item() - b.value.item()) < 1e-3, `${name}: ${a.value.item()} vs ${b.value.item()}`);
      a.grads.forEach((g, i) => assertClose(g, tf.tensor(b.grads[i]!.data() as Float32Array, [...b.grads[i]!.shape]), `${name} gradient ${i}`));
    }
  });
});
