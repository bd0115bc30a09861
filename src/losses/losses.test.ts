// @every-backend: test/backends.test.ts runs this file again on each backend that loads.
/** Golden values from Keras's documented examples, or computed by hand where noted. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import '../ops/tensor-methods.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { valueAndGrad } from '../tensor/tape.js';
import { getLoss } from './lookup.js';
import {
  binaryCrossentropy, categoricalCrossentropy, huber, meanAbsoluteError, meanSquaredError, sparseCategoricalCrossentropy,
} from './losses.js';
import { computeLoss, reduceLoss } from './reduction.js';

function close(actual: Tensor | number[], expected: number[], tolerance = 1e-3): void {
  const values = Array.isArray(actual) ? actual : (actual.toArray() as number[]);
  assert.equal(values.length, expected.length);
  values.forEach((v, i) => assert.ok(Math.abs(v - expected[i]!) <= tolerance, `value ${i}: ${v} vs ${expected[i]}`));
}

const f64 = (v: number[][]): Tensor => tensor(v, { dtype: 'float64' });

describe('per-sample losses', () => {
  test('categoricalCrossentropy: Keras example [0.0513, 2.3026]', () => {
    close(categoricalCrossentropy(tensor([[0, 1, 0], [0, 0, 1]]), tensor([[0.05, 0.95, 0], [0.1, 0.8, 0.1]])), [0.0513, 2.3026]);
  });

  test('sparseCategoricalCrossentropy equals the one-hot version, labels [n] or [n, 1]', () => {
    const p = tensor([[0.05, 0.95, 0], [0.1, 0.8, 0.1]]);
    close(sparseCategoricalCrossentropy(tensor([1, 2]), p), [0.0513, 2.3026]);
    close(sparseCategoricalCrossentropy(tensor([[1], [2]]), p), [0.0513, 2.3026]);
  });

  test('fromLogits: -log softmax, exact for huge logits', () => {
    const logits = f64([[1, 2, 3]]);
    const expected = -(1 - Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)));
    close(categoricalCrossentropy(f64([[1, 0, 0]]), logits, { fromLogits: true }), [expected], 1e-12);
    close(categoricalCrossentropy(f64([[1, 0, 0], [0, 0, 1]]), f64([[1000, 0, -1000], [1000, 0, -1000]]), { fromLogits: true }), [0, 2000], 1e-9);
    close(sparseCategoricalCrossentropy(tensor([2]), f64([[1000, 0, -1000]]), { fromLogits: true }), [2000], 1e-9);
  });

  test('probabilities are clipped to [1e-7, 1 - 1e-7]; a row of zeros stays finite', () => {
    close(categoricalCrossentropy(tensor([[1, 0]]), tensor([[0, 1]])), [-Math.log(1e-7)], 1e-2);
    close(categoricalCrossentropy(tensor([[1, 0]]), tensor([[0, 0]])), [-Math.log(1e-7)], 1e-2);
    const { grads } = valueAndGrad((p) => categoricalCrossentropy(f64([[1, 0]]), p).sum())(f64([[0, 0]]));
    assert.ok((grads[0]!.data() as Float64Array).every(Number.isFinite), 'no NaN gradient from a dead output');
  });

  test('label smoothing mixes targets with the uniform distribution', () => {
    const p = f64([[0.7, 0.2, 0.1]]);
    const smoothed = categoricalCrossentropy(f64([[1, 0, 0]]), p, { labelSmoothing: 0.3 }).item();
    const expected = -((0.7 + 0.1) * Math.log(0.7) + 0.1 * Math.log(0.2) + 0.1 * Math.log(0.1));
    assert.ok(Math.abs(smoothed - expected) < 1e-12);
  });

  test('binaryCrossentropy: Keras example [0.916, 0.714]; logits agree with probabilities', () => {
    close(binaryCrossentropy(tensor([[0, 1], [0, 0]]), tensor([[0.6, 0.4], [0.4, 0.6]])), [0.9163, 0.7136]);
    const logits = f64([[0.3, -1.2], [2, 0.1]]);
    const y = f64([[0, 1], [1, 0]]);
    close(binaryCrossentropy(y, logits, { fromLogits: true }), binaryCrossentropy(y, logits.sigmoid()).toArray() as number[], 1e-9);
    close(binaryCrossentropy(f64([[1], [0]]), f64([[200], [-200]]), { fromLogits: true }), [0, 0], 1e-12);
    close(binaryCrossentropy(f64([[0]]), f64([[200]]), { fromLogits: true }), [200], 1e-9);
  });

  test('binary labels of shape [n] go with predictions of shape [n, 1]', () => {
    close(binaryCrossentropy(tensor([1, 0]), tensor([[0.9], [0.2]])), [-Math.log(0.9), -Math.log(0.8)], 1e-6);
  });

  test('meanSquaredError, meanAbsoluteError, huber: Keras examples', () => {
    const yTrue = tensor([[0, 1], [0, 0]]);
    close(meanSquaredError(yTrue, tensor([[1, 1], [1, 0]])), [0.5, 0.5]);
    close(meanAbsoluteError(yTrue, tensor([[1, 1], [1, 0]])), [0.5, 0.5]);
    const h = huber(yTrue, tensor([[0.6, 0.4], [0.4, 0.6]]));
    close(h, [0.18, 0.13]);
    close(huber(tensor([[0]]), tensor([[3]]), { delta: 1 }), [2.5], 1e-6);
  });

  test('shapes that do not match are rejected with both shapes named', () => {
    assert.throws(() => categoricalCrossentropy(tensor([[1, 0, 0]]), tensor([[0.5, 0.5]])), /labels of shape \[1, 3\] do not match predictions of shape \[1, 2\]/);
    assert.throws(() => sparseCategoricalCrossentropy(tensor([[0, 1]]), tensor([[0.5, 0.5]])), /expected integer labels of shape \[1\] for predictions of shape \[1, 2\], received \[1, 2\]/);
  });
});

describe('reduction', () => {
  test('the mean over the batch, or sum(loss * weight) / batch size', () => {
    assert.ok(Math.abs(reduceLoss(tensor([1, 2, 3])).item() - 2) < 1e-6);
    assert.ok(Math.abs(reduceLoss(tensor([1, 2, 3]), tensor([1, 0, 2])).item() - 7 / 3) < 1e-6);
    assert.throws(() => reduceLoss(tensor([1, 2, 3]), tensor([1, 0])), /argument 'sampleWeight' expected shape \[3\]/);
  });

  test('computeLoss: Keras example for the mean categorical cross-entropy (1.177)', () => {
    const loss = computeLoss(getLoss('categorical_crossentropy'), tensor([[0, 1, 0], [0, 0, 1]]), tensor([[0.05, 0.95, 0], [0.1, 0.8, 0.1]]));
    close([loss.item()], [1.177]);
  });
});

describe('names', () => {
  test('Keras snake_case, camelCase and short aliases', () => {
    assert.equal(getLoss('categorical_crossentropy').name, 'categorical_crossentropy');
    assert.equal(getLoss('sparseCategoricalCrossentropy').labels, 'sparse');
    assert.equal(getLoss('mse').name, 'mean_squared_error');
    assert.equal(getLoss('MAE').name, 'mean_absolute_error');
    const custom = getLoss(function pinball(yTrue: Tensor, yPred: Tensor) {
      return yTrue.sub(yPred).abs().mean(-1);
    });
    assert.equal(custom.name, 'pinball');
    assert.throws(() => getLoss('categorical_crossentropyy'), /argument 'loss' expected one of 'categoricalCrossentropy'.*received "categorical_crossentropyy"/);
  });
});
