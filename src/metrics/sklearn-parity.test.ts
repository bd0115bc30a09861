/**
 * The plain metric functions against scikit-learn on real data given as plain number arrays: the breast
 * cancer set (binary, 569 samples) and the digits set (10 classes, 1,797 samples) that scikit-learn ships,
 * scored by simple models fitted here in plain JavaScript. Every score must agree to 1e-9 (float64 both
 * sides). Skips, saying why, where /usr/bin/python3 with scikit-learn is missing.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { accuracyScore, confusionMatrix, f1Score, precisionScore, recallScore } from './classification.js';
import type { Average } from './classification.js';
import { averagePrecisionScore, rocAucScore, topKAccuracyScore } from './ranking.js';
import { jaccardScore } from './classification.js';
import { BinaryIoU, IoU, MeanIoU } from './iou.js';
import {
  LogCoshError, MeanAbsoluteError, MeanAbsolutePercentageError, MeanSquaredError, MeanSquaredLogarithmicError, R2Score, RootMeanSquaredError,
  cosineSimilarity, logCoshError, meanAbsoluteError, meanAbsolutePercentageError, meanSquaredError, meanSquaredLogarithmicError, r2Score,
  rootMeanSquaredError,
} from './regression.js';
import '../ops/tensor-methods.js';
import { oneHot } from '../ops/index.js';
import { sliceRows } from '../data/index.js';
import { tensor } from '../tensor/creation.js';

const PYTHON = '/usr/bin/python3';
const DATA = '/usr/lib/python3/dist-packages/sklearn/datasets/data';

function unavailable(): string | null {
  if (!existsSync(PYTHON)) return `${PYTHON} is missing`;
  const probe = spawnSync(PYTHON, ['-c', 'import sklearn'], { encoding: 'utf8' });
  if (probe.status !== 0) return `scikit-learn does not import in ${PYTHON} (apt install python3-sklearn)`;
  if (!existsSync(`${DATA}/breast_cancer.csv`) || !existsSync(`${DATA}/digits.csv.gz`)) return `scikit-learn's data files are missing from ${DATA}`;
  return null;
}

/** Rows of numbers; scikit-learn's CSVs start with a header line of counts and names. */
function readCsv(text: string, skipHeader: boolean): number[][] {
  const lines = text.trim().split('\n').slice(skipHeader ? 1 : 0);
  return lines.map((line) => line.split(',').map(Number));
}

/** Standardized features (population std), so that plain models behave. */
function standardize(x: number[][]): number[][] {
  const k = x[0]!.length;
  const mean = Array.from({ length: k }, (_, j) => x.reduce((s, r) => s + r[j]!, 0) / x.length);
  const std = Array.from({ length: k }, (_, j) => Math.sqrt(x.reduce((s, r) => s + (r[j]! - mean[j]!) ** 2, 0) / x.length) || 1);
  return x.map((r) => r.map((v, j) => (v - mean[j]!) / std[j]!));
}

/** Logistic regression by plain gradient descent: probabilities of class 1. */
function logisticScores(x: number[][], y: number[], steps = 60, rate = 0.1): number[] {
  const k = x[0]!.length;
  const w = new Array<number>(k + 1).fill(0);
  const predict = (r: number[]) => 1 / (1 + Math.exp(-(w[k]! + r.reduce((s, v, j) => s + v * w[j]!, 0))));
  for (let step = 0; step < steps; step++) {
    const grad = new Array<number>(k + 1).fill(0);
    x.forEach((r, i) => {
      const e = predict(r) - y[i]!;
      r.forEach((v, j) => (grad[j]! += e * v));
      grad[k]! += e;
    });
    grad.forEach((g, j) => (w[j]! -= (rate * g) / x.length));
  }
  return x.map(predict);
}

/** Nearest-centroid class probabilities: softmax of minus the squared distance to each class mean. */
function centroidProbabilities(x: number[][], y: number[], classes: number): number[][] {
  const k = x[0]!.length;
  const centroids = Array.from({ length: classes }, (_, c) => {
    const rows = x.filter((_, i) => y[i] === c);
    return Array.from({ length: k }, (_, j) => rows.reduce((s, r) => s + r[j]!, 0) / rows.length);
  });
  return x.map((r) => {
    const logits = centroids.map((m) => -r.reduce((s, v, j) => s + (v - m[j]!) ** 2, 0) / 8);
    const top = Math.max(...logits);
    const e = logits.map((l) => Math.exp(l - top));
    const total = e.reduce((s, v) => s + v, 0);
    return e.map((v) => v / total);
  });
}

