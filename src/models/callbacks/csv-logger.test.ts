import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import '../../ops/tensor-methods.js';
import { Dense } from '../../layers/index.js';
import { randomNormal } from '../../tensor/creation.js';
import { setSeed } from '../../util/random.js';
import { Sequential } from '../sequential.js';
import { CSVLogger } from './csv-logger.js';

const root = mkdtempSync(join(tmpdir(), 'layerwise-csv-'));
after(() => rmSync(root, { recursive: true, force: true }));

async function run(logger: CSVLogger, options: { epochs?: number; initialEpoch?: number } = {}) {
  setSeed(11);
  const m = new Sequential([new Dense({ units: 1, inputShape: [3] })]);
  m.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae'] });
  return m.fit(randomNormal([20, 3]), randomNormal([20, 1]), { epochs: options.epochs ?? 3, initialEpoch: options.initialEpoch, batchSize: 5, validationSplit: 0.25, verbose: 0, callbacks: [logger] });
}

describe('CSVLogger', () => {
  test('one row per epoch, columns sorted after epoch, values equal to the history', async () => {
    const file = join(root, 'a', 'log.csv');
    const history = await run(new CSVLogger(file));
    const rows = parse(readFileSync(file, 'utf8'), { columns: true }) as Record<string, string>[];
    assert.deepEqual(Object.keys(rows[0]!), ['epoch', 'loss', 'mae', 'val_loss', 'val_mae']);
    assert.deepEqual(rows.map((r) => Number(r['epoch'])), [0, 1, 2]);
    for (const key of ['loss', 'mae', 'val_loss', 'val_mae']) assert.deepEqual(rows.map((r) => Number(r[key])), history.history[key], key);
  });

  test('separator; a new run starts the file afresh unless append', async () => {
    const file = join(root, 'b.csv');
    await run(new CSVLogger(file, { separator: ';' }), { epochs: 2 });
    await run(new CSVLogger(file, { separator: ';' }), { epochs: 2 });
    let lines = readFileSync(file, 'utf8').trim().split('\n');
    assert.equal(lines[0], 'epoch;loss;mae;val_loss;val_mae');
    assert.equal(lines.length, 3);
    await run(new CSVLogger(file, { separator: ';', append: true }), { epochs: 2 });
    lines = readFileSync(file, 'utf8').trim().split('\n');
    assert.deepEqual(lines.map((l) => l.split(';')[0]), ['epoch', '0', '1', '0', '1'], 'appended without a second header');
  });

  test('append: a torn last line is dropped; a resumed run replaces the rows of the epochs it repeats', async () => {
    const file = join(root, 'c.csv');
    await run(new CSVLogger(file), { epochs: 4 });
    // A power cut in the middle of writing a row.
    appendFileSync(file, '4,0.12');
    // The run resumes at epoch 2 (as after a checkpoint of epoch 1): epochs 2 and 3 are trained again.
    const history = await run(new CSVLogger(file, { append: true }), { epochs: 4, initialEpoch: 2 });
    const rows = parse(readFileSync(file, 'utf8'), { columns: true }) as Record<string, string>[];
    assert.deepEqual(rows.map((r) => r['epoch']), ['0', '1', '2', '3']);
    assert.deepEqual(rows.slice(2).map((r) => Number(r['loss'])), history.history['loss']);
  });

  test('an appended file keeps its own columns; missing values are NA', async () => {
    const file = join(root, 'd.csv');
    writeFileSync(file, 'epoch,loss,accuracy\n');
    await run(new CSVLogger(file, { append: true }), { epochs: 1 });
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    assert.equal(lines[0], 'epoch,loss,accuracy');
    assert.match(lines[1]!, /^0,[0-9.e-]+,NA$/);
  });

  test('bad arguments are named', () => {
    assert.throws(() => new CSVLogger(''), /CSVLogger: argument 'filename' expected a non-empty string/);
    assert.throws(() => new CSVLogger('x.csv', { separator: '::' }), /option 'separator' expected a single character/);
    assert.throws(() => new CSVLogger('x.csv', { apend: true } as never), /unknown option 'apend' \(did you mean 'append'\?\)/);
  });
});
