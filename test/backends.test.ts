/**
 * The suites that exercise ops, layers, optimizers and models run, in this process, on the default
 * backend; here they run again on every other backend that loads on this machine (in a child process
 * with LAYERWISE_BACKEND set), so each backend passes the same tests, not only its kernel parity tests.
 * A test file joins them by starting with the line `// @every-backend` (kept in the compiled file).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { BACKEND_NAMES } from '../src/backend/index.js';
import { availableBackends, backend } from '../src/index.js';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..');
const MARKER = /^\/\/ @every-backend\b/;

function testFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'node_modules' && name !== 'browser') testFiles(path, out);
    } else if (name.endsWith('.test.js')) {
      out.push(path);
    }
  }
  return out;
}

// A compiled test whose source was moved or deleted stays in dist/ until a clean build: it does not count.
const root = join(dist, '..');
const hasSource = (file: string): boolean => existsSync(join(root, relative(dist, file).replace(/\.js$/, '.ts')));
const suites = testFiles(dist).filter((file) => hasSource(file) && MARKER.test(readFileSync(file, 'utf8'))).sort();

test('the suites to rerun are found by their marker', () => {
  const found = suites.map((f) => relative(dist, f));
  for (const expected of ['src/ops/ops.test.js', 'src/optimizers/optimizers.test.js', 'test/gradient-memory.test.js']) {
    assert.ok(found.includes(expected), `${expected} carries the marker; found ${found.join(', ')}`);
  }
  assert.ok(!found.includes('test/backends.test.js'));
});

const others = availableBackends().filter((name) => name !== backend());

for (const name of BACKEND_NAMES) {
  const skip = others.includes(name) ? false : name === backend() ? `${name} is the default backend: the whole suite runs on it` : `the ${name} backend does not load here`;
  test(`the op, layer, optimizer and model suites pass on the ${name} backend`, { skip }, () => {
    const env: NodeJS.ProcessEnv = { ...process.env, LAYERWISE_BACKEND: name };
    delete env['NODE_TEST_CONTEXT'];
    const result = spawnSync(process.execPath, ['--test', ...suites], { env, encoding: 'utf8', timeout: 600_000 });
    const summary = `${result.stdout}${result.stderr}`.split('\n').filter((l) => /^# (pass|fail)|^not ok|error:/.test(l)).join('\n');
    assert.equal(result.status, 0, summary);
  });
}