const argmax = (row: number[]) => row.indexOf(Math.max(...row));

const SCRIPT = String.raw`
import json, sys
import numpy as np
from sklearn import metrics as m
d = json.load(sys.stdin)
out = {}
b = d['binary']
yt, ys = np.array(b['yTrue']), np.array(b['yScore'])
yp = (ys > 0.5).astype(int)
out['binary'] = {
  'accuracy': m.accuracy_score(yt, yp),
  'precision': m.precision_score(yt, yp), 'recall': m.recall_score(yt, yp), 'f1': m.f1_score(yt, yp),
  'precision0': m.precision_score(yt, yp, pos_label=0),
  'rocAuc': m.roc_auc_score(yt, ys), 'averagePrecision': m.average_precision_score(yt, ys),
  'rocAucRounded': m.roc_auc_score(yt, np.round(ys, 2)), 'averagePrecisionRounded': m.average_precision_score(yt, np.round(ys, 2)),
  'confusion': m.confusion_matrix(yt, yp).tolist(),
}
c = d['multiclass']
yt, ys = np.array(c['yTrue']), np.array(c['yScore'])
yp = ys.argmax(axis=1)
labels = list(range(ys.shape[1]))
out['multiclass'] = {
  'accuracy': m.accuracy_score(yt, yp),
  'confusion': m.confusion_matrix(yt, yp).tolist(),
  'rocAuc': m.roc_auc_score(yt, ys, multi_class='ovr', average='macro'),
  'averagePrecision': m.average_precision_score(np.eye(ys.shape[1])[yt], ys, average='macro'),
  'topK': {str(k): m.top_k_accuracy_score(yt, ys, k=k, labels=labels) for k in (1, 2, 3, 5)},
}
for avg in ('macro', 'micro', 'weighted'):
  out['multiclass'][avg] = {
    'precision': m.precision_score(yt, yp, average=avg), 'recall': m.recall_score(yt, yp, average=avg), 'f1': m.f1_score(yt, yp, average=avg),
  }
f = d['fine']
out['fine'] = {'rocAuc': m.roc_auc_score(f['yTrue'], f['yScore']), 'averagePrecision': m.average_precision_score(f['yTrue'], f['yScore'])}
print(json.dumps(out))
`;

interface Reference {
  fine: Record<'rocAuc' | 'averagePrecision', number>;
  binary: Record<'accuracy' | 'precision' | 'recall' | 'f1' | 'precision0' | 'rocAuc' | 'averagePrecision' | 'rocAucRounded' | 'averagePrecisionRounded', number> & { confusion: number[][] };
  multiclass: Record<'accuracy' | 'rocAuc' | 'averagePrecision', number> & {
    confusion: number[][];
    topK: Record<string, number>;
  } & Record<Exclude<Average, 'binary'>, Record<'precision' | 'recall' | 'f1', number>>;
}

const TOLERANCE = 1e-9;

function close(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= TOLERANCE, `${what}: layerwise ${actual}, scikit-learn ${expected} (difference ${Math.abs(actual - expected)})`);
}

