/**
 * Memory stays bounded by the buffers a pipeline asks for: 2 GiB of samples streamed from a generator
 * through shuffle(1000).batch(64).prefetch(2), in a child process, keep its peak RSS far below the data's
 * size (the buffers hold 16 MiB; the rest is the runtime and garbage not yet collected).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const CEILING_MIB = 512;

test('streaming 2 GiB through shuffle, batch and prefetch keeps RSS below a ceiling', () => {
  const child = join(dirname(fileURLToPath(import.meta.url)), 'dataset-memory-child.js');
  const out = execFileSync(process.execPath, [child, '2'], { encoding: 'utf8', timeout: 120_000 });
  const report = JSON.parse(out.trim().split('\n').at(-1)!) as { count: number; seen: number; checksum: number; peakMiB: number };
  assert.equal(report.seen, report.count, 'every sample arrived');
  assert.equal(report.checksum, (report.count * (report.count - 1)) / 2, 'each sample exactly once');
  assert.ok(report.peakMiB < CEILING_MIB, `peak RSS ${report.peakMiB.toFixed(0)} MiB for 2048 MiB streamed (ceiling ${CEILING_MIB} MiB)`);
});
