import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { convGeometry } from '../../util/conv-geometry.js';
import { Rng } from '../../util/random.js';
import { referenceKernels as ref } from '../reference/index.js';
import { loadAddon } from './addon.js';
import { loadNativeBackend } from './index.js';
import { uniform } from '../testing.js';
import { nativeKernel, skip } from './testing.js';

const indexModule = fileURLToPath(new URL('./index.js', import.meta.url));

/** Runs a snippet in a fresh Node process that imports this backend, with extra environment variables. */
function describeIn(env: Record<string, string>, module = indexModule): string {
  const script = `import(${JSON.stringify(module)}).then((m) => { const r = m.loadNativeBackend(); console.log('backend' in r ? r.backend.describe() : 'error: ' + r.error); })`;
  return execFileSync(process.execPath, ['-e', script], { env: { ...process.env, ...env }, encoding: 'utf8' }).trim();
}

describe('loading the native backend', () => {
  test('without the compiled addon, loadNativeBackend returns the reason instead of throwing', () => {
    // A copy of the compiled sources with no build/ directory next to it.
    const root = mkdtempSync(join(tmpdir(), 'layerwise-native-'));
    try {
      const dist = fileURLToPath(new URL('../../../', import.meta.url));
      cpSync(join(dist, 'src'), join(root, 'dist', 'src'), { recursive: true });
      const line = describeIn({}, join(root, 'dist', 'src', 'backend', 'native', 'index.js'));
      assert.match(line, /^error: the native addon is not built/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('describe() names the instruction set and threads; the environment can lower both', { skip }, () => {
    const loaded = loadNativeBackend();
    assert.ok('backend' in loaded);
    assert.equal(loaded.backend.name, 'native');
    assert.match(loaded.backend.describe(), /^native \((AVX-512|AVX2\+FMA|portable C\+\+), \d+ threads?\)$/);
    assert.equal(describeIn({ LAYERWISE_SIMD: 'portable', LAYERWISE_THREADS: '1' }), 'native (portable C++, 1 thread)');
    const addon = loadAddon();
    assert.ok(!('error' in addon));
    if (addon.isas.includes('avx2')) assert.match(describeIn({ LAYERWISE_SIMD: 'avx2' }), /^native \(AVX2\+FMA, /);
    assert.match(describeIn({ LAYERWISE_SIMD: 'sse9' }), /LAYERWISE_SIMD=sse9 ignored: this CPU supports /);
  });

  test('setThreads changes the pool size', { skip }, () => {
    const loaded = loadNativeBackend();
    assert.ok('backend' in loaded);
    const before = loaded.backend.describe();
    try {
      loaded.backend.setThreads!(3);
      assert.match(loaded.backend.describe(), /, 3 threads\)$/);
    } finally {
      loaded.backend.setThreads!(Number(/(\d+) threads?\)$/.exec(before)![1]));
    }
  });
});

describe('native kernels outside float32', { skip }, () => {
  test('other dtypes run on the reference kernels', () => {
    const a = new Float64Array([1, 2, 3]), b = new Float64Array([4, 5, 6]);
    const out = new Float64Array(3);
    nativeKernel('binary')({ op: 'mul', a, b, out, broadcast: { shape: [3], size: 3, aStrides: [1], bStrides: [1] } });
    assert.deepEqual([...out], [4, 10, 18]);
    const ints = new Int32Array(2);
    nativeKernel('unary')({ op: 'neg', x: new Int32Array([5, -7]), out: ints, alpha: 0 });
    assert.deepEqual([...ints], [-5, 7]);
    const sums = new Float64Array(1);
    nativeKernel('reduce')({ op: 'sum', x: new Float64Array([0.1, 0.2]), out: sums, reduction: { outer: 1, size: 2, inner: 1 } });
    assert.equal(sums[0], 0.1 + 0.2);
  });

  test('a call whose arrays do not fit its parameters throws before any memory is touched', () => {
    const addon = loadAddon();
    assert.ok(!('error' in addon));
    const g = convGeometry('test', [1, 5, 5, 2], [3, 3, 2, 4], [1, 1], 'valid', [1, 1]);
    const call = { filter: new Float32Array(72), out: new Float32Array(36), bias: null, conv: g, activation: 'linear', alpha: 0 } as const;
    assert.throws(() => nativeKernel('conv2d')({ ...call, x: new Float32Array(49) }), /kernel conv2d: array 'x' expected length 50 for the call's parameters, received length 49/);
    assert.throws(() => nativeKernel('conv2d')({ ...call, x: new Float32Array(50), conv: { ...g, strideH: 0 } }), /kernel conv2d: parameter 'conv.strideH' expected an integer >= 1, received 0/);
    // The addon itself checks element types and enumeration codes, whoever calls it.
    const unary = addon.kernels['unary']!;
    assert.throws(() => unary(new Float32Array(3), new Float64Array(3)), /kernel unary: argument 'out' expected a Float32Array/);
    addon.params[0] = 99;
    assert.throws(() => unary(new Float32Array(3), new Float32Array(3)), /kernel unary: unknown op code/);
  });
});

describe('native results do not depend on the number of threads', { skip }, () => {
  test('matmul, convolution gradients and long reductions are bitwise identical on 1 and 2 threads', () => {
    const addon = loadAddon();
    assert.ok(!('error' in addon));
    const rng = new Rng(50);
    const g = convGeometry('test', [16, 13, 13, 32], [3, 3, 32, 64], [1, 1], 'valid', [1, 1]);
    const x = uniform(rng, 16 * 13 * 13 * 32), dy = uniform(rng, 16 * 11 * 11 * 64);
    const big = uniform(rng, 3_000_000);
    const threads = addon.threads();
    const runs = [1, 2].map((n) => {
      addon.setThreads(n);
      const dFilter = new Float32Array(3 * 3 * 32 * 64);
      nativeKernel('conv2dBackpropFilter')({ x, dy, dFilter, conv: g });
      const sum = new Float32Array(1);
      nativeKernel('reduce')({ op: 'sum', x: big, out: sum, reduction: { outer: 1, size: big.length, inner: 1 } });
      const product = new Float32Array(300 * 200);
      const info = { batch: 1, m: 300, n: 200, k: 500, transA: false, transB: false, aBatchStride: 0, bBatchStride: 0 };
      nativeKernel('matmul')({ a: big.subarray(0, 300 * 500), b: big.subarray(0, 500 * 200), out: product, bias: null, product: info, activation: 'linear', alpha: 0 });
      return { dFilter, sum, product };
    });
    addon.setThreads(threads);
    assert.deepEqual(runs[0], runs[1]);
    // And the reference agrees, so the comparison is not between two wrong answers.
    const expected = new Float32Array(1);
    ref.reduce({ op: 'sum', x: big, out: expected, reduction: { outer: 1, size: big.length, inner: 1 } });
    assert.ok(Math.abs(runs[0]!.sum[0]! - expected[0]!) < 1);
  });
});

describe('the native memory cache', () => {
  test('reuses a released block of the same size, and gives back sizes no longer asked for', { skip }, async () => {
    const addon = loadAddon();
    assert.ok(!('error' in addon));
    // A size nothing else in the suite uses, so the counts below are this test's own.
    const bytes = 3 * 2 ** 20 + 4 * 4099;
    const first = addon.alloc(bytes);
    assert.equal(addon.release(first), true);
    const fresh = addon.cacheStats().freshBlocks;
    assert.equal(addon.release(addon.alloc(bytes)), true);
    assert.equal(addon.cacheStats().freshBlocks, fresh, 'the second block of that size came from the cache');
    // After more than a second without a request for that size, the next release sweeps it out.
    await new Promise((resolve) => setTimeout(resolve, 1300));
    assert.equal(addon.release(addon.alloc(4 * 1031)), true);
    const freshAfterSweep = addon.cacheStats().freshBlocks;
    assert.equal(addon.release(addon.alloc(bytes)), true);
    assert.equal(addon.cacheStats().freshBlocks, freshAfterSweep + 1, 'the swept size is taken from the system again');
  });
});