test('metric functions on plain number arrays agree with scikit-learn to 1e-9 on real data', (t) => {
  const reason = unavailable();
  if (reason !== null) {
    t.skip(`skipped: ${reason}`);
    return;
  }
  const cancer = readCsv(readFileSync(`${DATA}/breast_cancer.csv`, 'utf8'), true);
  const cancerX = standardize(cancer.map((r) => r.slice(0, -1)));
  const cancerY = cancer.map((r) => r[r.length - 1]!);
  const cancerScores = logisticScores(cancerX, cancerY);
  const digits = readCsv(gunzipSync(readFileSync(`${DATA}/digits.csv.gz`)).toString('utf8'), false);
  const digitsX = standardize(digits.map((r) => r.slice(0, -1)));
  const digitsY = digits.map((r) => r[r.length - 1]!);
  // Centroids from the first 1,000 images, scored on all 1,797, so that some are misclassified.
  const fitted = centroidProbabilities(digitsX.slice(0, 1000), digitsY.slice(0, 1000), 10);
  assert.equal(fitted.length, 1000);
  const digitsScores = centroidProbabilities(digitsX, digitsY, 10);
  assert.equal(cancerY.length, 569);
  assert.equal(digitsY.length, 1797);

  // 1,000 scores 1e-11 apart around 0.5, labels loosely following them: float32 would tie them all.
  let state = 7;
  const next = () => (state = (state * 48271) % 2147483647) / 2147483647;
  const fineScores = Array.from({ length: 1000 }, () => 0.5 + Math.round(next() * 1000) * 1e-11);
  const fineLabels = fineScores.map((s) => ((s - 0.5) * 1e11 + 400 * next() > 700 ? 1 : 0));
  assert.equal(new Set(Float32Array.from(fineScores)).size, 1, 'float32 cannot tell these scores apart');

  const run = spawnSync(PYTHON, ['-c', SCRIPT], {
    input: JSON.stringify({
      binary: { yTrue: cancerY, yScore: cancerScores },
      multiclass: { yTrue: digitsY, yScore: digitsScores },
      fine: { yTrue: fineLabels, yScore: fineScores },
    }),
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  assert.equal(run.status, 0, run.stderr);
  const ref = JSON.parse(run.stdout) as Reference;

  // Plain arrays and Float64Array are read in float64.
  close(rocAucScore(fineLabels, fineScores), ref.fine.rocAuc, 'ROC AUC of scores 1e-11 apart');
  close(rocAucScore(Float64Array.from(fineLabels), Float64Array.from(fineScores)), ref.fine.rocAuc, 'ROC AUC of Float64Array scores');
  close(averagePrecisionScore(fineLabels, fineScores), ref.fine.averagePrecision, 'average precision of scores 1e-11 apart');
  assert.ok(Math.abs(ref.fine.rocAuc - 0.5) > 0.1, `the fine scores rank the labels (ROC AUC ${ref.fine.rocAuc})`);

  // Binary: probabilities of a logistic regression, predictions at 0.5.
  const predicted = cancerScores.map((s) => (s > 0.5 ? 1 : 0));
  const rounded = cancerScores.map((s) => Math.round(s * 100) / 100);
  close(accuracyScore(cancerY, predicted), ref.binary.accuracy, 'binary accuracy');
  close(precisionScore(cancerY, predicted), ref.binary.precision, 'binary precision');
  close(recallScore(cancerY, predicted), ref.binary.recall, 'binary recall');
  close(f1Score(cancerY, predicted), ref.binary.f1, 'binary F1');
  close(precisionScore(cancerY, predicted, { positiveLabel: 0 }), ref.binary.precision0, 'precision of class 0');
  close(rocAucScore(cancerY, cancerScores), ref.binary.rocAuc, 'ROC AUC');
  close(averagePrecisionScore(cancerY, cancerScores), ref.binary.averagePrecision, 'average precision');
  // Rounded to two decimals the scores tie in groups: both handle a tie as one threshold.
  assert.ok(new Set(rounded).size < rounded.length / 2, 'rounded scores tie');
  close(rocAucScore(cancerY, rounded), ref.binary.rocAucRounded, 'ROC AUC with ties');
  close(averagePrecisionScore(cancerY, rounded), ref.binary.averagePrecisionRounded, 'average precision with ties');
  assert.deepEqual(confusionMatrix(cancerY, predicted), ref.binary.confusion);

  // Ten classes: nearest-centroid probabilities.
  const classes = digitsScores.map(argmax);
  close(accuracyScore(digitsY, digitsScores), ref.multiclass.accuracy, 'multiclass accuracy');
  assert.ok(ref.multiclass.accuracy > 0.8 && ref.multiclass.accuracy < 1, `a model that errs sometimes (accuracy ${ref.multiclass.accuracy})`);
  assert.deepEqual(confusionMatrix(digitsY, classes), ref.multiclass.confusion);
  for (const average of ['macro', 'micro', 'weighted'] as const) {
    close(precisionScore(digitsY, classes, { average }), ref.multiclass[average].precision, `${average} precision`);
    close(recallScore(digitsY, classes, { average }), ref.multiclass[average].recall, `${average} recall`);
    close(f1Score(digitsY, classes, { average }), ref.multiclass[average].f1, `${average} F1`);
  }
  close(rocAucScore(digitsY, digitsScores), ref.multiclass.rocAuc, 'one-vs-rest ROC AUC');
  close(averagePrecisionScore(digitsY, digitsScores), ref.multiclass.averagePrecision, 'one-vs-rest average precision');
  for (const k of [1, 2, 3, 5]) close(topKAccuracyScore(digitsY, digitsScores, { k }), ref.multiclass.topK[String(k)]!, `top-${k} accuracy`);
});

// ---------------------------------------------------------------------------------------------------
// Regression and segmentation

/** Least squares with a bias by the normal equations (Gauss-Jordan): one column of weights per target. */
function leastSquares(x: number[][], y: number[][]): (row: number[]) => number[] {
  const a = x.map((r) => [...r, 1]);
  const k = a[0]!.length, m = y[0]!.length;
  const ata = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => a.reduce((s, r) => s + r[i]! * r[j]!, 0) + (i === j ? 1e-6 : 0)));
  const aty = Array.from({ length: k }, (_, i) => Array.from({ length: m }, (_, c) => a.reduce((s, r, n) => s + r[i]! * y[n]![c]!, 0)));
  for (let col = 0; col < k; col++) {
    const pivot = ata[col]![col]!;
    for (let j = 0; j < k; j++) ata[col]![j]! /= pivot;
    for (let c = 0; c < m; c++) aty[col]![c]! /= pivot;
    for (let row = 0; row < k; row++) {
      if (row === col) continue;
      const f = ata[row]![col]!;
      for (let j = 0; j < k; j++) ata[row]![j]! -= f * ata[col]![j]!;
      for (let c = 0; c < m; c++) aty[row]![c]! -= f * aty[col]![c]!;
    }
  }
  return (row) => Array.from({ length: m }, (_, c) => [...row, 1].reduce((s, v, i) => s + v * aty[i]![c]!, 0));
}

