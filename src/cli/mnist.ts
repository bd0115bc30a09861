/**
 * `layerwise mnist`: trains the seed text's convnet (with its softmax fix) on MNIST with the progress
 * display, then prints the test loss and accuracy and the time per epoch. Optionally it saves the model
 * (TensorFlow.js Layers format), writes an HTML report of the run and plots the loss curves.
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import type { BackendName, Callback } from '../index.js';
import { fraction, integer, positiveInteger, positiveNumber } from './arguments.js';
import {
  Conv2D, Dense, Flatten, MaxPooling2D, RMSprop, Sequential, availableBackends, backend, backendInfo, datasets, historyReport, lossChart,
  setBackend, setSeed, toCategorical, writeReport,
} from '../index.js';

export interface MnistOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  backend?: BackendName;
  seed?: number;
  limit?: number;
  validationSplit?: number;
  save?: string;
  report?: string;
  plot?: boolean;
}

/** The validation split a report or plot gets when none was asked for: curves need validation to compare. */
const REPORT_VALIDATION_SPLIT = 0.1;

export function addMnistCommand(program: Command): void {
  program
    .command('mnist')
    .description('Train the convnet of the seed text (Conv2D 32-64-64, Dense 64, softmax) on MNIST and report its test accuracy.')
    .option('-e, --epochs <n>', 'passes over the training images', positiveInteger, 5)
    .option('-b, --batch-size <n>', 'images per gradient step', positiveInteger, 64)
    .option('-l, --learning-rate <rate>', 'RMSprop learning rate', positiveNumber, 0.001)
    .addOption(new Option('--backend <name>', 'compute backend (default: the fastest that loads here)').choices(['native', 'wasm', 'reference']))
    .option('--seed <n>', 'seed for initial weights and shuffling, for a repeatable run (default: unseeded)', integer)
    .option('--limit <n>', 'use only the first n training and test images (quick runs)', positiveInteger)
    .option('--validation-split <fraction>', `validate on the last fraction of the training images after each epoch (default: none, ${REPORT_VALIDATION_SPLIT} with --report or --plot)`, fraction)
    .option('--save <folder>', 'save the trained model there: model.json + weights.bin, which TensorFlow.js loads')
    .option('--report <file>', 'write an HTML report of the run: loss and accuracy curves, best epoch, model, settings')
    .option('--plot', 'plot the training and validation loss in the terminal after training')
    .action(async (options: MnistOptions) => runMnist(options));
}

/** Records how long each epoch took. */
function epochTimer(times: number[]): Callback {
  let start = 0;
  return {
    onEpochBegin: () => void (start = performance.now()),
    onEpochEnd: () => void times.push((performance.now() - start) / 1000),
  };
}

async function runMnist(options: MnistOptions): Promise<void> {
  if (options.backend) {
    if (!availableBackends().includes(options.backend)) {
      throw new Error(`the ${options.backend} backend is not available here (available: ${availableBackends().join(', ')})`);
    }
    setBackend(options.backend);
  }
  if (options.seed !== undefined) setSeed(options.seed);
  console.log(`Backend: ${backendInfo()}`);

  const { train, test } = datasets.mnist.loadData();
  const nTrain = Math.min(options.limit ?? Infinity, train.x.shape[0]!);
  const nTest = Math.min(options.limit ?? Infinity, test.x.shape[0]!);
  const trainImages = train.x.slice([0, 0, 0], [nTrain, 28, 28]).reshape([nTrain, 28, 28, 1]).div(255);
  const testImages = test.x.slice([0, 0, 0], [nTest, 28, 28]).reshape([nTest, 28, 28, 1]).div(255);
  const trainLabels = toCategorical(train.y.slice([0], [nTrain]), 10);
  const testLabels = toCategorical(test.y.slice([0], [nTest]), 10);
  console.log(`MNIST: ${nTrain} training and ${nTest} test images`);

  const model = new Sequential();
  model.add(new Conv2D({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }));
  model.add(new MaxPooling2D({ poolSize: 2 }));
  model.add(new Conv2D({ filters: 64, kernelSize: 3, activation: 'relu' }));
  model.add(new MaxPooling2D({ poolSize: 2 }));
  model.add(new Conv2D({ filters: 64, kernelSize: 3, activation: 'relu' }));
  model.add(new Flatten());
  model.add(new Dense({ units: 64, activation: 'relu' }));
  model.add(new Dense({ units: 10, activation: 'softmax' }));
  model.summary();

  model.compile({ optimizer: new RMSprop({ learningRate: options.learningRate }), loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  const validationSplit = options.validationSplit ?? (options.report || options.plot ? REPORT_VALIDATION_SPLIT : undefined);
  if (validationSplit !== undefined) console.log(`Validation: the last ${Math.round(validationSplit * 100)}% of the training images`);
  const times: number[] = [];
  const history = await model.fit(trainImages, trainLabels, {
    epochs: options.epochs, batchSize: options.batchSize, callbacks: [epochTimer(times)], ...(validationSplit !== undefined ? { validationSplit } : {}),
  });
  const [testLoss, testAccuracy] = await model.evaluate(testImages, testLabels, { batchSize: 256 });
  const epochTime = Math.min(...times);
  console.log(`Test loss: ${testLoss!.toFixed(4)}, test accuracy: ${(testAccuracy! * 100).toFixed(2)}%`);
  console.log(`Time per epoch: ${epochTime.toFixed(1)} s (fastest of ${times.length}), ${backend()} backend`);

  if (options.plot) console.log(`\n${lossChart(history, { color: process.stdout.isTTY === true })}\n`);
  if (options.save) {
    await model.save(options.save);
    console.log(`Saved the model to ${options.save} (model.json + weights.bin; tf.loadLayersModel and layerwise's loadModel read it)`);
  }
  if (options.report) {
    const html = await historyReport(history, {
      title: 'MNIST convnet',
      model,
      settings: {
        dataset: `MNIST: ${nTrain} training images${validationSplit !== undefined ? ` (the last ${Math.round(validationSplit * 100)}% validate)` : ''}, ${nTest} test images`,
        optimizer: `RMSprop, learning rate ${options.learningRate}`,
        loss: 'categorical_crossentropy',
        backend: backendInfo(),
        seed: options.seed ?? 'none',
        'test loss': testLoss!,
        'test accuracy': testAccuracy!,
        'time per epoch (s)': epochTime,
      },
    });
    console.log(`Wrote the report to ${writeReport(options.report, html)}`);
  }
}
