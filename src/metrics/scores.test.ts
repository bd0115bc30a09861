import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../ops/tensor-methods.js';
import { tensor } from '../tensor/creation.js';
import { AUC } from './auc.js';
import { accuracyScore, confusionMatrix, f1Score, precisionScore, recallScore } from './classification.js';
import { F1Score, Precision, Recall } from './confusion-metrics.js';
import { getMetric } from './index.js';
import {
  averagePrecisionScore, meanAveragePrecision, precisionRecallCurve, rocAucScore, rocCurve, topKAccuracyScore,
} from './ranking.js';
import { SparseTopKCategoricalAccuracy, TopKCategoricalAccuracy } from './top-k.js';

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} != ${b}`);

// Three classes; by hand: rows [[1,1,0],[0,1,1],[0,0,2]]; per class P = 1, 1/2, 2/3; R = 1/2, 1/2, 1; F1 = 2/3, 1/2, 4/5.
const T3 = [0, 1, 2, 2, 1, 0], P3 = [0, 2, 2, 2, 1, 1];

test('confusion matrix and accuracy, from labels, one-hot rows or scores', () => {
  assert.deepEqual(confusionMatrix(T3, P3), [[1, 1, 0], [0, 1, 1], [0, 0, 2]]);
  assert.deepEqual(confusionMatrix([0, 1], [1, 1], { numClasses: 3 }), [[0, 1, 0], [0, 1, 0], [0, 0, 0]]);
  close(accuracyScore(T3, P3), 4 / 6);
  const scores = [[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]];
  close(accuracyScore(tensor([[1, 0], [0, 1], [0, 1]]), scores), 2 / 3);
  assert.throws(() => confusionMatrix([0, 3], [0, 1], { numClasses: 3 }), /class 3 does not fit in numClasses 3/);
  assert.throws(() => accuracyScore([0, 1], [0.7, 0.2]), /expected non-negative integer class labels, received 0\.7.*turned into classes first/);
  assert.throws(() => accuracyScore([0, 1, 1], [0, 1]), /the same number of samples, received 3 and 2/);
});

test('precision, recall and F1: binary, macro, micro and weighted against hand-computed values', () => {
  // Binary: TP 3, FP 2, FN 1.
  const t = [1, 0, 1, 1, 0, 0, 1], p = [1, 1, 0, 1, 0, 1, 1];
  close(precisionScore(t, p), 3 / 5);
  close(recallScore(t, p), 3 / 4);
  close(f1Score(t, p), 2 / 3);
  close(precisionScore(t, p, { positiveLabel: 0 }), 1 / 2); // TN 1 of the 2 predicted negatives
  close(precisionScore(T3, P3, { average: 'macro' }), (1 + 1 / 2 + 2 / 3) / 3);
  close(recallScore(T3, P3, { average: 'macro' }), 2 / 3);
  close(f1Score(T3, P3, { average: 'macro' }), 59 / 90);
  for (const score of [precisionScore, recallScore, f1Score]) close(score(T3, P3, { average: 'micro' }), 4 / 6);
  // Supports 3, 2, 1: F1 per class 4/5, 1/2, 2/3.
  close(f1Score([0, 0, 0, 1, 1, 2], [0, 0, 1, 1, 2, 2], { average: 'weighted' }), 61 / 90);
  close(recallScore([0, 0, 0, 1, 1, 2], [0, 0, 1, 1, 2, 2], { average: 'weighted' }), 4 / 6);
});

test('undefined precision, recall and F1 throw naming the class, unless zeroDivision gives a value', () => {
  assert.throws(() => precisionScore([1, 1, 0], [0, 0, 0]), /precision is undefined: no sample was predicted as class 1\. Pass zeroDivision: 0/);
  assert.equal(precisionScore([1, 1, 0], [0, 0, 0], { zeroDivision: 0 }), 0);
  assert.throws(() => recallScore([0, 0], [1, 0]), /recall is undefined: no sample has class 1/);
  assert.throws(() => f1Score([0, 0], [0, 0]), /class 1 appears neither in the labels nor in the predictions/);
  assert.equal(f1Score([0, 0], [0, 0], { zeroDivision: 1 }), 1);
  // A class never predicted: its precision is undefined in a macro average; its F1 is 0 (it has false negatives).
  assert.throws(() => precisionScore([0, 1, 2], [0, 1, 1], { average: 'macro' }), /no sample was predicted as class 2/);
  close(f1Score([0, 1, 2], [0, 1, 1], { average: 'macro' }), (1 + 2 / 3 + 0) / 3);
  assert.throws(() => f1Score(T3, P3), /average 'binary' scores one class against one other, but the labels and predictions hold classes 0, 1, 2; choose average 'macro'/);
  assert.throws(() => f1Score(T3, P3, { average: 'mean' as 'macro' }), /option 'average' expected one of "binary", "macro", "micro", "weighted", received "mean"/);
});

test('ROC AUC is exact: the sklearn example, ties counted as one half, weights as repeated samples', () => {
  close(rocAucScore([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]), 0.75);
  // Positive 0.5 against negative 0.5 is a tie (1/2); the other three pairs are ordered correctly.
  close(rocAucScore([0, 1, 0, 1], [0.5, 0.5, 0.2, 0.9]), 3.5 / 4);
  close(rocAucScore([0, 1, 1, 0], [0.5, 0.5, 0.5, 0.5]), 0.5);
  close(rocAucScore([true, false], [0.2, 0.9]), 0);
  close(rocAucScore([0, 1, 0, 1], [0.5, 0.5, 0.2, 0.9], { sampleWeight: [1, 2, 1, 1] }), 5 / 6);
  close(rocAucScore([0, 1, 1, 0, 1], [0.5, 0.5, 0.5, 0.2, 0.9]), 5 / 6);
});

test('ROC AUC and average precision with one class throw a clear error', () => {
  assert.throws(() => rocAucScore([1, 1, 1], [0.2, 0.5, 0.9]), /ROC AUC is undefined when the labels hold only one class \(all 3 samples are positive\)/);
  assert.throws(() => rocAucScore([0, 0], [0.2, 0.5]), /all 2 samples are negative/);
  assert.throws(() => rocCurve([0, 0], [0.2, 0.5]), /the ROC curve is undefined/);
  assert.throws(() => averagePrecisionScore([0, 0], [0.2, 0.5]), /average precision is undefined: the labels hold no positive sample/);
  assert.throws(() => rocAucScore([0, 2], [0.2, 0.5]), /expected 0\/1 labels, received 2 at position 1/);
});

test('one-vs-rest ROC AUC over class columns is the mean of the per-class areas', () => {
  const labels = [0, 1, 2, 2, 1, 0];
  const scores = [[0.7, 0.2, 0.1], [0.3, 0.4, 0.3], [0.2, 0.2, 0.6], [0.5, 0.1, 0.4], [0.1, 0.8, 0.1], [0.3, 0.3, 0.4]];
  const perClass = [0, 1, 2].map((c) => rocAucScore(labels.map((l) => (l === c ? 1 : 0)), scores.map((r) => r[c]!)));
  close(rocAucScore(labels, scores), (perClass[0]! + perClass[1]! + perClass[2]!) / 3);
  close(rocAucScore(labels.map((l) => [0, 1, 2].map((c) => (l === c ? 1 : 0))), scores), rocAucScore(labels, scores));
  assert.throws(() => rocAucScore([0, 0, 1], [[0.5, 0.4, 0.1], [0.6, 0.3, 0.1], [0.2, 0.7, 0.1]]), /ROC AUC of class 2 is undefined/);
});

test('average precision: the sklearn example and tied scores as one threshold', () => {
  close(averagePrecisionScore([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]), 5 / 6);
  // Threshold 0.9 holds one positive and one negative: P 1/2 at R 1/2, then P 2/3 at R 1.
  close(averagePrecisionScore([1, 0, 1, 0], [0.9, 0.9, 0.5, 0.1]), 7 / 12);
  const curve = precisionRecallCurve([1, 0, 1, 0], [0.9, 0.9, 0.5, 0.1]);
  assert.deepEqual(curve.thresholds, [0.9, 0.5, 0.1]);
  assert.deepEqual(curve.recall, [0.5, 1, 1]);
  assert.deepEqual(curve.precision, [0.5, 2 / 3, 0.5]);
  const roc = rocCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
  assert.deepEqual(roc, { thresholds: [Infinity, 0.8, 0.4, 0.35, 0.1], fpr: [0, 0, 0.5, 0.5, 1], tpr: [0, 0.5, 0.5, 1, 1] });
});

test('mean average precision over labels (multilabel) and over queries (ranking)', () => {
  const yTrue = [[1, 0], [0, 1], [1, 1]], yScore = [[0.9, 0.9], [0.1, 0.8], [0.3, 0.4]];
  // Label 0: both positives ranked first (AP 1); label 1: a negative first, then both positives (AP 7/12).
  close(meanAveragePrecision(yTrue, yScore), (1 + 7 / 12) / 2);
  // Query 0 ties its relevant item with an irrelevant one (AP 1/2); queries 1 and 2 rank relevant items first.
  close(meanAveragePrecision(yTrue, yScore, { over: 'queries' }), (1 / 2 + 1 + 1) / 3);
  // The textbook query: relevant items at ranks 1 and 3 give (1/1 + 2/3) / 2.
  close(meanAveragePrecision([[1, 0, 1, 0, 0]], [[5, 4, 3, 2, 1]], { over: 'queries' }), 5 / 6);
  assert.throws(() => meanAveragePrecision([[0, 0], [1, 1]], [[0.1, 0.2], [0.3, 0.4]], { over: 'queries' }), /average precision of query 0 is undefined/);
  assert.throws(() => meanAveragePrecision([[0, 1]], [[0.1, 0.2], [0.3, 0.4]]), /matrices of the same shape \[samples, labels\], received \[1, 2\] and \[2, 2\]/);
});

test('top-k accuracy: a class tied at the boundary counts as in the top k', () => {
  const scores = [[0.1, 0.3, 0.6], [0.3, 0.3, 0.4], [0.5, 0.2, 0.3]];
  close(topKAccuracyScore([2, 0, 1], scores, { k: 1 }), 1 / 3);
  close(topKAccuracyScore([2, 0, 1], scores, { k: 2 }), 2 / 3);
  close(topKAccuracyScore([[0, 0, 1], [1, 0, 0], [0, 1, 0]], scores, { k: 3 }), 1);
  const sparse = new SparseTopKCategoricalAccuracy({ k: 2 });
  sparse.update(tensor([2, 0, 1]), tensor(scores));
  close(sparse.result(), 2 / 3, 1e-7);
  const dense = new TopKCategoricalAccuracy({ k: 1 });
  dense.update(tensor([[0, 0, 1], [1, 0, 0], [0, 1, 0]]), tensor(scores));
  close(dense.result(), 1 / 3, 1e-7);
  assert.throws(() => topKAccuracyScore([0], [[1, 2]], { k: 0 }), /option 'k' expected a positive integer, received 0/);
});

test('training metrics accumulated over batches equal the plain functions on all predictions', () => {
  const labels = [0, 1, 2, 2, 1, 0, 1, 2, 0, 0];
  const scores = [[0.7, 0.2, 0.1], [0.3, 0.4, 0.3], [0.2, 0.2, 0.6], [0.5, 0.1, 0.4], [0.1, 0.8, 0.1],
    [0.3, 0.3, 0.4], [0.6, 0.3, 0.1], [0.1, 0.1, 0.8], [0.2, 0.5, 0.3], [0.9, 0.05, 0.05]];
  const predicted = scores.map((r) => r.indexOf(Math.max(...r)));
  const metrics = [new Precision(), new Recall(), new F1Score({ average: 'weighted' }), new AUC(), new AUC({ curve: 'PR' })];
  for (const [start, end] of [[0, 4], [4, 7], [7, 10]] as const) {
    for (const m of metrics) m.update(tensor(labels.slice(start, end)), tensor(scores.slice(start, end)));
  }
  close(metrics[0]!.result(), precisionScore(labels, predicted, { average: 'macro' }));
  close(metrics[1]!.result(), recallScore(labels, predicted, { average: 'macro' }));
  close(metrics[2]!.result(), f1Score(labels, predicted, { average: 'weighted' }));
  close(metrics[3]!.result(), rocAucScore(labels, scores), 1e-7);
  close(metrics[4]!.result(), averagePrecisionScore(labels, scores), 1e-7);
  assert.equal(metrics[3]!.name, 'auc');
  assert.equal(metrics[4]!.name, 'pr_auc');
});

test('binary training metrics threshold one output unit; undefined values read 0 (precision) or NaN (AUC)', () => {
  const p = new Precision({ threshold: 0.6 }), r = new Recall(), auc = new AUC();
  const yTrue = tensor([[1], [0], [1], [0]]), yPred = tensor([[0.7], [0.55], [0.4], [0.1]]);
  for (const m of [p, r, auc]) m.update(yTrue, yPred);
  close(p.result(), 1); // only 0.7 passes 0.6
  close(r.result(), 1 / 2); // at 0.5: 0.7 and 0.55 predicted positive, one of the two positives found
  close(auc.result(), 3 / 4, 1e-7);
  const none = new Precision();
  none.update(tensor([1, 0]), tensor([0.1, 0.2]));
  assert.equal(none.result(), 0);
  const oneClass = new AUC();
  oneClass.update(tensor([1, 1]), tensor([0.1, 0.2]));
  assert.ok(Number.isNaN(oneClass.result()));
  const weighted = new AUC();
  weighted.update(tensor([0, 1, 0, 1]), tensor([0.5, 0.5, 0.2, 0.9]), tensor([1, 2, 1, 1]));
  close(weighted.result(), 5 / 6, 1e-7);
});

test('compile names: precision, recall, f1_score, AUC, pr_auc, top_k_categorical_accuracy', () => {
  assert.ok(getMetric('precision', [4], [4, 1]) instanceof Precision);
  assert.ok(getMetric('AUC', [4], [4, 1]) instanceof AUC);
  assert.equal(getMetric('f1_score', [4, 3], [4, 3]).name, 'f1_score');
  assert.equal(getMetric('prAuc', [4], [4, 1]).name, 'pr_auc');
  assert.equal(getMetric('top_k_categorical_accuracy', [4, 3], [4, 3]).name, 'top_k_categorical_accuracy');
});
