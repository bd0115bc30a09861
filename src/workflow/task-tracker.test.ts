import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TaskProgress } from './task-tracker.js';
import { TaskTracker } from './task-tracker.js';

// Two trials of two folds each: tasks 0, 1 are trial 0; tasks 2, 3 trial 1.
const plan = (maxFailures: number, seen: TaskProgress[] = []) => ({
  where: 'gridSearch',
  describe: (i: number) => `trial ${Math.floor(i / 2) + 1} of 2 (units=${Math.floor(i / 2) ? 8 : 4}), fold ${(i % 2) + 1}`,
  trialOf: (i: number) => Math.floor(i / 2),
  maxFailures,
  objective: { key: 'loss', direction: 'min' as const },
  onProgress: (p: TaskProgress) => void seen.push(p),
});
const outcome = (loss: number) => ({ scores: { loss }, history: { loss: [loss] } });

test('tracker: a task counts once however often its end is reported; retries, running and the best trial so far', async () => {
  const seen: TaskProgress[] = [];
  const t = new TaskTracker(4, plan(Infinity, seen));
  t.started(0);
  t.started(0);
  t.started(1);
  assert.deepEqual(t.progress, { total: 4, done: 0, running: 2, failed: 0, retried: 0 });
  t.retried(0);
  t.started(0);
  t.finished(0, outcome(0.5));
  t.finished(0, outcome(9));
  t.failed(0, { name: 'Error', message: 'late' });
  t.retried(0);
  t.finished(1, outcome(0.7));
  assert.deepEqual(t.progress, { total: 4, done: 2, running: 0, failed: 0, retried: 1, best: { value: 0.6, trial: 0 } });
  t.finished(2, outcome(0.1));
  t.finished(3, outcome(0.3));
  await t.settled;
  assert.deepEqual(t.progress.best, { value: 0.2, trial: 1 });
  const results = t.results('gridSearch');
  assert.deepEqual(results.map((r) => (r.ok ? r.outcome.scores['loss'] : null)), [0.5, 0.7, 0.1, 0.3], 'the first report counts');
  assert.ok(seen.every((p) => p.done + p.failed <= p.total));
});

test('tracker: a failed fold fails its trial, whose other folds are skipped; one failure past maxFailures stops the run', async () => {
  const t = new TaskTracker(4, plan(1));
  t.failed(1, { name: 'ValueError', message: 'gridSearch: bad units' });
  assert.equal(t.shouldSkip(0), true, 'the other fold of the failed trial need not run');
  assert.deepEqual(t.progress, { total: 4, done: 0, running: 0, failed: 2, retried: 0 });
  assert.equal(t.signal.aborted, false, 'one failed trial is within maxFailures 1');
  t.failed(2, { name: 'Error', message: 'out of memory' });
  assert.equal(t.signal.aborted, true);
  await t.settled;
  assert.throws(() => t.results('gridSearch'), (e: Error) =>
    e.name === 'ValueError' &&
    e.message === 'gridSearch: 2 trials failed, more than maxFailures (1):\n  trial 1 of 2 (units=4), fold 2 failed: bad units\n  trial 2 of 2 (units=8), fold 1 failed: out of memory');
  const one = new TaskTracker(2, { ...plan(0), trialOf: () => 0 });
  one.failed(1, { name: 'LayerwiseError', message: 'the worker thread running it exited with code 0' });
  assert.throws(() => one.results('crossValidate'), /^LayerwiseError: crossValidate: trial 1 of 2 \(units=4\), fold 2 failed: the worker thread running it exited with code 0$/);
});

test('tracker: verbose 1 writes a progress line to stderr', async () => {
  const lines: string[] = [];
  const write = process.stderr.write;
  process.stderr.write = ((chunk: string) => (lines.push(chunk), true)) as typeof process.stderr.write;
  try {
    const t = new TaskTracker(2, { ...plan(Infinity), verbose: 1, trialOf: (i: number) => i, describe: (i: number) => `trial ${i + 1} of 2 (units=${4 * (i + 1)})` });
    t.title = "gridSearch 'sweep'";
    t.started(0);
    t.finished(0, outcome(0.25));
    t.failed(1, { name: 'Error', message: 'boom' });
    await t.settled;
  } finally {
    process.stderr.write = write;
  }
  const text = lines.join('').replace(/\r\x1b\[K/g, '\n');
  assert.match(text, /gridSearch 'sweep': 1\/2 done, 0 running, 0 failed, 0 retried; best loss 0\.2500, trial 1 of 2 \(units=4\)\n/);
  assert.match(text, /gridSearch 'sweep': 1\/2 done, 0 running, 1 failed, 0 retried; best loss 0\.2500, trial 1 of 2 \(units=4\)\n?$/);
});
