/** Regression and IoU metrics against the examples of Keras's docstrings (Keras 3), and their checks. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import '../ops/tensor-methods.js';
import { tensor } from '../tensor/creation.js';
import { checkMetric, getMetric } from './index.js';
import { BinaryIoU, IoU, MeanIoU, OneHotIoU, OneHotMeanIoU } from './iou.js';
import type { Metric } from './metric.js';
import {
  CosineSimilarity, LogCoshError, MeanAbsoluteError, MeanAbsolutePercentageError, MeanSquaredError, MeanSquaredLogarithmicError, R2Score,
  RootMeanSquaredError, meanAbsoluteError, r2Score, rootMeanSquaredError,
} from './regression.js';

function near(actual: number, expected: number, tolerance = 1e-6): void {
  assert.ok(Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)), `${actual}, expected ${expected}`);
}

/** The Keras example pattern: update without and with sample weights [1, 0]. */
function keras(metric: Metric, plain: number, weighted: number): void {
  const t = tensor([[0, 1], [0, 0]]), p = tensor([[1, 1], [0, 0]]);
  metric.update(t, p);
  near(metric.result(), plain);
  metric.reset();
  metric.update(t, p, tensor([1, 0]));
  near(metric.result(), weighted);
}

describe('regression metrics (Keras docstring examples)', () => {
  test('MAE 0.25 / 0.5, MSE 0.25 / 0.5, RMSE 0.5 / 0.70710677', () => {
    keras(new MeanAbsoluteError(), 0.25, 0.5);
    keras(new MeanSquaredError(), 0.25, 0.5);
    keras(new RootMeanSquaredError(), 0.5, 0.70710677);
  });
  test('MAPE 250000000 / 500000000 (a zero target divides by 1e-7)', () => {
    keras(new MeanAbsolutePercentageError(), 250000000, 500000000);
  });
  test('MSLE 0.12011322 / 0.24022643, log-cosh 0.10844523 / 0.21689045', () => {
    keras(new MeanSquaredLogarithmicError(), 0.12011322, 0.24022643);
    keras(new LogCoshError(), 0.10844523, 0.21689045);
  });
  test('cosine similarity 0.49999997, weighted [0.3, 0.7] 0.6999999', () => {
    const m = new CosineSimilarity();
    const t = tensor([[0, 1], [1, 1]]), p = tensor([[1, 0], [1, 1]]);
    m.update(t, p);
    near(m.result(), 0.5);
    m.reset();
    m.update(t, p, tensor([0.3, 0.7]));
    near(m.result(), 0.7);
  });
  test('R² 0.57142854; adjusted R² by hand; a constant target as scikit-learn scores it', () => {
    const m = new R2Score();
    m.update(tensor([[1], [4], [3]]), tensor([[2], [4], [4]]));
    near(m.result(), 4 / 7, 1e-12);
    // 1 - (1 - 4/7)(n - 1)/(n - p - 1) with n = 5 samples and p = 2 regressors.
    const yTrue = [1, 4, 3, 2, 6], yPred = [2, 4, 4, 2, 5];
    const plain = r2Score(yTrue, yPred);
    near(r2Score(yTrue, yPred, { numRegressors: 2 }), 1 - ((1 - plain) * 4) / 2, 1e-12);
    assert.throws(() => r2Score(yTrue, yPred, { numRegressors: 4 }), /r2Score: the adjusted R² needs more samples than regressors \+ 1, received 5 samples and numRegressors 4/);
    assert.equal(r2Score([2, 2, 2], [2, 2, 2]), 1);
    assert.equal(r2Score([2, 2, 2], [2, 3, 2]), 0);
  });
  test('accumulated over batches, the same as at once', () => {
    const m = new R2Score();
    const yTrue = [[1e6 + 1], [1e6 + 4], [1e6 + 3], [1e6 + 7]], yPred = [[1e6 + 2], [1e6 + 4], [1e6 + 4], [1e6 + 6]];
    m.update(tensor(yTrue.slice(0, 3), { dtype: 'float64' }), tensor(yPred.slice(0, 3), { dtype: 'float64' }));
    m.update(tensor(yTrue.slice(3), { dtype: 'float64' }), tensor(yPred.slice(3), { dtype: 'float64' }));
    // A million added to every target: summing squares (Keras's accumulators) would lose about 1e-4 of the
    // variance to cancellation; merged deviations stay within float64 rounding of the batch means.
    near(m.result(), r2Score(yTrue, yPred), 1e-10);
    near(r2Score(yTrue, yPred), r2Score(yTrue.map(([v]) => [v! - 1e6]), yPred.map(([v]) => [v! - 1e6])), 1e-12);
  });
  test('plain functions: labels [n] with predictions [n, 1], weights checked', () => {
    assert.equal(meanAbsoluteError([1, 2, 3], [[1], [2], [5]]), 2 / 3);
    near(rootMeanSquaredError([1, 2, 3], [1, 2, 5], { sampleWeight: [1, 1, 2] }), Math.sqrt(8 / 4), 1e-12);
    assert.throws(() => meanAbsoluteError([1, 2], [1, 2, 3]), /meanAbsoluteError: labels of shape \[2\] do not match predictions of shape \[3\]/);
    assert.throws(() => meanAbsoluteError([1, 2], [1, 2], { sampleWeight: [1, -1] }), /argument 'sampleWeight' expected non-negative finite weights, received -1 at position 1/);
    assert.throws(() => meanAbsoluteError([1, 2], [1, 2], { sampleWeight: [0, 0] }), /every sample weight is 0/);
    assert.throws(() => meanAbsoluteError([1, 2], [1, 2], { weights: [1, 1] } as object), /unknown option 'weights'; known options: sampleWeight/);
    assert.throws(() => new R2Score({ classAggregation: 'raw' as 'uniform_average' }), /R2Score: option 'classAggregation' expected one of "uniform_average", "variance_weighted_average", received "raw"/);
  });
});

