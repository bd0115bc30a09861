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
