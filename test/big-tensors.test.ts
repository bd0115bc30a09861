/**
 * Tensors over 4 GiB (more than 2^30 float32 elements): the native backend's buffers and WebAssembly's
 * memory stop there. Asking for one is a clear error naming the op or layer, the size and the limit,
 * thrown before anything is allocated — never an abort (Node's failure path for an external ArrayBuffer
 * over 2^32 bytes frees the block twice, exit 134). Each case runs in a child process, so that an abort
 * fails the test instead of killing the runner.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { availableBackends } from '../src/index.js';

const child = join(dirname(fileURLToPath(import.meta.url)), 'big-tensors-child.js');

function run(backend: string, what: string): { name?: string; message?: string; library?: boolean; ok?: boolean } {
  const r = spawnSync(process.execPath, [child, backend, what], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.signal, null, `the child was killed by ${r.signal}: ${r.stderr}`);
  assert.equal(r.status, 0, `the child exited with ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { name?: string; message?: string; library?: boolean };
}

const expected: [string, RegExp][] = [
  ['zeros', /^zeros: cannot allocate a float32 tensor of shape \[1073741825\] \(1073741825 elements, 4\.00 GiB\) on the \w+ backend: the \w+ backend holds at most 2\^30 float32 elements \(4 GiB/],
  ['matmul', /^matmul: cannot allocate a float32 tensor of shape \[70000, 70000\] \(4900000000 elements, 18\.25 GiB\) on the \w+ backend: .*2\^30 float32 elements/],
  ['dense', /^Dense 'dense\w*': weight 'kernel' of shape \[4, 1000000000\]: \w+: cannot allocate a float32 tensor .*14\.90 GiB.*2\^30 float32 elements/],
];

for (const backend of availableBackends().filter((b) => b === 'native' || b === 'wasm')) {
  describe(`tensors over 4 GiB on ${backend}: a clear error, never an abort`, () => {
    for (const [what, message] of expected) {
      test(what, () => {
        const r = run(backend, what);
        assert.equal(r.library, true, `a LayerwiseError, received ${JSON.stringify(r)}`);
        assert.match(r.message!, message);
      });
    }
  });
}
