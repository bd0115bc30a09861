import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

test('the overfitting example prints each variant\'s validation curve and summary, and the doctor has nothing to say', () => {
  const example = fileURLToPath(new URL('./overfitting.js', import.meta.url));
  const r = spawnSync(process.execPath, [example, '3'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /layerwise doctor:/);
  assert.match(r.stdout, /^epoch\s+large loss\s+val_loss\s+smaller loss\s+val_loss\s+l2 loss\s+val_loss\s+dropout loss\s+val_loss$/m);
  assert.equal(r.stdout.match(/^[123]\s+(\d\.\d+\s+){7}\d\.\d+$/gm)?.length, 3, r.stdout);
  for (const name of ['large', 'smaller', 'l2', 'dropout']) assert.match(r.stdout, new RegExp(`^${name}\\s+\\d+\\s+[123]\\s+\\d\\.\\d{4}\\s+(no|epoch \\d)`, 'm'));
});
