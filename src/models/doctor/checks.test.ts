import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../../ops/tensor-methods.js';
import { Conv2D, Dense, Embedding, Flatten, LSTM, Normalization } from '../../layers/index.js';
import type { LossIdentifier } from '../../losses/index.js';
import type { OptimizerIdentifier } from '../../optimizers/index.js';
import { Adam, CosineDecay, SGD } from '../../optimizers/index.js';
import { randomNormal, tensor } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { setSeed } from '../../util/random.js';
import type { DoctorFinding } from './check.js';
import { Sequential } from '../sequential.js';

interface Setup {
  units?: number;
  activation?: string;
  loss?: LossIdentifier;
  optimizer?: OptimizerIdentifier;
  metrics?: string[];
  first?: 'normalization';
}

function model(inputs: number, s: Setup = {}): Sequential {
  const m = new Sequential([
    ...(s.first === 'normalization' ? [new Normalization({ inputShape: [inputs] })] : []),
    new Dense({ units: 8, activation: 'relu', ...(s.first ? {} : { inputShape: [inputs] }) }),
    new Dense({ units: s.units ?? 3, activation: s.activation ?? 'softmax' }),
  ]);
  silently(() => m.compile({ optimizer: s.optimizer ?? 'adam', loss: s.loss ?? 'sparse_categorical_crossentropy', metrics: s.metrics ?? [] }));
  return m;
}

function silently<T>(fn: () => T): T {
  const warn = console.warn;
  console.warn = () => {};
  try {
    return fn();
  } finally {
    console.warn = warn;
  }
}

/** The checks that report something on (x, y), by name. */
function findings(m: Sequential, x: Tensor | number[][], y: Tensor | number[] | number[][], validationSplit?: number): DoctorFinding[] {
  const lines: string[] = [];
  const found = m.doctor(x, y, { printFn: (l) => lines.push(l), ...(validationSplit ? { validationSplit } : {}) });
  assert.equal(lines.length, Math.max(1, found.length));
  return found;
}

const names = (f: DoctorFinding[]) => f.map((x) => x.check);

setSeed(3);
const X = randomNormal([60, 4]);
const LABELS = Array.from({ length: 60 }, (_, i) => [0, 2, 1, 1, 0, 2][i % 6]!);
const ONE_HOT = LABELS.map((c) => [0, 1, 2].map((k) => (k === c ? 1 : 0)));

test('a sound setup: the doctor finds nothing and says so', () => {
  const lines: string[] = [];
  assert.deepEqual(model(4, { metrics: ['accuracy'] }).doctor(X, LABELS, { printFn: (l) => lines.push(l), validationSplit: 0.2 }), []);
  assert.deepEqual(lines, ['layerwise doctor: no problems found']);
  assert.deepEqual(findings(model(4, { loss: 'categorical_crossentropy' }), X, ONE_HOT), []);
  assert.throws(() => model(4).doctor(X), /give both x and y to check the data, or neither/);
});

test('learning rate far outside the usual range: warned at compile, with the range and the fix', () => {
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (m: string) => void warnings.push(m);
  try {
    new Sequential([new Dense({ units: 1, inputShape: [2] })]).compile({ optimizer: new Adam({ learningRate: 1 }), loss: 'mse' });
  } finally {
    console.warn = warn;
  }
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /the learning rate 1 of Adam is far above the usual range \(0\.0001 to 0\.01; the default is 0\.001\).*diverges or becomes NaN\. Fix:/);
  assert.match(findings(model(4, { optimizer: new SGD({ learningRate: 1e-7 }) }), X, LABELS)[0]!.message, /far below the usual range/);
  assert.deepEqual(findings(model(4, { optimizer: new SGD({ learningRate: 0.5 }) }), X, LABELS), [], 'SGD at 0.5 is high but not far out');
  // A warmup from 0 is judged by the rate it rises to.
  const warmup = new CosineDecay({ initialLearningRate: 0, warmupTarget: 1e-3, warmupSteps: 100, decaySteps: 1000 });
  assert.deepEqual(findings(model(4, { optimizer: new Adam({ learningRate: warmup }) }), X, LABELS), []);
  const tooHigh = new CosineDecay({ initialLearningRate: 0, warmupTarget: 5, warmupSteps: 100, decaySteps: 1000 });
  assert.match(findings(model(4, { optimizer: new Adam({ learningRate: tooHigh }) }), X, LABELS)[0]!.message, /the learning rate 5 of Adam is far above/);
});

test('labels that do not fit the loss: class indices for categorical cross-entropy, one-hot for sparse, multilabel, binary', () => {
  const indices = findings(model(4, { loss: 'categorical_crossentropy' }), X, LABELS);
  assert.deepEqual(names(indices), ['label-encoding']);
  assert.match(indices[0]!.message, /class indices \(shape \[60\]\).*Fix: use loss 'sparse_categorical_crossentropy'.*toCategorical\(y, 3\)/);
  const multi = findings(model(4, { loss: 'categorical_crossentropy' }), X, ONE_HOT.map((r) => [1, r[1]!, r[2]!]));
  assert.match(multi[0]!.message, /row \d+ sums to 2.*multilabel targets\. Fix: use loss 'binary_crossentropy' with a sigmoid output/);
  assert.match(findings(model(4), X, ONE_HOT)[0]!.message, /labels look one-hot \(shape \[60, 3\]\).*use loss 'categorical_crossentropy'/);
  assert.match(findings(model(4), X, LABELS.map((c) => c + 1))[0]!.message, /label 3 at position 1 is not a class index in \[0, 2\]/);
  const binary = findings(model(4, { units: 1, activation: 'sigmoid', loss: 'binary_crossentropy' }), X, LABELS);
  assert.match(binary[0]!.message, /label 2 at position 1 is outside \[0, 1\].*Fix: a softmax output with one unit per class/);
  assert.deepEqual(findings(model(4, { units: 1, activation: 'sigmoid', loss: 'binary_crossentropy' }), X, LABELS.map((c) => c % 2)), []);
});

