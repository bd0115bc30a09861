import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../ops/tensor-methods.js';
import { StandardScaler } from '../data/index.js';
import { Dense } from '../layers/index.js';
import { Sequential } from '../models/index.js';
import { randomNormal, tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { rng, setSeed } from '../util/random.js';
import { majorityClassBaseline, meanBaseline } from './baselines.js';
import { crossValidate } from './cross-validate.js';
import { moduleExport } from './module-export.js';
import { RepeatedKFold } from './splits.js';
import { buildClassifier, scoring } from './testing.js';

const TESTING = new URL('./testing.js', import.meta.url);

/** Three clusters in 4 dimensions, far from the origin (so scaling matters), 30 samples each. */
function clusters(): { x: Tensor; y: Tensor } {
  setSeed(1);
  const noise = randomNormal([90, 4]).toArray() as number[][];
  const centers = [[10, 20, 0, 5], [14, 16, 4, 5], [8, 24, 2, 10]];
  const labels = Array.from({ length: 90 }, (_, i) => i % 3);
  return { x: tensor(noise.map((r, i) => r.map((v, j) => centers[labels[i]!]![j]! + v))), y: tensor(labels) };
}

/** A scaler that records which samples (feature 3 holds each sample's index) it was fitted on and applied to. */
class RecordingScaler extends StandardScaler {
  constructor(readonly log: { fitted: number[][]; transformed: number[][] }) {
    super();
  }
  override clone(): RecordingScaler {
    return new RecordingScaler(this.log);
  }
  protected override learn(x: Tensor): void {
    this.log.fitted.push((x.toArray() as number[][]).map((r) => r[3]!));
    super.learn(x);
  }
  protected override apply(x: Tensor): Tensor {
    this.log.transformed.push((x.toArray() as number[][]).map((r) => r[3]!));
    return super.apply(x);
  }
}

test('crossValidate: a fresh model per fold, per-fold scores with their mean and standard deviation', async () => {
  const { x, y } = clusters();
  const built: Sequential[] = [];
  const cv = await crossValidate(() => (built.push(buildClassifier()), built.at(-1)!), x, y, {
    folds: 3, repeats: 2, fit: { epochs: 6, batchSize: 16 }, preprocess: new StandardScaler(), scoring, stratify: true,
  });
  assert.equal(cv.folds.length, 6);
  assert.equal(new Set(built).size, 6, 'one new model per fold');
  assert.deepEqual(cv.folds.map((f) => [f.repeat, f.fold]), [[0, 0], [0, 1], [0, 2], [1, 0], [1, 1], [1, 2]]);
  for (const f of cv.folds) {
    assert.equal(f.trainSize + f.testSize, 90);
    assert.deepEqual(Object.keys(f.scores), ['loss', 'accuracy', 'auc']);
    assert.equal(f.history['val_loss']!.length, 6, 'the held-out part is the validation curve of each fold');
  }
  const accuracies = cv.folds.map((f) => f.scores['accuracy']!);
  const mean = accuracies.reduce((a, b) => a + b, 0) / 6;
  assert.ok(Math.abs(cv.mean['accuracy']! - mean) < 1e-12);
  assert.ok(Math.abs(cv.std['accuracy']! - Math.sqrt(accuracies.reduce((a, v) => a + (v - mean) ** 2, 0) / 6)) < 1e-12);
  assert.ok(cv.mean['accuracy']! > 0.8, `separable clusters are learned once scaled: ${cv.mean['accuracy']}`);
  assert.match(cv.table(), /^fold\s+train\s+test\s+loss\s+accuracy\s+auc\n[- ]+\n1\.1\s+60\s+30\s/);
  assert.match(cv.table(), /\nmean ± std\s+\d\.\d{4} ± \d\.\d{4}/);
});

test('no leakage: preprocessing is fitted on each training part only, then applied to both parts', async () => {
  const { x, y } = clusters();
  const indexed = tensor((x.toArray() as number[][]).map((r, i) => [r[0]!, r[1]!, r[2]!, i]));
  const log = { fitted: [] as number[][], transformed: [] as number[][] };
  const original = new RecordingScaler(log);
  const cv = await crossValidate(buildClassifier, indexed, y, { folds: 3, fit: { epochs: 1 }, preprocess: original });
  assert.equal(original.fitted, false, 'the given step is cloned, never fitted itself');
  assert.equal(log.fitted.length, 3);
  for (let f = 0; f < 3; f++) {
    const [trainPart, testPart] = [log.transformed[2 * f]!, log.transformed[2 * f + 1]!];
    assert.deepEqual(log.fitted[f], trainPart, 'fitted on exactly the rows it then transforms for training');
    assert.equal(trainPart.length, cv.folds[f]!.trainSize);
    assert.ok(testPart.every((i) => !trainPart.includes(i)), 'no held-out sample reaches fit');
    assert.equal(new Set([...trainPart, ...testPart]).size, 90);
  }
});

test('parallel worker threads give the same scores as the sequential run under a seed', async () => {
  const { x, y } = clusters();
  // 512 hidden units: activations of a batch (32 × 512 floats) are large enough to come from the native
  // backend's recycled memory, which both worker threads share.
  const options = {
    folds: 3,
    params: { units: 512 },
    fit: { epochs: 3, batchSize: 32 },
    preprocess: moduleExport(TESTING, 'preprocess'),
    scoring: moduleExport(TESTING, 'scoring'),
  };
  setSeed(7);
  const sequential = await crossValidate(moduleExport(TESTING, 'buildClassifier'), x, y, options);
  const after = rng().next();
  setSeed(7);
  const parallel = await crossValidate(moduleExport(TESTING, 'buildClassifier'), x, y, { ...options, workers: 2 });
  assert.deepEqual(parallel.folds, sequential.folds);
  assert.deepEqual(parallel.mean, sequential.mean);
  setSeed(7);
  new RepeatedKFold({ folds: 3, repeats: 1 }).split(90);
  rng().nextUint32();
  assert.equal(after, rng().next(), 'a sequential run leaves the generator as if it drew only the splits and one seed');
});

test('crossValidate: clear errors for what cannot run', async () => {
  const { x, y } = clusters();
  await assert.rejects(crossValidate(buildClassifier, x, y, { workers: 2 }), /with workers > 1, 'buildModel' must be a module export.*moduleExport\(import\.meta\.url, 'buildModel'\)/);
  await assert.rejects(crossValidate(moduleExport(TESTING, 'notAFunction'), x, y, { workers: 2 }), /a worker failed to start: crossValidate \(worker thread\): argument 'buildModel' expected a function/);
  await assert.rejects(crossValidate(moduleExport(TESTING, 'missing'), x, y), /has no export 'missing' \(it exports .*'buildClassifier'/);
  const uncompiled = () => new Sequential([new Dense({ units: 3, inputShape: [4] })]);
  await assert.rejects(crossValidate(uncompiled, x, y, { folds: 2 }), /buildModel expected to return a new compiled model \(call compile in the factory\), received Sequential '.*', not compiled/);
  await assert.rejects(crossValidate(buildClassifier, x, y, { fit: { validationSplit: 0.2 } as object }), /fit option 'validationSplit' cannot be used here/);
  assert.throws(() => moduleExport('./testing.js'), /expected an absolute URL such as import\.meta\.url/);
});

test('baselines: the majority class and the mean predictor, scored by hand', () => {
  const b = majorityClassBaseline([0, 0, 1, 2, 0]);
  assert.equal(b.majorityClass, 0);
  assert.equal(b.accuracy, 3 / 5);
  assert.deepEqual(b.classFrequencies, [0.6, 0.2, 0.2]);
  assert.ok(Math.abs(b.crossentropy - -(3 * Math.log(0.6) + 2 * Math.log(0.2)) / 5) < 1e-12);
  const onTest = majorityClassBaseline([[1, 0, 0], [1, 0, 0], [0, 1, 0]], [[0, 0, 1], [1, 0, 0]]);
  assert.equal(onTest.accuracy, 1 / 2);
  assert.deepEqual(onTest.classFrequencies, [2 / 3, 1 / 3, 0]);
  assert.ok(Math.abs(onTest.crossentropy - -(Math.log(1e-7) + Math.log(2 / 3)) / 2) < 1e-9, 'an unseen class costs what Keras clips to');
  assert.deepEqual(meanBaseline([1, 2, 3], [2, 4]), { mean: [2], mse: 2, mae: 1 });
  assert.deepEqual(meanBaseline([[0, 10], [2, 30]]), { mean: [1, 20], mse: (1 + 1 + 100 + 100) / 4, mae: (1 + 1 + 10 + 10) / 4 });
  assert.throws(() => majorityClassBaseline([0.5, 1]), /expected class indices or one-hot rows, received 0\.5 at position 0/);
});
