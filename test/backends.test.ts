/**
 * The suites that exercise ops, layers, optimizers and models run, in this process, on the default
 * backend; here they run again on every other backend that loads on this machine (in a child process
 * with LAYERWISE_BACKEND set), so each backend passes the same tests, not only its kernel parity tests.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { availableBackends, backend } from '../src/index.js';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..');

const SUITES = [
  'src/ops/ops.test.js', 'src/tensor/tensor.test.js', 'test/errors.test.js', 'test/gradient-memory.test.js',
  'src/layers/conv2d.test.js', 'src/layers/dense.test.js', 'src/layers/pooling.test.js', 'src/layers/batch-normalization.test.js',
  'src/layers/dropout.test.js', 'src/layers/merge.test.js', 'src/losses/losses.test.js', 'src/optimizers/optimizers.test.js',
  'src/models/fit.test.js', 'src/models/functional.test.js', 'src/models/sequential.test.js', 'src/models/mnist-subset.test.js',
];

const others = availableBackends().filter((name) => name !== backend());

for (const name of ['native', 'wasm', 'reference'] as const) {
  const skip = others.includes(name) ? false : name === backend() ? `${name} is the default backend: the whole suite runs on it` : `the ${name} backend does not load here`;
  test(`the op, layer, optimizer and model suites pass on the ${name} backend`, { skip }, () => {
    const env: NodeJS.ProcessEnv = { ...process.env, LAYERWISE_BACKEND: name };
    delete env['NODE_TEST_CONTEXT'];
    const result = spawnSync(process.execPath, ['--test', ...SUITES.map((f) => join(dist, f))], { env, encoding: 'utf8', timeout: 600_000 });
    const summary = `${result.stdout}${result.stderr}`.split('\n').filter((l) => /^# (pass|fail)|^not ok|error:/.test(l)).join('\n');
    assert.equal(result.status, 0, summary);
  });
}