test('unscaled inputs: pixel values, large measurements; silent once scaled or behind a Normalization layer', () => {
  const pixels = X.abs().mul(100).clip(0, 255).round();
  const f = findings(model(4), pixels, LABELS);
  assert.deepEqual(names(f), ['unscaled-inputs']);
  assert.match(f[0]!.message, /values reach \d+ and feature \d is typically \d+ in size.*look like 0–255 pixels: divide by 255/);
  assert.match(findings(model(4), X.mul(1000), LABELS)[0]!.message, /standardize each feature.*StandardScaler/);
  assert.deepEqual(findings(model(4), pixels.div(255), LABELS), []);
  assert.deepEqual(findings(model(4, { first: 'normalization' }), pixels, LABELS), []);
});

test('token indices into an Embedding are neither unscaled features nor constant ones (padding)', () => {
  const tokens = LABELS.map((c, i) => [1 + ((i * 37) % 900), 2 + c * 300, (i * 11) % 997, 0]);
  const m = new Sequential([new Embedding({ inputDim: 1000, outputDim: 4 }), new LSTM({ units: 3 }), new Dense({ units: 3, activation: 'softmax' })]);
  silently(() => m.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' }));
  assert.deepEqual(names(findings(m, tokens, LABELS)), []);
  // The same numbers as features of a Dense model are both.
  assert.deepEqual(names(findings(model(4), tokens, LABELS)), ['unscaled-inputs', 'constant-features']);
});

test('missing and all-NaN features, and constant features in tabular data', () => {
  const rows = X.toArray() as number[][];
  const holes = rows.map((r, i) => [r[0]!, i % 7 === 0 ? NaN : r[1]!, NaN, r[3]!]);
  const f = findings(model(4), holes, LABELS);
  assert.deepEqual(names(f), ['missing-values']);
  assert.match(f[0]!.message, /feature 2 is NaN in every sample, and feature 1 has missing \(NaN\) values.*Fix: drop the all-NaN features.*Imputer/);
  const constant = findings(model(4), rows.map((r) => [r[0]!, 5, r[2]!, 5]), LABELS);
  assert.deepEqual(names(constant), ['constant-features']);
  assert.match(constant[0]!.message, /2 of 4 features are constant over the 60 training samples \(features 1, 3\).*DropConstantFeatures/);
  // Images: always-blank pixels are normal.
  const images = new Sequential([new Conv2D({ filters: 2, kernelSize: 2, activation: 'relu', inputShape: [3, 3, 1] }), new Flatten(), new Dense({ units: 3, activation: 'softmax' })]);
  silently(() => images.compile({ loss: 'sparse_categorical_crossentropy' }));
  const pictures = tensor(Array.from({ length: 60 }, (_, i) => [[[0], [0], [0]], [[0], [(i % 3) / 2], [0]], [[0], [0], [0]]]));
  assert.deepEqual(findings(images, pictures, LABELS), []);
});

test('class imbalance warns only when accuracy is watched, with balanced class weights', () => {
  const skewed = LABELS.map((_, i) => (i % 10 === 0 ? 1 : 0));
  const f = findings(model(4, { units: 1, activation: 'sigmoid', loss: 'binary_crossentropy', metrics: ['accuracy'] }), X, skewed);
  assert.deepEqual(names(f), ['class-imbalance']);
  assert.match(f[0]!.message, /class 0 holds 90\.0% of the 60 training samples and class 1 10\.0%.*always predicts class 0 scores 0\.900 accuracy.*classWeight \(balanced: \{ 0: 0\.556, 1: 5 \}\)/);
  assert.deepEqual(findings(model(4, { units: 1, activation: 'sigmoid', loss: 'binary_crossentropy', metrics: ['auc'] }), X, skewed), []);
  const missingClass = findings(model(4, { metrics: ['acc'] }), X, LABELS.map((c) => (c === 2 ? 1 : c)));
  assert.match(missingClass[0]!.message, /class 2 never appears, so the model cannot learn it/);
  assert.deepEqual(findings(model(4, { metrics: ['accuracy'] }), X, LABELS), []);
});

test('a validation split cut from sorted labels: warned at fit and by doctor; silent for shuffled labels', async () => {
  const sorted = [...LABELS].sort();
  const f = findings(model(4), X, sorted, 0.2);
  assert.deepEqual(names(f), ['validation-split-order']);
  assert.match(f[0]!.message, /validates on the last 12 samples, taken before any shuffling, and the labels are sorted: the validation part holds only class 2.*Fix: shuffle x and y together/);
  assert.deepEqual(findings(model(4), X, sorted), [], 'no validation split, nothing to warn about');
  assert.deepEqual(findings(model(4), X, LABELS, 0.2), []);
  const targets = Array.from({ length: 60 }, (_, i) => [i / 60]);
  const regression = new Sequential([new Dense({ units: 1, inputShape: [4] })]);
  regression.compile({ loss: 'mse', optimizer: 'sgd' });
  assert.match(findings(regression, X, targets, 0.25)[0]!.message, /holds only targets from 0\.75 to 0\.98\d* \(training: 0 to 0\.73\d*\)/);
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (m: string) => void warnings.push(m);
  try {
    await model(4).fit(X, sorted, { epochs: 1, verbose: 0, validationSplit: 0.2 });
  } finally {
    console.warn = warn;
  }
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /^layerwise doctor: validationSplit validates on the last 12 samples/);
});
