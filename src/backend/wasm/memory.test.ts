import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setBackend } from '../index.js';
import { loadWasmBackend } from './index.js';
import { skip } from './testing.js';
import { tinyConvnet } from './training.js';

const MIB = 2 ** 20;

describe('memory over a long training run', { skip }, () => {
  test('stays flat over 3000 conv + dense training steps, with no dispose anywhere', () => {
    setBackend('wasm');
    // Without options the loader returns the backend the registry is using.
    const active = loadWasmBackend();
    assert.ok('backend' in active);
    const net = tinyConvnet(9, 32);
    const committed: number[] = [];
    let stats = active.backend.memoryStats();
    for (let step = 1; step <= 3000; step++) {
      net.step();
      if (step % 500 === 0) {
        stats = active.backend.memoryStats();
        committed.push(stats.committedBytes);
      }
    }
    assert.ok(stats.reclaims >= 3, `the heap reclaimed by itself (${stats.reclaims} times)`);
    const [, second, ...rest] = committed;
    for (const c of rest) assert.equal(c, second, `committed memory after warm-up (MiB): ${committed.map((b) => (b / MIB).toFixed(0)).join(', ')}`);
  });
});
