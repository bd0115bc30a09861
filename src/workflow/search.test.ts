import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../ops/tensor-methods.js';
import { StandardScaler } from '../data/index.js';
import { randomNormal, tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { setSeed } from '../util/random.js';
import { moduleExport } from './module-export.js';
import { gridSearch, randomSearch } from './search.js';
import { buildClassifier } from './testing.js';

function data(): { x: Tensor; y: Tensor } {
  setSeed(4);
  const x = randomNormal([80, 4]);
  const rows = x.toArray() as number[][];
  return { x, y: tensor(rows.map((r) => (r[0]! + r[1]! > 0.5 ? 2 : r[2]! > 0 ? 1 : 0))) };
}

test('gridSearch: every combination once, scored on one hold-out part, sorted best first', async () => {
  const { x, y } = data();
  const seen: string[] = [];
  const result = await gridSearch(
    (p) => (seen.push(`${p.units}/${p.learningRate}`), buildClassifier(p)),
    { units: [2, 16], learningRate: [0.001, 0.3] },
    x, y,
    { fit: { epochs: 5, batchSize: 16 }, preprocess: new StandardScaler() },
  );
  assert.deepEqual(seen, ['2/0.001', '2/0.3', '16/0.001', '16/0.3']);
  assert.equal(result.objective, 'loss');
  assert.equal(result.direction, 'min');
  assert.deepEqual(result.trials.map((t) => t.rank), [1, 2, 3, 4]);
  const losses = result.trials.map((t) => t.scores['loss']!);
  assert.deepEqual(losses, [...losses].sort((a, b) => a - b));
  assert.equal(result.best, result.trials[0]);
  assert.equal(result.best.params.learningRate, 0.3, 'a learning rate of 0.001 barely moves in 5 epochs');
  assert.ok(result.trials.every((t) => t.folds.length === 1 && t.folds[0]!.testSize === 16));
  assert.match(result.table(), /^rank\s+units\s+learningRate\s+loss \(min\)\s+accuracy\n[- ]+\n1\s+\d+\s+0\.3\s+\d\.\d{4}\s+\d\.\d{4}/);
});

test('randomSearch: draws from lists and ranges; ranks by an accuracy objective (higher first) over K folds', async () => {
  const { x, y } = data();
  const result = await randomSearch(
    buildClassifier,
    { units: { intRange: [3, 6] }, learningRate: { logUniform: [0.01, 0.5] } },
    x, y,
    { trials: 3, validation: { folds: 2 }, objective: 'accuracy', fit: { epochs: 3 }, stratify: true },
  );
  assert.equal(result.trials.length, 3);
  assert.equal(result.direction, 'max');
  for (const t of result.trials) {
    assert.ok(Number.isInteger(t.params.units) && t.params.units >= 3 && t.params.units <= 6);
    assert.ok(t.params.learningRate >= 0.01 && t.params.learningRate <= 0.5);
    assert.equal(t.folds.length, 2);
    assert.ok(t.std['accuracy']! >= 0);
  }
  const accuracies = result.trials.map((t) => t.scores['accuracy']!);
  assert.deepEqual(accuracies, [...accuracies].sort((a, b) => b - a));
  assert.match(result.table(), /accuracy \(max\)/);
  assert.match(result.table(), /\d\.\d{4} ± \d\.\d{4}/);
});

test('search: parallel trials match sequential ones; clear errors', async () => {
  const { x, y } = data();
  const options = { fit: { epochs: 2 }, validation: { testSize: 0.25 } };
  const space = { units: [4, 8] };
  setSeed(9);
  const sequential = await gridSearch(moduleExport(new URL('./testing.js', import.meta.url), 'buildClassifier'), space, x, y, options);
  setSeed(9);
  const parallel = await gridSearch(moduleExport(new URL('./testing.js', import.meta.url), 'buildClassifier'), space, x, y, { ...options, workers: 2 });
  assert.deepEqual(parallel.trials, sequential.trials);
  await assert.rejects(gridSearch(buildClassifier, {}, x, y), /argument 'space' expected an object with at least one hyperparameter/);
  await assert.rejects(gridSearch(buildClassifier, { units: [] }, x, y), /hyperparameter 'units' has no values to try/);
  await assert.rejects(gridSearch(buildClassifier, { units: [4] }, x, y, { objective: 'f1_score', fit: { epochs: 1 } }), /option 'objective' names 'f1_score', which the trials do not report \(they report loss, accuracy\)/);
  await assert.rejects(randomSearch(buildClassifier, { learningRate: { logUniform: [0, 1] } }, x, y, { trials: 1 }), /expected \{ logUniform: \[low, high\] \} with 0 < low < high/);
});