describe('IoU metrics (Keras docstring examples)', () => {
  test('IoU of class 0: 0.33333334, weighted 0.33333334', () => {
    const m = new IoU({ numClasses: 2, targetClassIds: [0] });
    m.update(tensor([0, 0, 1, 1]), tensor([0, 1, 0, 1]));
    near(m.result(), 1 / 3);
    m.reset();
    m.update(tensor([0, 0, 1, 1]), tensor([0, 1, 0, 1]), tensor([0.3, 0.3, 0.3, 0.1]));
    near(m.result(), 1 / 3);
  });
  test('MeanIoU 0.33333334, weighted 0.23809525', () => {
    const m = new MeanIoU({ numClasses: 2 });
    m.update(tensor([0, 0, 1, 1]), tensor([0, 1, 0, 1]));
    near(m.result(), 1 / 3);
    m.reset();
    m.update(tensor([0, 0, 1, 1]), tensor([0, 1, 0, 1]), tensor([0.3, 0.3, 0.3, 0.1]));
    near(m.result(), 0.23809525);
  });
  test('BinaryIoU at threshold 0.3: 0.33333334, weighted 0.17361112', () => {
    const m = new BinaryIoU({ threshold: 0.3 });
    m.update(tensor([0, 1, 0, 1]), tensor([0.1, 0.2, 0.4, 0.7]));
    near(m.result(), 1 / 3);
    m.reset();
    m.update(tensor([0, 1, 0, 1]), tensor([0.1, 0.2, 0.4, 0.7]), tensor([0.2, 0.3, 0.4, 0.1]));
    near(m.result(), 0.17361112);
  });
  test('one-hot labels and softmax scores; ignoreClass; per-sample weights cover every pixel', () => {
    const t = tensor([[0, 0, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    const p = tensor([[0.1, 0.2, 0.7], [0.2, 0.7, 0.1], [0.1, 0.6, 0.3], [0.6, 0.2, 0.2]]);
    const m = new OneHotMeanIoU({ numClasses: 3 });
    m.update(t, p);
    // Classes 0, 1, 2: IoU 0/2, 1/2, 1/2.
    near(m.result(), 1 / 3);
    const single = new OneHotIoU({ numClasses: 3, targetClassIds: [1] });
    single.update(t, p);
    near(single.result(), 0.5);
    const masked = new MeanIoU({ numClasses: 3, ignoreClass: 255 });
    masked.update(tensor([[0, 255], [1, 2]]), tensor([[0, 2], [1, 2]]), tensor([2, 1]));
    near(masked.result(), 1);
    assert.deepEqual(masked.confusionMatrix, [[2, 0, 0], [0, 1, 0], [0, 0, 1]]);
  });
  test('bad shapes and classes are named, with the fix', () => {
    assert.throws(() => new MeanIoU({ numClasses: 3 }).update(tensor([[0, 1]]), tensor([[[0.2, 0.3, 0.5], [0.1, 0.8, 0.1]]])), /set sparseYPred: false/);
    assert.throws(() => new MeanIoU({ numClasses: 3 }).update(tensor([0, 3]), tensor([0, 1])), /mean_io_u: expected labels that are class ids in \[0, 2\], received 3 at position 1/);
    assert.throws(() => new IoU({ numClasses: 2, targetClassIds: [2] }), /option 'targetClassIds' names class 2, but numClasses is 2/);
    assert.throws(() => new MeanIoU({ numClasses: 3, sparse: false } as never), /unknown option 'sparse'/);
  });
});

describe('by name in compile', () => {
  test("Keras's names and short names; the log key is the name given, in snake_case", () => {
    const cases: [string, string, string][] = [
      ['mae', 'mae', 'MeanAbsoluteError'], ['mean_absolute_error', 'mean_absolute_error', 'MeanAbsoluteError'], ['meanSquaredError', 'mean_squared_error', 'MeanSquaredError'],
      ['mse', 'mse', 'MeanSquaredError'], ['rmse', 'rmse', 'RootMeanSquaredError'], ['root_mean_squared_error', 'root_mean_squared_error', 'RootMeanSquaredError'],
      ['mape', 'mape', 'MeanAbsolutePercentageError'], ['msle', 'msle', 'MeanSquaredLogarithmicError'], ['r2_score', 'r2_score', 'R2Score'],
      ['R2Score', 'r2_score', 'R2Score'], ['cosine_similarity', 'cosine_similarity', 'CosineSimilarity'], ['logcosh', 'logcosh', 'LogCoshError'],
      ['log_cosh_error', 'log_cosh_error', 'LogCoshError'],
    ];
    for (const [id, key, cls] of cases) {
      const m = getMetric(id, [4, 1], [4, 1]);
      assert.equal(m.name, key, id);
      assert.equal(m.constructor.name, cls, id);
    }
    const meanIoU = getMetric('mean_io_u', [4, 8, 8], [4, 8, 8, 3]);
    assert.ok(meanIoU instanceof MeanIoU && meanIoU.numClasses === 3 && meanIoU.name === 'mean_io_u');
    assert.ok(getMetric('meanIoU', [4, 8, 8, 1], [4, 8, 8, 1]) instanceof BinaryIoU);
    assert.ok(getMetric('one_hot_mean_io_u', [4, 3], [4, 3]) instanceof MeanIoU);
    assert.throws(() => checkMetric('r2_scor'), /did you mean 'r2Score'\?/);
  });
});