const REGRESSION_SCRIPT = String.raw`
import json, sys
import numpy as np
from sklearn import metrics as m
from sklearn.metrics.pairwise import cosine_similarity
d = json.load(sys.stdin)
out = {}
for name in ('diabetes', 'linnerud'):
  yt, yp, w = np.array(d[name]['yTrue']), np.array(d[name]['yPred']), np.array(d[name]['weights'])
  r = {}
  for tag, sw in (('plain', None), ('weighted', w)):
    r[tag] = {
      'mae': m.mean_absolute_error(yt, yp, sample_weight=sw), 'mse': m.mean_squared_error(yt, yp, sample_weight=sw),
      'rmse': m.mean_squared_error(yt, yp, sample_weight=sw, squared=False),
      'mape': m.mean_absolute_percentage_error(yt, yp, sample_weight=sw), 'msle': m.mean_squared_log_error(yt, yp, sample_weight=sw),
      'r2': m.r2_score(yt, yp, sample_weight=sw), 'r2Weighted': m.r2_score(yt, yp, sample_weight=sw, multioutput='variance_weighted'),
    }
  if yt.ndim == 2:
    r['cosine'] = float(np.mean(np.diag(cosine_similarity(yt, yp))))
    r['logcosh'] = float(np.mean(np.log(np.cosh(yp - yt))))
  out[name] = r
s = d['segmentation']
yt, yp = np.array(s['yTrue']), np.array(s['yPred'])
out['segmentation'] = {
  'macro': m.jaccard_score(yt, yp, average='macro'), 'micro': m.jaccard_score(yt, yp, average='micro'),
  'weighted': m.jaccard_score(yt, yp, average='weighted'), 'targets': m.jaccard_score(yt, yp, labels=[1, 2], average='macro'),
  'perClass': m.jaccard_score(yt, yp, average=None).tolist(),
  'binary': m.jaccard_score(yt > 0, yp > 0), 'binaryMacro': m.jaccard_score(yt > 0, yp > 0, average='macro'),
}
print(json.dumps(out))
`;

interface RegressionReference {
  plain: Record<'mae' | 'mse' | 'rmse' | 'mape' | 'msle' | 'r2' | 'r2Weighted', number>;
  weighted: Record<'mae' | 'mse' | 'rmse' | 'mape' | 'msle' | 'r2' | 'r2Weighted', number>;
  cosine?: number;
  logcosh?: number;
}

