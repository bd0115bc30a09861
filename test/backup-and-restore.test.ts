/**
 * BackupAndRestore with real processes: a training process killed in the middle of an epoch and simply
 * started again continues from its backup and ends with exactly the weights, history and CSV log of an
 * uninterrupted run; after a fit that finishes, the backup is gone.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { BackupAndRestore, Dense, Sequential, loadModel, randomNormal } from '../src/index.js';
import { type Child, startChild, untilPrinted } from './child-process.js';

const child = join(dirname(fileURLToPath(import.meta.url)), 'backup-child.js');
const root = mkdtempSync(join(tmpdir(), 'layerwise-backup-'));
after(() => rmSync(root, { recursive: true, force: true }));

const start = (args: string[]): Child => startChild(child, args);

const epochs = (lines: string[]) => lines.filter((l) => l.startsWith('epoch'));
const weights = async (dir: string) => (await loadModel(dir)).getWeights().map((w) => Array.from(w.data() as Float32Array));

test('killed mid-epoch and started again, the run continues from its backup and ends as an uninterrupted one', async () => {
  const plain = { backup: join(root, 'backup-a'), final: join(root, 'final-a'), csv: join(root, 'a.csv') };
  const whole = start([plain.backup, plain.final, plain.csv]);
  assert.equal(await whole.exit, 0);
  assert.deepEqual(epochs(whole.lines), ['epoch 0 done', 'epoch 1 done', 'epoch 2 done', 'epoch 3 done']);
  assert.ok(!existsSync(plain.backup), 'the backup is deleted after a fit that finishes');

  const run = { backup: join(root, 'backup-b'), final: join(root, 'final-b'), csv: join(root, 'b.csv') };
  const killed = start([run.backup, run.final, run.csv, '--hang-at', '2:2']);
  await untilPrinted(killed, 'hanging');
  killed.process.kill('SIGKILL');
  await killed.exit;
  assert.deepEqual(epochs(killed.lines), ['epoch 0 done', 'epoch 1 done']);
  assert.ok(existsSync(join(run.backup, 'model.json')), 'the kill leaves the backup of epoch 1');
  assert.equal(readFileSync(run.csv, 'utf8').trim().split('\n').length, 3, 'and a CSV log of whole rows: the header and epochs 0 and 1');

  const again = start([run.backup, run.final, run.csv]);
  assert.equal(await again.exit, 0);
  assert.deepEqual(epochs(again.lines), ['epoch 2 done', 'epoch 3 done'], 'only the epochs left are trained');
  assert.ok(!existsSync(run.backup), 'the backup is deleted after the run finishes');

  assert.deepEqual(await weights(run.final), await weights(plain.final), 'identical weights, bit for bit');
  const state = (dir: string) => JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).userDefinedMetadata.layerwise.trainingState.history;
  assert.deepEqual(state(run.final), state(plain.final), 'the same history, the first two epochs carried over');
  assert.equal(readFileSync(run.csv, 'utf8'), readFileSync(plain.csv, 'utf8'), 'the same CSV log, each epoch once');
});

test('deleteCheckpoint: false keeps the backup; its folder keeps files that are not its own', async () => {
  const backup = join(root, 'kept');
  const m = new Sequential([new Dense({ units: 1, inputShape: [2] })]);
  m.compile({ optimizer: 'sgd', loss: 'mse' });
  const x = randomNormal([8, 2]), y = randomNormal([8, 1]);
  await m.fit(x, y, { epochs: 2, verbose: 0, callbacks: [new BackupAndRestore(backup, { deleteCheckpoint: false })] });
  assert.ok(existsSync(join(backup, 'model.json')));
  writeFileSync(join(backup, 'notes.txt'), 'mine');
  // Started again with the same callback, the finished run's backup says 2 epochs are done: nothing is left.
  const history = await m.fit(x, y, { epochs: 2, verbose: 0, callbacks: [new BackupAndRestore(backup)] });
  assert.deepEqual(history.epoch, [0, 1], 'the restored history; no epoch trained');
  assert.deepEqual(readdirSync(backup), ['notes.txt'], 'the checkpoint files are gone, the rest stays');
  assert.throws(() => new BackupAndRestore(backup, { saveFreq: 10 } as never), /BackupAndRestore: option 'saveFreq' expected "epoch", received 10/);
  assert.throws(() => new BackupAndRestore(''), /argument 'backupDir' expected a non-empty string/);
});
