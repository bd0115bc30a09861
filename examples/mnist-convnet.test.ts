import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

test('the seed\'s program warns at compile about its relu output; the fixed one does not', () => {
  const example = fileURLToPath(new URL('./mnist-convnet.js', import.meta.url));
  // 32 images: one batch per epoch, enough to run both programs end to end on any backend.
  const r = spawnSync(process.execPath, [example, '32'], { encoding: 'utf8', env: { ...process.env, LAYERWISE_BACKEND: 'reference' } });
  assert.equal(r.status, 0, r.stderr);
  const warnings = r.stderr.split('\n').filter((l) => l.startsWith('layerwise doctor:'));
  assert.equal(warnings.length, 1, r.stderr);
  assert.match(warnings[0]!, /Dense 'dense_1' \(the output layer\) uses activation 'relu'.*Fix: use activation 'softmax'/);
  assert.match(r.stdout, /The seed's program \(relu output\):\nEpoch 1\/5\n/);
  assert.match(r.stdout, /Fixed \(softmax output\):\nEpoch 1\/5\n/);
  assert.equal(r.stdout.match(/test accuracy: \d+\.\d\d%/g)?.length, 2);
});
