import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../ops/tensor-methods.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { DropConstantFeatures, FunctionTransformer, SelectFeatures } from './feature-engineering.js';
import { Imputer } from './imputer.js';
import { Pipeline } from './pipeline.js';
import { MinMaxScaler, StandardScaler } from './scalers.js';
import { TextVectorizer } from './text-vectorizer.js';
import { multiHot, oneHotSequences, padSequences } from './vectorize.js';

const rows = (t: Tensor) => t.toArray() as number[][];
const near = (a: number[][], b: number[][], tol = 1e-6) =>
  a.forEach((r, i) => r.forEach((v, j) => assert.ok(Math.abs(v - b[i]![j]!) <= tol || (Number.isNaN(v) && Number.isNaN(b[i]![j]!)), `[${i}][${j}] ${v} != ${b[i]![j]}`)));

test('StandardScaler: per-feature mean 0 and std 1 from the training data; constants shifted, never divided by 0', () => {
  const scaler = new StandardScaler().fit([[1, 10, 7], [2, 20, 7], [3, 60, 7]]);
  assert.deepEqual([...scaler.mean], [2, 30, 7]);
  near([[...scaler.std]], [[Math.sqrt(2 / 3), Math.sqrt(1400 / 3), 0]]);
  const out = scaler.transform([[1, 10, 7], [3, 60, 8]]);
  near(rows(out), [[-1 / Math.sqrt(2 / 3), -20 / Math.sqrt(1400 / 3), 0], [1 / Math.sqrt(2 / 3), 30 / Math.sqrt(1400 / 3), 1]]);
  near(rows(scaler.inverseTransform(out)), [[1, 10, 7], [3, 60, 8]], 1e-4);
  const wide = new StandardScaler().fitTransform(tensor([[1, 2], [3, 4], [5, 9], [7, 1]], { dtype: 'float64' }));
  assert.equal(wide.dtype, 'float64', 'float64 data stays float64');
  const col = (j: number) => rows(wide).map((r) => r[j]!);
  for (const j of [0, 1]) {
    const m = col(j).reduce((s, v) => s + v, 0) / 4;
    assert.ok(Math.abs(m) < 1e-12);
    assert.ok(Math.abs(col(j).reduce((s, v) => s + (v - m) ** 2, 0) / 4 - 1) < 1e-12);
  }
});

test('scalers: NaN ignored by fit and kept by transform; clear errors before fit and on a wrong feature count', () => {
  const scaler = new StandardScaler().fit([[1, NaN], [3, 4], [NaN, 8]]);
  assert.deepEqual([...scaler.mean], [2, 6]);
  near(rows(scaler.transform([[NaN, 6]])), [[NaN, 0]]);
  assert.throws(() => new StandardScaler().transform([[1]]), /StandardScaler\.transform: call fit\(x\) \(or adapt\(x\)\) on training data first/);
  assert.throws(() => scaler.transform([[1, 2, 3]]), /expected 2 features \(the last axis, as in fit\), received shape \[1, 3\]/);
  assert.throws(() => new StandardScaler().fit([1, 2, 3]), /reshape a single feature to \[n, 1\]/);
});

test('MinMaxScaler maps the training [min, max] of each feature to the range', () => {
  const scaler = new MinMaxScaler().fit([[0, 5, -2], [10, 5, 2], [5, 5, 0]]);
  near(rows(scaler.transform([[0, 5, -2], [5, 5, 2], [20, 6, 1]])), [[0, 0, 0], [0.5, 0, 1], [2, 1, 0.75]]);
  near(rows(new MinMaxScaler({ featureRange: [-1, 1] }).fitTransform([[0], [4], [2]])), [[-1], [1], [0]]);
  assert.throws(() => new MinMaxScaler({ featureRange: [1, 1] }), /option 'featureRange' expected \[low, high\] with low < high/);
  assert.deepEqual(new MinMaxScaler({ featureRange: [-1, 1] }).clone().featureRange, [-1, 1]);
});

test('Imputer: mean, median, most frequent and constant per feature, with indicator features', () => {
  const x = [[1, NaN, 3], [NaN, 4, 3], [7, 6, 5], [1, 8, 5]];
  const imputed = (strategy: 'mean' | 'median' | 'mostFrequent') => [...new Imputer({ strategy }).fit(x).statistics];
  assert.deepEqual(imputed('mean'), [3, 6, 4]);
  assert.deepEqual(imputed('median'), [1, 6, 4]);
  assert.deepEqual(imputed('mostFrequent'), [1, 4, 3], 'ties go to the smallest value');
  const withIndicator = new Imputer({ strategy: 'constant', fillValue: -1, addIndicator: true }).fit(x);
  assert.deepEqual(withIndicator.missingFeatures, [0, 1]);
  assert.deepEqual(rows(withIndicator.transform(x)), [[1, -1, 3, 0, 1], [-1, 4, 3, 1, 0], [7, 6, 5, 0, 0], [1, 8, 5, 0, 0]]);
  // A feature complete at fit but missing later is still imputed; it has no indicator.
  assert.deepEqual(rows(new Imputer({ addIndicator: true }).fit(x).transform([[NaN, 2, NaN]])), [[3, 2, 4, 1, 0]]);
  assert.throws(() => new Imputer().fit([[1, NaN], [2, NaN]]), /feature 1 is NaN in every sample, so its mean is undefined\. Fix: drop the feature/);
  assert.deepEqual(rows(new Imputer({ strategy: 'constant' }).fitTransform([[1, NaN]])), [[1, 0]]);
  assert.throws(() => new Imputer({ strategy: 'mode' as 'mean' }), /option 'strategy' expected one of "mean", "median", "mostFrequent", "constant", received "mode"/);
});

