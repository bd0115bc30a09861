/**
 * A fuzz test of public entry points: ops, tensor creation and layer constructors called with random
 * arguments and option objects (numbers at the edges, strings, typed arrays, nested arrays, objects with
 * known and unknown keys, tensors of random shapes and dtypes) from a seeded generator, for two seconds
 * per backend. Every call must give a LayerwiseError whose message starts with the entry point, or a
 * tensor of a known dtype whose data fills its shape — never a bare TypeError from inside the library, an
 * abort or a hang (the calls run in a child process with a time limit).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { availableBackends } from '../src/index.js';

const child = join(dirname(fileURLToPath(import.meta.url)), 'fuzz-child.js');
const SEED = 20261207;

for (const backend of availableBackends()) {
  test(`random arguments to public entry points on ${backend}: a clear error or a well-formed result`, () => {
    const r = spawnSync(process.execPath, [child, backend, String(SEED), '2000'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.signal, null, `the fuzz process was killed by ${r.signal} (a hang or an abort): ${r.stderr}`);
    assert.equal(r.status, 0, `the fuzz process exited with ${r.status}: ${r.stderr}`);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { calls?: number; name?: string; problem?: string });
    const problems = lines.filter((l) => l.problem !== undefined);
    assert.deepEqual(problems, [], `seed ${SEED}: calls that gave no clear error`);
    assert.ok((lines.at(-1)?.calls ?? 0) > 100, `too few calls: ${r.stdout}`);
  });
}
