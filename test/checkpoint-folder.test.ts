/**
 * Checkpoint folders and save paths that cannot be written as asked: a folder another process is
 * checkpointing to (the second writer used to die of an uncaught ENOENT when the first removed its
 * temporary file), a path that is a file (raw EEXIST), and a path that cannot be created (under /proc,
 * where Node's recursive mkdir loops forever). Each is a clear error naming the path.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as lw from '../src/index.js';

const root = mkdtempSync(join(tmpdir(), 'layerwise-folders-'));
after(() => rmSync(root, { recursive: true, force: true }));
const child = join(dirname(fileURLToPath(import.meta.url)), 'checkpoint-writer-child.js');

function model(): lw.Sequential {
  lw.setSeed(2);
  const m = new lw.Sequential([new lw.Dense({ units: 2, inputShape: [3] })]);
  m.compile({ optimizer: 'sgd', loss: 'mse' });
  return m;
}

const fitWith = (callback: lw.Callback): Promise<unknown> => model().fit(lw.ones([4, 3]), lw.ones([4, 2]), { epochs: 2, verbose: 0, callbacks: [callback] });

describe('one process checkpoints to a folder at a time', () => {
  test('a folder locked by a live process is refused, naming the folder and the process', async () => {
    const folder = join(root, 'held');
    mkdirSync(folder);
    // The test runner that started this process is alive and is not this process.
    writeFileSync(join(folder, 'checkpoint.lock'), String(process.ppid));
    await assert.rejects(fitWith(new lw.ModelCheckpoint({ path: folder })), (e: unknown) => {
      assert.ok(e instanceof lw.ValueError, String(e));
      assert.equal(e.message, `ModelCheckpoint: ${folder} is being written by another process (pid ${process.ppid}, see ${join(folder, 'checkpoint.lock')}); two runs cannot checkpoint to one folder: give each its own folder (or remove the lock file if that process is not a training run)`);
      return true;
    });
    assert.equal(existsSync(join(folder, 'model.json')), false, 'nothing was written');
    await assert.rejects(fitWith(new lw.BackupAndRestore(folder)), /BackupAndRestore: .* is being written by another process/);
  });

  test('the lock of a process that was killed is taken over, and released when training ends', async () => {
    const folder = join(root, 'stale');
    mkdirSync(folder);
    const gone = spawnSync(process.execPath, ['-e', '']).pid!;
    writeFileSync(join(folder, 'checkpoint.lock'), String(gone));
    await fitWith(new lw.ModelCheckpoint({ path: folder }));
    assert.equal(existsSync(join(folder, 'checkpoint.lock')), false, 'released at the end of training');
    await lw.loadModel(folder);
    await fitWith(new lw.ModelCheckpoint({ path: folder }));
  });

  test('two processes checkpointing to one folder: the second is refused, the first finishes, the folder loads', async () => {
    const folder = join(root, 'shared');
    const first = spawn(process.execPath, [child, folder, '40'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out = (p: typeof first): Promise<string> =>
      new Promise((resolve) => {
        let text = '';
        p.stdout!.on('data', (d: Buffer) => (text += d.toString()));
        p.on('close', (code, signal) => resolve(`${text}exit ${code} ${signal}`));
      });
    const firstDone = out(first);
    await new Promise<void>((resolve, reject) => {
      first.stdout!.on('data', (d: Buffer) => d.toString().includes('writing') && resolve());
      first.on('close', () => reject(new Error('the first writer ended before it wrote')));
    });
    const second = spawn(process.execPath, [child, folder, '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const [a, b] = await Promise.all([firstDone, out(second)]);
    assert.match(a, /\{"done":true\}\nexit 0 null$/, a);
    assert.match(b, new RegExp(`"message":"ModelCheckpoint: ${folder} is being written by another process \\(pid ${first.pid}, `), b);
    assert.match(b, /exit 0 null$/);
    assert.doesNotMatch(a + b, /ENOENT/);
    await lw.loadModel(folder);
    assert.deepEqual(JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8')).weightsManifest[0].paths.length, 1);
  });
});

describe('save paths that cannot be written', () => {
  test('a path that is a file', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'not a folder');
    await assert.rejects(model().save(file), (e: unknown) => {
      assert.ok(e instanceof lw.ValueError, String(e));
      assert.match(e.message, new RegExp(`^Sequential '\\w+'\\.save: ${file} is a file, not a folder: a model is saved as a folder \\(model.json and its weights\\)`));
      return true;
    });
    await assert.rejects(model().save(join(file, 'sub')), new RegExp(`cannot create the folder ${file}/sub: ${file} is a file`));
    await assert.rejects(fitWith(new lw.ModelCheckpoint({ path: file })), new RegExp(`ModelCheckpoint: ${file} is a file, not a folder`));
  });

  test('a path that cannot be created errors at once (under /proc Node\'s recursive mkdir never returns)', { skip: !existsSync('/proc/self') }, async () => {
    await assert.rejects(model().save('/proc/layerwise-cannot-exist/model'), /Sequential '\w+'\.save: cannot create the folder \/proc\/layerwise-cannot-exist \(ENOENT/);
    await assert.rejects(fitWith(new lw.ModelCheckpoint({ path: '/proc/layerwise-cannot-exist' })), /ModelCheckpoint: cannot create the folder \/proc\/layerwise-cannot-exist \(ENOENT/);
  });
});
