/**
 * The seed's convnet trained from a folder of PNG files (one subfolder per class), as Keras's
 * image_dataset_from_directory does it: the files are decoded every epoch by sharp on libuv's threads,
 * `--parallel` images in flight (two batches: the next batch decodes while a step trains), so memory
 * holds a few batches, not the images. With `--cache` the decoded images of the first epoch are kept
 * and later epochs read them from memory.
 *
 * Write the folder first (out/, not committed), then train:
 *   npm run build && node dist/examples/fashion-mnist-folder.js
 *   node dist/examples/fashion-mnist-train-folder.js [--dir out/fashion-mnist] [--epochs 3] [--parallel 128] [--cache]
 *
 * A tenth of the training folder (chosen by the seed) validates after each epoch; the test folder is
 * scored once at the end.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  Conv2D, Dense, Flatten, MaxPooling2D, RMSprop, Sequential, imageDatasetFromDirectory, setSeed,
} from '../src/index.js';
import type { Dataset, LabeledImage, Tensor } from '../src/index.js';

const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: 'out/fashion-mnist' },
    epochs: { type: 'string', default: '3' },
    parallel: { type: 'string', default: '128' },
    cache: { type: 'boolean', default: false },
    seed: { type: 'string', default: '1337' },
  },
});
const [train, test] = [join(values.dir, 'train'), join(values.dir, 'test')];
if (!existsSync(train) || !existsSync(test)) {
  console.error(`${values.dir} has no train/ and test/ folders: write them with node dist/examples/fashion-mnist-folder.js --out ${values.dir}`);
  process.exit(1);
}
const seed = Number(values.seed);
const parallel = Number(values.parallel);
setSeed(seed);

const options = { imageSize: [28, 28], colorMode: 'grayscale', batchSize: 64, parallel, seed } as const;
const [trainImages, validationImages] = imageDatasetFromDirectory(train, { ...options, validationSplit: 0.1, subset: 'both' });
const testImages = imageDatasetFromDirectory(test, { ...options, shuffle: false });
// Pixels arrive as 0-255 floats; the seed's convnet learns from [0, 1].
const scaled = (d: Dataset<LabeledImage>): Dataset<{ x: Tensor; y: Tensor }> => d.map(({ x, y }) => ({ x: x.mul(1 / 255), y })).prefetch(2);
const trainData = values.cache ? scaled(trainImages.cache()) : scaled(trainImages);

const model = new Sequential();
model.add(new Conv2D({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }));
model.add(new MaxPooling2D({ poolSize: 2 }));
model.add(new Conv2D({ filters: 64, kernelSize: 3, activation: 'relu' }));
model.add(new MaxPooling2D({ poolSize: 2 }));
model.add(new Conv2D({ filters: 64, kernelSize: 3, activation: 'relu' }));
model.add(new Flatten());
model.add(new Dense({ units: 64, activation: 'relu' }));
model.add(new Dense({ units: 10, activation: 'softmax' }));
model.compile({ optimizer: new RMSprop({ learningRate: 0.001 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });

console.log(`Training from ${train} (${parallel} images in flight${values.cache ? ', cached after the first epoch' : ', decoded every epoch'}), a tenth validating:`);
const times: number[] = [];
let epochStart = 0;
const history = await model.fit(trainData, {
  epochs: Number(values.epochs),
  validationData: scaled(validationImages),
  verbose: process.stdout.isTTY ? 1 : 0,
  callbacks: [{ onEpochBegin: () => void (epochStart = performance.now()), onEpochEnd: () => void times.push((performance.now() - epochStart) / 1000) }],
});
history.history['loss']!.forEach((loss, e) => {
  const h = (k: string) => history.history[k]![e]!.toFixed(4);
  console.log(`    epoch ${e + 1}: ${times[e]!.toFixed(1)} s, loss ${loss.toFixed(4)} accuracy ${h('accuracy')} | validation loss ${h('val_loss')} accuracy ${h('val_accuracy')}`);
});
const [testLoss, testAccuracy] = await model.evaluate(scaled(testImages), { verbose: 0 });
console.log(`Test (${test}, once): accuracy ${(testAccuracy! * 100).toFixed(2)}%, loss ${testLoss!.toFixed(4)}`);
console.log(`Peak memory of the process (RSS): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
