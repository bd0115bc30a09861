/**
 * The training process that test/resume.test.ts starts, kills and resumes. A seeded run with shuffling,
 * dropout, batch normalization and Adam, checkpointing every epoch into a folder.
 *
 *   node dist/test/resume-child.js <checkpoint folder> <final model folder> [--resume] [--hang-at epoch:batch] [--epochs n]
 *                                   [--dataset] [--save-freq n]
 *
 * --hang-at prints "hanging" after that batch and waits, so the parent can kill it in the middle of an
 * epoch. --epochs n (default 4) sets the total, and with a large n the run just keeps checkpointing.
 * --dataset trains from a shuffled Dataset (validating on another) instead of tensors; --save-freq n
 * checkpoints every n batches instead of every epoch.
 */
import {
  BatchNormalization, Dataset, Dense, Dropout, ModelCheckpoint, Sequential, randomNormal, randomUniform, setSeed,
} from '../src/index.js';
import type { Callback } from '../src/index.js';

const [checkpoint, final, ...flags] = process.argv.slice(2);
if (!checkpoint || !final) throw new Error('usage: resume-child <checkpoint folder> <final model folder> [--resume] [--hang-at e:b] [--epochs n]');
const flag = (name: string): string | undefined => {
  const i = flags.indexOf(name);
  return i < 0 ? undefined : flags[i + 1];
};
const [hangEpoch, hangBatch] = (flag('--hang-at') ?? '-1:-1').split(':').map(Number);
const epochs = Number(flag('--epochs') ?? 4);

setSeed(123);
const x = randomNormal([320, 12]);
const labels = randomUniform([320, 3]);
const y = labels.div(labels.sum(1, { keepDims: true }));

const model = new Sequential([
  new Dense({ units: 24, activation: 'relu', inputShape: [12] }),
  new BatchNormalization(),
  new Dropout({ rate: 0.3 }),
  new Dense({ units: 3, activation: 'softmax' }),
]);
model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy' });

let epoch = 0;
const hang: Callback = {
  onEpochBegin: (e) => void (epoch = e),
  async onBatchEnd(batch) {
    if (epoch === hangEpoch && batch === hangBatch) {
      console.log('hanging');
      await new Promise((resolve) => setTimeout(resolve, 60_000));
    }
  },
  onEpochEnd: (e) => console.log(`epoch ${e} done`),
};

const saveFreq = flag('--save-freq');
const options = {
  epochs,
  verbose: 0,
  callbacks: [new ModelCheckpoint({ path: checkpoint, ...(saveFreq ? { saveFreq: Number(saveFreq) } : {}) }), hang],
  ...(flags.includes('--resume') ? { resumeFrom: checkpoint } : {}),
} as const;
if (flags.includes('--dataset')) {
  const train = Dataset.fromTensors({ x: x.slice([0, 0], [256, 12]), y: y.slice([0, 0], [256, 3]) }).shuffle(256).batch(32);
  const validation = Dataset.fromTensors({ x: x.slice([256, 0], [64, 12]), y: y.slice([256, 0], [64, 3]) }).batch(32);
  await model.fit(train, { ...options, validationData: validation });
} else {
  await model.fit(x, y, { ...options, batchSize: 32, validationSplit: 0.2 });
}
await model.save(final, { includeTrainingState: true });
console.log('finished');