test('vectorization: multi-hot, counts, one-hot sequences and padding', () => {
  assert.deepEqual(rows(multiHot([[1, 3, 3], [0]], { numTokens: 4 })), [[0, 1, 0, 1], [1, 0, 0, 0]]);
  assert.deepEqual(rows(multiHot([[1, 3, 3]], { numTokens: 4, counts: true })), [[0, 1, 0, 2]]);
  assert.deepEqual(oneHotSequences([[2, 0], [1]], { numTokens: 3 }).toArray(), [[[0, 0, 1], [1, 0, 0]], [[0, 1, 0], [0, 0, 0]]]);
  assert.deepEqual(oneHotSequences([[2, 0, 1]], { numTokens: 3, length: 1 }).shape, [1, 1, 3]);
  assert.deepEqual(rows(padSequences([[1, 2, 3], [4]], { length: 2 })), [[2, 3], [0, 4]], 'Keras defaults: pad and cut at the start');
  assert.deepEqual(rows(padSequences([[1, 2, 3], [4]], { length: 2, padding: 'post', truncating: 'post' })), [[1, 2], [4, 0]]);
  assert.throws(() => multiHot([[1, 4]], { numTokens: 4 }), /sequence 0 expected integers in \[0, 3\], received 4 at position 1/);
});

test('TextVectorizer: vocabulary by frequency, OOV, padded sequences and multi-hot rows', () => {
  const texts = ['The cat sat.', 'The dog sat!', 'a cat'];
  const v = new TextVectorizer({ outputSequenceLength: 5 }).adapt(texts);
  assert.deepEqual(v.vocabulary, ['', '[UNK]', 'cat', 'sat', 'the', 'a', 'dog']);
  assert.deepEqual(rows(v.transform(['the CAT ran', 'dog'])), [[4, 2, 1, 0, 0], [6, 0, 0, 0, 0]]);
  assert.deepEqual(new TextVectorizer({ maxTokens: 4 }).adapt(texts).vocabulary, ['', '[UNK]', 'cat', 'sat']);
  const hot = new TextVectorizer({ outputMode: 'multiHot' }).adapt(texts);
  assert.deepEqual(hot.vocabulary, ['[UNK]', 'cat', 'sat', 'the', 'a', 'dog']);
  assert.deepEqual(rows(hot.transform(['the cat ran, the end'])), [[1, 1, 0, 1, 0, 0]]);
  assert.deepEqual(rows(new TextVectorizer({ outputMode: 'count' }).adapt(texts).transform(['the the cat'])), [[0, 1, 0, 2, 0, 0]]);
  assert.throws(() => new TextVectorizer().transform(['x']), /call adapt\(texts\) first/);
});

test('feature engineering: a fixed function, selecting features, dropping constant ones', () => {
  const logged = new FunctionTransformer((x) => x.add(1).log()).fitTransform([[0, Math.E - 1]]);
  near(rows(logged), [[0, 1]]);
  near(rows(new FunctionTransformer((x) => x.div(255)).transform([[255, 51]])), [[1, 0.2]], 1e-7);
  assert.ok(new Pipeline([new FunctionTransformer((x) => x.neg())]).stateless, 'a fixed function needs no fit');
  assert.throws(() => new Pipeline([new FunctionTransformer((x) => x), new StandardScaler()]).transform([[1]]), /Pipeline\.transform: call fit/);
  assert.deepEqual(rows(new SelectFeatures({ keep: [2, 0] }).fitTransform([[1, 2, 3]])), [[1, 3]], 'original order');
  assert.deepEqual(rows(new SelectFeatures({ drop: [1] }).fitTransform([[1, 2, 3]])), [[1, 3]]);
  assert.throws(() => new SelectFeatures({ keep: [3] }).fit([[1, 2, 3]]), /feature 3 does not exist: x has 3 features/);
  const drop = new DropConstantFeatures().fit([[1, 0, NaN, 5], [2, 0, NaN, 5], [3, 0, NaN, 6]]);
  assert.deepEqual(drop.kept, [0, 3]);
  assert.deepEqual(rows(drop.transform([[9, 9, 9, 9]])), [[9, 9]]);
});

test('Pipeline: each step fitted on the previous output; clone is unfitted with the same options', () => {
  const x = [[1, NaN], [3, 4], [5, 8]];
  const pipeline = new Pipeline([new Imputer({ strategy: 'median' }), new StandardScaler()]);
  const out = pipeline.fitTransform(x);
  const manual = new StandardScaler().fitTransform(new Imputer({ strategy: 'median' }).fitTransform(x));
  assert.deepEqual(rows(out), rows(manual));
  const copy = pipeline.clone();
  assert.equal(copy.fitted, false);
  assert.ok(copy.steps[0] instanceof Imputer && copy.steps[0].strategy === 'median');
  copy.fit([[100, 100], [200, 300]]);
  assert.deepEqual(rows(pipeline.transform(x)), rows(out), 'fitting the clone leaves the original as it was');
  assert.throws(() => new Pipeline([]), /expected a non-empty array of preprocessing steps/);
});
