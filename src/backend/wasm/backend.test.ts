import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { add, conv2d, linear, logSoftmax, matmul, maxPool2d, mean, mul, neg, reshape, sum } from '../../ops/index.js';
import { RMSprop } from '../../optimizers/index.js';
import { randomNormal, randomUniform, tensor, zeros } from '../../tensor/creation.js';
import { variableGrads } from '../../tensor/tape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { storage } from '../../tensor/tensor.js';
import { Variable } from '../../tensor/variable.js';
import { setSeed } from '../../util/random.js';
import { backend, backendInfo, setBackend } from '../index.js';
import { detectFeatures } from './features.js';
import { loadWasmBackend } from './index.js';
import { assertClose } from '../testing.js';
import { skip } from './testing.js';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', '..', '..');

/** The environment for a child Node process, without the test runner's own markers. */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env['NODE_TEST_CONTEXT'];
  return env;
}

/**
 * A small convolutional network trained with raw ops: conv 3x3 (8 filters, bias and relu fused),
 * max-pool 2, dense 10, log-softmax cross-entropy, RMSprop. Inputs and weights come from the seeded
 * generator, so every backend starts from the same numbers.
 */
interface TinyConvnet {
  weights: Variable[];
  /** One training step on the fixed batch; returns the loss. */
  step(): number;
}

function tinyConvnet(seed: number, batch = 16): TinyConvnet {
  setSeed(seed);
  const x = randomUniform([batch, 14, 14, 1]);
  const labels = new Float32Array(batch * 10);
  for (let i = 0; i < batch; i++) labels[i * 10 + (i % 10)] = 1;
  const y = tensor(labels, { shape: [batch, 10] });
  const filter = new Variable(randomNormal([3, 3, 1, 8], { stddev: 0.3 }));
  const convBias = new Variable(zeros([8]));
  const kernel = new Variable(randomNormal([6 * 6 * 8, 10], { stddev: 0.1 }));
  const bias = new Variable(zeros([10]));
  const optimizer = new RMSprop({ learningRate: 0.01 });
  const loss = (): Tensor => {
    const h = maxPool2d(conv2d(x, filter, { bias: convBias, activation: 'relu' }));
    const logits = linear(reshape(h, [batch, 6 * 6 * 8]), kernel, { bias });
    return mean(neg(sum(mul(y, logSoftmax(logits)), -1)));
  };
  return {
    weights: [filter, convBias, kernel, bias],
    step() {
      const { value, grads } = variableGrads(loss);
      optimizer.applyGradients(grads);
      return value.item();
    },
  };
}

const MIB = 2 ** 20;

describe('the wasm backend in the library', { skip }, () => {
  test('is selected through the registry and describes itself', () => {
    setBackend('wasm');
    assert.equal(backend(), 'wasm');
    assert.match(backendInfo(), /^wasm \(SIMD128, \d+ of \d+ threads, shared memory/);
  });

  test('trains a conv + dense network step for step like the reference backend', () => {
    const run = (name: 'reference' | 'wasm') => {
      setBackend(name);
      const net = tinyConvnet(5);
      const losses = Array.from({ length: 6 }, () => net.step());
      return { losses, weights: net.weights.map((w) => storage(w).slice()) };
    };
    const expected = run('reference');
    const actual = run('wasm');
    assertClose(actual.losses, expected.losses, 'losses', { rtol: 1e-4, atol: 1e-5 });
    assert.ok(actual.losses.at(-1)! < actual.losses[0]!, `the loss goes down: ${actual.losses.join(', ')}`);
    actual.weights.forEach((w, i) => assertClose(w, expected.weights[i]!, `weight ${i}`, { rtol: 1e-3, atol: 1e-4 }));
  });

  test('tensors made before the switch keep working after it', () => {
    setBackend('reference');
    const a = randomUniform([7, 9]), b = randomUniform([9, 5]);
    const expected = storage(add(matmul(a, b), 1)).slice();
    setBackend('wasm');
    assertClose(storage(add(matmul(a, b), 1)), expected, 'matmul of reference-backend tensors', { atol: 1e-5 });
  });

  test('falls back with a reason when WebAssembly or shared memory is missing', () => {
    const scope = globalThis as { WebAssembly?: unknown; SharedArrayBuffer?: unknown };
    const saved = { WebAssembly: scope.WebAssembly, SharedArrayBuffer: scope.SharedArrayBuffer };
    try {
      delete scope.WebAssembly;
      const without = loadWasmBackend({});
      assert.ok('error' in without && /WebAssembly is not available/.test(without.error));
      scope.WebAssembly = saved.WebAssembly;
      delete scope.SharedArrayBuffer;
      assert.equal(detectFeatures().threads, false);
      const single = loadWasmBackend({});
      assert.ok('backend' in single, 'without shared memory the single-threaded build loads');
      assert.match(single.backend.describe(), /1 of 1 threads, fixed memory/);
    } finally {
      scope.WebAssembly = saved.WebAssembly;
      scope.SharedArrayBuffer = saved.SharedArrayBuffer;
    }
  });

  test('worker threads do not keep the process alive', () => {
    const script = `
      const { loadWasmBackend } = await import(${JSON.stringify(join(here, 'index.js'))});
      const loaded = loadWasmBackend({ threads: 2, minChunkWork: { flops: 1, elements: 1 } });
      const b = loaded.backend;
      while (b.threads < 2) await new Promise((r) => setTimeout(r, 5));
      const a = b.alloc('float32', 64 * 64).fill(1), out = b.alloc('float32', 64 * 64);
      b.kernels.matmul({ a, b: a, out, bias: null, product: { batch: 1, m: 64, n: 64, k: 64, transA: false, transB: false, aBatchStride: 0, bBatchStride: 0 }, activation: 'linear', alpha: 0 });
      console.log(out[0]);`;
    const started = Date.now();
    // Node flags of the process (V8 ones, eval-only ones) must not stop the workers from starting.
    const flags = ['--expose-gc', '--input-type=module', '-e', script];
    const result = spawnSync(process.execPath, flags, { env: childEnv(), encoding: 'utf8', timeout: 20_000 });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.trim(), '64');
    assert.ok(Date.now() - started < 10_000, 'the process exits once its work is done');
  });

  test('keeps memory flat over 3000 conv + dense training steps, with no dispose anywhere', () => {
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
