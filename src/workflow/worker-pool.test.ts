import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../ops/tensor-methods.js';
import { randomNormal, tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { setSeed } from '../util/random.js';
import { crossValidate } from './cross-validate.js';
import { moduleExport } from './module-export.js';
import { gridSearch } from './search.js';
import type { TaskProgress } from './task-tracker.js';

const TESTING = new URL('./testing.js', import.meta.url);

function data(): { x: Tensor; y: Tensor } {
  setSeed(3);
  const x = randomNormal([60, 4]);
  return { x, y: tensor((x.toArray() as number[][]).map((r) => (r[0]! > 0 ? 1 : 0))) };
}

// Without the fix, a worker thread that exits with code 0 mid-task left the run waiting forever, and code 1
// was reported as "a worker failed to start": the timeout makes a hang fail the test.
for (const code of [0, 1, 7]) {
  test(`a worker thread that exits with code ${code} mid-trial fails that trial, named, and the search settles`, { timeout: 60_000 }, async () => {
    const { x, y } = data();
    const seen: TaskProgress[] = [];
    const result = await gridSearch(moduleExport(TESTING, 'buildOrExit'), { exit: [null, code, null] }, x, y, {
      fit: { epochs: 2 }, workers: 2, onProgress: (p) => seen.push(p),
    });
    assert.equal(result.trials.length, 3);
    const dead = result.trials.find((t) => t.params.exit === code)!;
    assert.equal(dead.rank, 3, 'the failed trial ranks last');
    assert.equal(dead.error, `the worker thread running it exited with code ${code}`);
    assert.ok(Number.isNaN(dead.scores['loss']!));
    assert.ok(result.trials.filter((t) => t !== dead).every((t) => t.error === undefined && t.folds.length === 1 && Number.isFinite(t.scores['loss']!)));
    assert.match(result.table(), new RegExp(`3\\s+${code}\\s+failed: the worker thread running it exited with code ${code}`));
    assert.deepEqual(seen.at(-1), { total: 3, done: 2, running: 0, failed: 1, retried: 0, best: seen.at(-1)!.best }, 'a new worker took the dead one\'s place');
  });
}

test('crossValidate over worker threads: a worker that dies fails the run, naming the fold and the exit code', { timeout: 60_000 }, async () => {
  const { x, y } = data();
  await assert.rejects(
    crossValidate(moduleExport(TESTING, 'buildOrExit'), x, y, { folds: 3, params: { exit: 0 }, fit: { epochs: 1 }, workers: 2 }),
    /^LayerwiseError: crossValidate: fold [123] of 3 failed: the worker thread running it exited with code 0$/,
  );
});

test('search: a trial that throws is reported with its error and hyperparameters, the search goes on; maxFailures stops it', async () => {
  const { x, y } = data();
  for (const workers of [1, 2]) {
    const buildModel = moduleExport(TESTING, 'buildOrThrow');
    const result = await gridSearch(buildModel, { units: [4, 3, 8] }, x, y, { fit: { epochs: 2 }, validation: { folds: 2 }, workers });
    const failed = result.trials.find((t) => t.params.units === 3)!;
    assert.equal(failed.rank, 3);
    assert.equal(failed.error, 'RangeError: this factory cannot build 3 units'.replace('RangeError: ', ''));
    assert.deepEqual(result.trials.map((t) => t.folds.length).sort(), [0, 2, 2]);
    await assert.rejects(
      gridSearch(buildModel, { units: [4, 3, 8] }, x, y, { fit: { epochs: 2 }, validation: { folds: 2 }, workers, maxFailures: 0 }),
      (e: Error) => e.message === 'gridSearch: trial 2 of 3 (units=3), fold 1 failed: this factory cannot build 3 units' && e.name === 'LayerwiseError',
    );
    await assert.rejects(
      gridSearch(buildModel, { units: [3] }, x, y, { fit: { epochs: 1 }, workers }),
      /^LayerwiseError: gridSearch: every trial failed:\n {2}trial 1 of 1 \(units=3\) failed: this factory cannot build 3 units$/,
    );
  }
  await assert.rejects(gridSearch(moduleExport(TESTING, 'buildOrThrow'), { units: [4] }, x, y, { maxFailures: -1 }), /option 'maxFailures' expected a non-negative integer or Infinity, received -1/);
});
