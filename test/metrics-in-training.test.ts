/**
 * The regression and IoU metrics in compile: logged under the names given, and over an evaluation (in
 * batches, the last one partial, with sample weights) equal to the plain functions on the model's
 * predictions for all samples.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Dense, Sequential, metrics, randomNormal, setSeed, tensor } from '../src/index.js';

test('regression metrics: history keys, and evaluate equals the plain functions over all samples', async () => {
  setSeed(7);
  const x = randomNormal([45, 3]);
  const y = x.matmul(tensor([[1, 0.5], [-2, 1], [0.3, 0.2]])).add(tensor([4, 6]));
  const model = new Sequential([new Dense({ units: 2, inputShape: [3] })]);
  const names = ['mae', 'mse', 'rmse', 'mape', 'msle', 'r2_score', 'cosine_similarity', 'logcosh'];
  model.compile({ optimizer: 'adam', loss: 'mse', metrics: names });
  const history = await model.fit(x, y, { epochs: 2, batchSize: 8, validationSplit: 0.2, verbose: 0 });
  assert.deepEqual(Object.keys(history.history).sort(), ['loss', ...names, 'val_loss', ...names.map((n) => `val_${n}`)].sort());

  const weights = Array.from({ length: 45 }, (_, i) => 1 + (i % 3));
  const values = await model.evaluate(x, y, { batchSize: 7, sampleWeight: weights, verbose: 0 });
  const yPred = (await model.predict(x, { batchSize: 7 })).toArray() as number[][];
  const yTrue = y.toArray() as number[][];
  const options = { sampleWeight: weights };
  // msle needs values above -1: the targets are near 4 and 6, and so are the fitted predictions' means.
  const expected = [
    metrics.meanAbsoluteError(yTrue, yPred, options), metrics.meanSquaredError(yTrue, yPred, options), metrics.rootMeanSquaredError(yTrue, yPred, options),
    metrics.meanAbsolutePercentageError(yTrue, yPred, options), metrics.meanSquaredLogarithmicError(yTrue, yPred, options), metrics.r2Score(yTrue, yPred, options),
    metrics.cosineSimilarity(yTrue, yPred, options), metrics.logCoshError(yTrue, yPred, options),
  ];
  expected.forEach((e, i) => assert.ok(Math.abs(values[i + 1]! - e) <= 1e-12 * Math.max(1, Math.abs(e)), `${names[i]}: evaluate ${values[i + 1]}, plain function ${e}`));
  // The loss is Keras's sum over the batch size, sum(w * loss) / n: the weighted MSE times mean(w) (here 2).
  const meanWeight = weights.reduce((a, b) => a + b, 0) / 45;
  assert.ok(Math.abs(values[0]! - expected[1]! * meanWeight) < 1e-5 * expected[1]!, `loss ${values[0]} vs MSE ${expected[1]} x ${meanWeight}`);
});

test('MeanIoU by name on a segmentation model; evaluate equals jaccardScore over every pixel', async () => {
  setSeed(3);
  const x = randomNormal([20, 4, 4, 2]);
  const labels = x.sum(-1).greater(0.5).cast('int32').add(x.sum(-1).greater(-0.5).cast('int32'));
  const model = new Sequential([new Dense({ units: 3, activation: 'softmax', inputShape: [4, 4, 2] })]);
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['mean_io_u'] });
  await model.fit(x, labels, { epochs: 3, batchSize: 4, verbose: 0 });
  const [, iou] = await model.evaluate(x, labels, { batchSize: 6, verbose: 0 });
  const predicted = (await model.predict(x, { batchSize: 6 })).argmax(-1);
  const expected = metrics.jaccardScore(Array.from(labels.data()), Array.from(predicted.data()), { average: 'macro' });
  assert.ok(Math.abs(iou! - expected) < 1e-12, `MeanIoU ${iou}, jaccardScore ${expected}`);
});
