/**
 * The training process that test/backup-and-restore.test.ts starts, kills and starts again: a seeded run
 * with shuffling, dropout, batch normalization and Adam, whose only protection is a BackupAndRestore
 * callback (and a CSVLogger appending to its log). Started again with the same arguments after a kill,
 * it continues from the backup.
 *
 *   node dist/test/backup-child.js <backup folder> <final model folder> <csv file> [--hang-at epoch:batch]
 */
import {
  BackupAndRestore, BatchNormalization, CSVLogger, Dense, Dropout, Sequential, randomNormal, randomUniform, setSeed,
} from '../src/index.js';
import type { Callback } from '../src/index.js';

const [backup, final, csv, ...flags] = process.argv.slice(2);
if (!backup || !final || !csv) throw new Error('usage: backup-child <backup folder> <final model folder> <csv file> [--hang-at e:b]');
const at = flags.indexOf('--hang-at');
const [hangEpoch, hangBatch] = (at < 0 ? '-1:-1' : flags[at + 1]!).split(':').map(Number);

setSeed(321);
const x = randomNormal([256, 10]);
const labels = randomUniform([256, 3]);
const y = labels.div(labels.sum(1, { keepDims: true }));

const model = new Sequential([
  new Dense({ units: 16, activation: 'relu', inputShape: [10] }),
  new BatchNormalization(),
  new Dropout({ rate: 0.25 }),
  new Dense({ units: 3, activation: 'softmax' }),
]);
model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['mae'] });

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

await model.fit(x, y, {
  epochs: 4,
  batchSize: 32,
  validationSplit: 0.25,
  verbose: 0,
  // The CSVLogger comes first: BackupAndRestore still restores before it starts.
  callbacks: [new CSVLogger(csv, { append: true }), hang, new BackupAndRestore(backup)],
});
await model.save(final, { includeTrainingState: true });
console.log('finished');
