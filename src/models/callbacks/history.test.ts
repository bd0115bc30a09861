import assert from 'node:assert/strict';
import { test } from 'node:test';
import { History } from './history.js';

function run(loss: number[], valLoss: number[] | null, extra: Record<string, number[]> = {}, firstEpoch = 0): History {
  const h = new History();
  loss.forEach((l, i) => {
    const logs: Record<string, number> = { loss: l };
    if (valLoss) logs['val_loss'] = valLoss[i]!;
    for (const [k, v] of Object.entries(extra)) logs[k] = v[i]!;
    h.onEpochEnd(firstEpoch + i, logs);
  });
  return h;
}

test('bestEpoch: lowest loss, highest accuracy, first of ties; null without the metric', () => {
  const h = run([1, 0.8, 0.6, 0.5], [0.9, 0.7, 0.7, 0.8], { val_accuracy: [0.5, 0.7, 0.8, 0.8] });
  assert.deepEqual(h.bestEpoch(), { epoch: 1, value: 0.7 });
  assert.deepEqual(h.bestEpoch('val_accuracy'), { epoch: 2, value: 0.8 });
  assert.deepEqual(h.bestEpoch('valAccuracy'), { epoch: 2, value: 0.8 }, 'camelCase accepted');
  assert.equal(run([1, 0.5], null).bestEpoch(), null);
});

test('overfittingStart: the epoch after the best validation loss, once it rose while training loss fell', () => {
  const h = run([1, 0.7, 0.5, 0.3, 0.2], [0.9, 0.6, 0.65, 0.8, 0.95]);
  assert.equal(h.overfittingStart(), 2);
  assert.equal(h.overfittingStart({ tolerance: 0.6 }), null, 'a rise within the tolerance (60% of the best) does not count');
  assert.equal(run([1, 0.7, 0.5, 0.4], [0.9, 0.6, 0.605, 0.61]).overfittingStart(), null, 'by default a rise under 2% is noise');
  assert.equal(run([1, 0.7, 0.5, 0.4], [0.9, 0.6, 0.605, 0.61]).overfittingStart({ tolerance: 0 }), 2);
  assert.throws(() => h.overfittingStart({ tolerance: -1 }), /option 'tolerance' expected a non-negative number, received -1/);
  assert.equal(run([1, 0.7, 0.5], [0.9, 0.6, 0.5]).overfittingStart(), null, 'still improving');
  assert.equal(run([1, 0.7, 0.9], [0.9, 0.6, 0.8]).overfittingStart(), null, 'training got worse too: unstable, not overfitting');
  assert.equal(run([1, 0.7], null).overfittingStart(), null, 'no validation');
  assert.equal(run([1, 0.7, 0.5], [0.9, 0.6, 0.7], {}, 10).overfittingStart(), 12, 'epochs as counted by fit (initialEpoch)');
  const acc = run([1, 0.7, 0.5], [0.9, 0.6, 0.7], { accuracy: [0.5, 0.7, 0.9], val_accuracy: [0.6, 0.8, 0.7] });
  assert.equal(acc.overfittingStart({ monitor: 'val_accuracy' }), 2);
});
