/**
 * `layerwise mnist`: trains the seed text's convnet (with its softmax fix) on MNIST with the progress
 * display, then prints the test loss and accuracy and the time per epoch.
 */
import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import type { BackendName, Callback } from '../index.js';
import {
  Conv2D, Dense, Flatten, MaxPooling2D, RMSprop, Sequential, availableBackends, backend, backendInfo, datasets, setBackend,
  setSeed, toCategorical,
} from '../index.js';

export interface MnistOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  backend?: BackendName;
  seed?: number;
  limit?: number;
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a positive integer, received "${value}"`);
  return n;
}

function integer(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError(`expected an integer, received "${value}"`);
  return n;
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n)) throw new InvalidArgumentError(`expected a positive number, received "${value}"`);
  return n;
}

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

export async function runMnist(options: MnistOptions): Promise<void> {
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
  const times: number[] = [];
  await model.fit(trainImages, trainLabels, { epochs: options.epochs, batchSize: options.batchSize, callbacks: [epochTimer(times)] });
  const [testLoss, testAccuracy] = await model.evaluate(testImages, testLabels, { batchSize: 256 });
  console.log(`Test loss: ${testLoss!.toFixed(4)}, test accuracy: ${(testAccuracy! * 100).toFixed(2)}%`);
  console.log(`Time per epoch: ${Math.min(...times).toFixed(1)} s (fastest of ${times.length}), ${backend()} backend`);
}