test('regression and segmentation metrics agree with scikit-learn to 1e-9; training metrics equal them over the batches', (t) => {
  const reason = unavailable();
  if (reason !== null) {
    t.skip(`skipped: ${reason}`);
    return;
  }
  // Diabetes: 442 patients, 10 features, one target; a linear model fitted on the first 300.
  const features = gunzipSync(readFileSync(`${DATA}/diabetes_data_raw.csv.gz`)).toString('utf8').trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number));
  const target = gunzipSync(readFileSync(`${DATA}/diabetes_target.csv.gz`)).toString('utf8').trim().split('\n').map(Number);
  assert.equal(features.length, 442);
  const dx = standardize(features);
  const diabetesModel = leastSquares(dx.slice(0, 300), target.slice(0, 300).map((v) => [v]));
  // Predictions are clamped at 1: the squared log error needs values above -1, and scikit-learn refuses negatives.
  const diabetesPred = dx.map((r) => Math.max(1, diabetesModel(r)[0]!));
  // Linnerud: 20 men, 3 exercises predicting 3 body measurements (multi-output).
  const spaced = (file: string) => readFileSync(`${DATA}/${file}`, 'utf8').trim().split('\n').slice(1).map((l) => l.trim().split(/\s+/).map(Number));
  const linnerudX = spaced('linnerud_exercise.csv');
  const linnerudY = spaced('linnerud_physiological.csv');
  assert.equal(linnerudY.length, 20);
  const linnerudModel = leastSquares(standardize(linnerudX), linnerudY);
  const linnerudPred = standardize(linnerudX).map(linnerudModel);
  const weights = (n: number) => Array.from({ length: n }, (_, i) => 1 + (i % 5) / 2);

  // Segmentation: each 8x8 digit image as a mask of 3 classes (ink levels), predicted from the image
  // blurred with its right neighbour, so that borders are sometimes wrong.
  const digits = readCsv(gunzipSync(readFileSync(`${DATA}/digits.csv.gz`)).toString('utf8'), false).map((r) => r.slice(0, 64));
  const level = (v: number) => (v <= 2 ? 0 : v <= 9 ? 1 : 2);
  const masks = digits.map((img) => img.map(level));
  const predictedMasks = digits.map((img) => img.map((v, i) => level(i % 8 < 7 ? (v + img[i + 1]!) / 2 : v)));

  const run = spawnSync(PYTHON, ['-c', REGRESSION_SCRIPT], {
    input: JSON.stringify({
      diabetes: { yTrue: target, yPred: diabetesPred, weights: weights(442) },
      linnerud: { yTrue: linnerudY, yPred: linnerudPred, weights: weights(20) },
      segmentation: { yTrue: masks.flat(), yPred: predictedMasks.flat() },
    }),
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  assert.equal(run.status, 0, run.stderr);
  const ref = JSON.parse(run.stdout) as { diabetes: RegressionReference; linnerud: RegressionReference; segmentation: Record<string, number> & { perClass: number[] } };

  const check = (what: string, yTrue: number[] | number[][], yPred: number[] | number[][], r: RegressionReference, multi: boolean) => {
    for (const [tag, sampleWeight] of [['plain', undefined], ['weighted', weights(yTrue.length)]] as const) {
      const o = { sampleWeight };
      const s = r[tag];
      close(meanAbsoluteError(yTrue, yPred, o), s.mae, `${what} ${tag} MAE`);
      close(meanSquaredError(yTrue, yPred, o), s.mse, `${what} ${tag} MSE`);
      // Keras's RMSE is the root of the mean over every output; scikit-learn's averages the roots per output.
      if (!multi) close(rootMeanSquaredError(yTrue, yPred, o), s.rmse, `${what} ${tag} RMSE`);
      close(rootMeanSquaredError(yTrue, yPred, o), Math.sqrt(s.mse), `${what} ${tag} RMSE as the root of MSE`);
      close(meanAbsolutePercentageError(yTrue, yPred, o) / 100, s.mape, `${what} ${tag} MAPE`);
      close(meanSquaredLogarithmicError(yTrue, yPred, o), s.msle, `${what} ${tag} MSLE`);
      close(r2Score(yTrue, yPred, o), s.r2, `${what} ${tag} R²`);
      close(r2Score(yTrue, yPred, { ...o, classAggregation: 'variance_weighted_average' }), s.r2Weighted, `${what} ${tag} variance-weighted R²`);
    }
  };
  check('diabetes', target, diabetesPred, ref.diabetes, false);
  assert.ok(ref.diabetes.plain.r2 > 0.3 && ref.diabetes.plain.r2 < 0.7, `a model that explains some of the variance (R² ${ref.diabetes.plain.r2})`);
  check('linnerud', linnerudY, linnerudPred, ref.linnerud, true);
  close(cosineSimilarity(linnerudY, linnerudPred), ref.linnerud.cosine!, 'cosine similarity');
  close(logCoshError(linnerudY, linnerudPred), ref.linnerud.logcosh!, 'log-cosh');

  // Training metrics over batches of 32 (the last one partial), with sample weights, equal the plain functions.
  const batches = (n: number, size: number) => Array.from({ length: Math.ceil(n / size) }, (_, b) => [b * size, Math.min(n, (b + 1) * size)] as const);
  const diabetesT = tensor(target, { shape: [442, 1] }), diabetesP = tensor(diabetesPred, { shape: [442, 1] }), w = tensor(weights(442));
  const single = (v: number[]) => Array.from(Float32Array.from(v));
  for (const [metric, fn] of [
    [new MeanAbsoluteError(), meanAbsoluteError], [new MeanSquaredError(), meanSquaredError], [new RootMeanSquaredError(), rootMeanSquaredError],
    [new MeanAbsolutePercentageError(), meanAbsolutePercentageError], [new MeanSquaredLogarithmicError(), meanSquaredLogarithmicError],
    [new LogCoshError(), logCoshError], [new R2Score(), r2Score],
  ] as const) {
    for (const [start, end] of batches(442, 32)) metric.update(sliceRows(diabetesT, start, end), sliceRows(diabetesP, start, end), sliceRows(w, start, end));
    // The tensors hold float32 values: the plain function gets the same values.
    const expected = fn(single(target), single(diabetesPred), { sampleWeight: weights(442) });
    assert.ok(Math.abs(metric.result() - expected) <= 1e-12 * Math.max(1, Math.abs(expected)), `${metric.name}: ${metric.result()} over batches, ${expected} at once`);
  }

  // Segmentation: jaccardScore against jaccard_score; MeanIoU over batches of images against its macro average.
  const s = ref.segmentation;
  const yt = masks.flat(), yp = predictedMasks.flat();
  close(jaccardScore(yt, yp, { average: 'macro' }), s['macro']!, 'macro Jaccard');
  close(jaccardScore(yt, yp, { average: 'micro' }), s['micro']!, 'micro Jaccard');
  close(jaccardScore(yt, yp, { average: 'weighted' }), s['weighted']!, 'weighted Jaccard');
  close(jaccardScore(yt, yp, { average: 'macro', labels: [1, 2] }), s['targets']!, 'Jaccard of classes 1 and 2');
  s.perClass.forEach((v, c) => close(jaccardScore(yt, yp, { average: 'macro', labels: [c] }), v, `Jaccard of class ${c}`));
  close(jaccardScore(yt.map((v) => +(v > 0)), yp.map((v) => +(v > 0))), s['binary']!, 'binary Jaccard');
  const n = masks.length;
  const labels = tensor(yt, { shape: [n, 8, 8] });
  const scores = oneHot(tensor(yp, { shape: [n, 8, 8] }), 3).mul(0.9).add(0.05);
  const meanIoU = new MeanIoU({ numClasses: 3, sparseYPred: false });
  const targets = new IoU({ numClasses: 3, targetClassIds: [1, 2], sparseYPred: false });
  const binary = new BinaryIoU({ threshold: 0.5 });
  const binaryLabels = tensor(yt.map((v) => +(v > 0)), { shape: [n, 8, 8] });
  const binaryScores = tensor(yp.map((v) => (v > 0 ? 0.8 : 0.3)), { shape: [n, 8, 8] });
  for (const [start, end] of batches(n, 64)) {
    meanIoU.update(sliceRows(labels, start, end), sliceRows(scores, start, end));
    targets.update(sliceRows(labels, start, end), sliceRows(scores, start, end));
    binary.update(sliceRows(binaryLabels, start, end), sliceRows(binaryScores, start, end));
  }
  close(meanIoU.result(), s['macro']!, 'MeanIoU over batches');
  close(targets.result(), s['targets']!, 'IoU of classes 1 and 2 over batches');
  close(binary.result(), s['binaryMacro']!, 'BinaryIoU over batches');
});
