import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('./main.js', import.meta.url));

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('--help lists the mnist command and explains every flag', () => {
  assert.match(run('--help').stdout, /mnist \[options\]\s+Train the convnet of the seed text/);
  const help = run('mnist', '--help').stdout;
  for (const flag of ['--epochs <n>', '--batch-size <n>', '--learning-rate <rate>', '--backend <name>', '--seed <n>', '--limit <n>']) {
    assert.ok(help.includes(flag), `help mentions ${flag}`);
  }
  assert.match(help, /\(default: 5\)/);
});

test('bad flag values fail with a message naming the flag', () => {
  const r = run('mnist', '--epochs', 'two');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /option '-e, --epochs <n>' argument 'two' is invalid\. expected a positive integer, received "two"/);
  assert.match(run('mnist', '--backend', 'gpu').stderr, /Allowed choices are native, wasm, reference/);
});

test('mnist trains the seed convnet with the progress display and reports test accuracy', () => {
  const r = run('mnist', '--limit', '64', '--epochs', '1', '--batch-size', '32', '--seed', '1', '--backend', 'reference');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Backend: reference/);
  assert.match(r.stdout, /MNIST: 64 training and 64 test images/);
  assert.match(r.stdout, /Total params: 93,322/);
  assert.match(r.stdout, /Epoch 1\/1\n2\/2 ━{20} \d+s [\d.]+m?s\/step - loss: \d\.\d{4} - accuracy: \d\.\d{4}\n/);
  assert.match(r.stdout, /Test loss: \d\.\d{4}, test accuracy: \d+\.\d{2}%/);
  assert.match(r.stdout, /Time per epoch: [\d.]+ s \(fastest of 1\), reference backend/);
});
