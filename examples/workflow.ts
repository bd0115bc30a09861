/**
 * The universal workflow of the seed (section 2.4), end to end on MNIST:
 *   2.4.1 the problem and the data, 2.4.2 a measure of success, 2.4.3 an evaluation protocol,
 *   2.4.4 preparing the data (the model doctor on raw pixels, a preprocessing pipeline),
 *   2.4.5 a baseline and a first model that beats it, 2.4.6 a model that overfits,
 *   2.4.7 regularizing it and tuning it (a small search), then K-fold scores and the test set, once.
 *
 * Run: npm run build && node dist/examples/workflow.js [--workers N]
 * With --workers N the search and the K-fold run their trials and folds on N worker threads; the
 * scores are the same as without it.
 */
import {
  crossValidate, gridSearch, majorityClassBaseline, metrics, moduleExport, setSeed, trainTestSplit,
} from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { compareRegularization } from './overfitting.js';
import { buildMlp, mnistVectors, pixelPipeline } from './mnist-mlp.js';

const workersAt = process.argv.indexOf('--workers');
const workers = workersAt > 0 ? Number(process.argv[workersAt + 1]) : 1;
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;
setSeed(2024);

console.log('2.4.1 The problem: 28×28 grey images of handwritten digits, one of 10 classes each: single-label multiclass classification.');
const DEVELOPMENT = 10000, TEST = 10000;
const { xTrain: xDev, yTrain: yDev, xTest, yTest } = mnistVectors(DEVELOPMENT, TEST);
console.log(`    Development data: the first ${DEVELOPMENT} training images; the ${TEST} test images stay unseen until the end.`);

const shares = majorityClassBaseline(yDev).classFrequencies.map((f) => (100 * f).toFixed(1));
console.log(`\n2.4.2 Measure of success: the classes are balanced (${Math.min(...shares.map(Number))}%–${Math.max(...shares.map(Number))}% each), so accuracy;`);
console.log('    at the end also macro F1 and ROC AUC (one class against the rest).');

console.log('\n2.4.3 Evaluation protocol: hold-out validation (a stratified 20% of the development data) while developing,');
console.log('    K-fold cross-validation for the final estimate.');
const split = trainTestSplit(xDev, yDev, { testSize: 0.2, stratify: true });

console.log('\n2.4.4 Preparing the data. The model doctor on the raw pixels:');
const probe = buildMlp({ units: 16, layers: 1 });
probe.doctor(split.xTrain, split.yTrain, { printFn: (line) => console.log(`    ${line}`) });
const prepare = pixelPipeline.clone().fit(split.xTrain);
const [xTrain, xVal] = [prepare.transform(split.xTrain), prepare.transform(split.xTest)];
const [yTrain, yVal] = [split.yTrain, split.yTest];
console.log(`    Fixed with a pipeline fitted on the training part only: ${xTrain.shape[1]} informative pixels of 784, scaled to [0, 1]. The doctor again:`);
buildMlp({ units: 16, layers: 1 }).doctor(xTrain, yTrain, { printFn: (line) => console.log(`    ${line}`) });

console.log('\n2.4.5 A baseline, and a first model that beats it (one hidden layer of 16 units, 5 epochs):');
const baseline = majorityClassBaseline(yTrain, yVal);
const first = buildMlp({ units: 16, layers: 1 });
const firstHistory = await first.fit(xTrain, yTrain, { epochs: 5, batchSize: 64, validationData: [xVal, yVal], verbose: 0 });
const firstAccuracy = firstHistory.history['val_accuracy']!.at(-1)!;
console.log(`    always predicting class ${baseline.majorityClass}: validation accuracy ${baseline.accuracy.toFixed(4)}, cross-entropy ${baseline.crossentropy.toFixed(4)}`);
console.log(`    first model:                 validation accuracy ${firstAccuracy.toFixed(4)}, cross-entropy ${firstHistory.history['val_loss']!.at(-1)!.toFixed(4)}  (${elapsed()})`);

console.log('\n2.4.6 A model that overfits, and 2.4.7 the same regularized: 512×2 units on 1,000 images, validated on the same hold-out part:');
const small = split.xTrain.slice([0, 0], [1000, 784]);
const prepareSmall = pixelPipeline.clone().fit(small);
const study = await compareRegularization(prepareSmall.transform(small), yTrain.slice([0], [1000]), prepareSmall.transform(split.xTest), yVal, 20);
console.log(indent(study.table));
console.log();
console.log(indent(study.summary));
console.log(`    (${elapsed()})`);

console.log('\n2.4.7 Tuning: a grid over width and dropout, each trial a fresh model scored on the hold-out part (10 epochs):');
const factory = moduleExport(new URL('./mnist-mlp.js', import.meta.url), 'buildMlp');
const search = await gridSearch(factory, { units: [128, 512], dropout: [0, 0.5] }, xDev, yDev, {
  preprocess: moduleExport(new URL('./mnist-mlp.js', import.meta.url), 'pixelPipeline'),
  validation: { testSize: 0.2 },
  stratify: true,
  fit: { epochs: 10, batchSize: 64 },
  workers,
});
console.log(indent(search.table()));
const best = search.best;
const valLoss = best.folds[0]!.history['val_loss']!;
const epochs = valLoss.indexOf(Math.min(...valLoss)) + 1;
console.log(`    best: ${JSON.stringify(best.params)}, lowest validation loss after ${epochs} epochs  (${elapsed()})`);

console.log(`\n    K-fold (5 folds) of the chosen model on all ${DEVELOPMENT} development images, ${epochs} epochs each:`);
const cv = await crossValidate(factory, xDev, yDev, {
  params: best.params,
  folds: 5,
  stratify: true,
  preprocess: moduleExport(new URL('./mnist-mlp.js', import.meta.url), 'pixelPipeline'),
  fit: { epochs, batchSize: 64 },
  workers,
});
console.log(indent(cv.table()));
console.log(`    (${elapsed()})`);

console.log(`\nFinally, the chosen model trained on all development data and tested once on the ${TEST} test images:`);
setSeed(2024);
const final = pixelPipeline.clone().fit(xDev);
const model = buildMlp(best.params);
await model.fit(final.transform(xDev), yDev, { epochs, batchSize: 64, verbose: 0 });
const scores: Tensor = await model.predict(final.transform(xTest));
const predicted = scores.argmax(-1);
console.log(`    accuracy ${metrics.accuracyScore(yTest, predicted).toFixed(4)} (K-fold estimate ${cv.mean['accuracy']!.toFixed(4)} ± ${cv.std['accuracy']!.toFixed(4)}; baseline ${majorityClassBaseline(yDev, yTest).accuracy.toFixed(4)})`);
console.log(`    macro F1 ${metrics.f1Score(yTest, predicted, { average: 'macro' }).toFixed(4)}, ROC AUC ${metrics.rocAucScore(yTest, scores).toFixed(4)}, top-2 accuracy ${metrics.topKAccuracyScore(yTest, scores, { k: 2 }).toFixed(4)}`);
console.log(`    (${elapsed()} in all)`);

function indent(text: string): string {
  return text.split('\n').map((l) => `    ${l}`).join('\n');
}
