/**
 * The glue generated from the kernel table (native/generated, wasm/generated, src/backend/generated) is a
 * build product: this fails when it is stale or was edited by hand, and says to rebuild.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

test('the generated kernel glue matches the kernel table', () => {
  const result = spawnSync(process.execPath, [join(root, 'scripts/generate-kernels.mjs'), '--check'], { cwd: root, encoding: 'utf8' });
  assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
});
