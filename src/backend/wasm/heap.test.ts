import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Rng } from '../../util/random.js';
import type { MatmulInfo } from '../kernels.js';
import { referenceKernels as ref } from '../reference/index.js';
import { loadWasmBackend } from './index.js';
import { classBytes, sizeClass } from './size-classes.js';
import type { Term } from '../expression.js';
import { compile, operands } from '../expression.js';
import { assertClose, uniform } from '../testing.js';
import { skip, wasmKernel } from './testing.js';

const MIB = 2 ** 20;

describe('the WebAssembly heap', { skip }, () => {
  test('size classes hold their sizes with at most a fifth of waste', () => {
    let previous = 0;
    for (let bytes = 1; bytes < 2 ** 31; bytes = Math.ceil(bytes * 1.07) + 1) {
      const cls = sizeClass(bytes), size = classBytes(cls);
      assert.ok(size >= bytes, `class ${cls} (${size} bytes) holds ${bytes}`);
      assert.ok(size <= Math.max(bytes + 63, bytes * 1.25), `class ${cls} (${size} bytes) wastes too much for ${bytes}`);
      assert.ok(cls >= previous, `classes grow with sizes (${bytes})`);
      assert.equal(sizeClass(size), cls, `a class's own size maps back to it (${size})`);
      previous = cls;
    }
  });

  test('tensors live in WebAssembly memory, aligned, and come back when collected', () => {
    const loaded = loadWasmBackend({ threads: 1 });
    assert.ok('backend' in loaded);
    const b = loaded.backend;
    const a = b.alloc('float32', 1000);
    assert.ok(a instanceof Float32Array && a.length === 1000);
    assert.equal(a.byteOffset % 64, 0);
    assert.ok(a.buffer instanceof SharedArrayBuffer, 'threads share the memory');
    assert.ok(!(b.alloc('int32', 3) instanceof Float32Array), 'other dtypes stay on the JS heap');
    const before = b.memoryStats();
    const churn = () => {
      for (let i = 0; i < 2000; i++) b.alloc('float32', 4096).fill(i);
    };
    churn();
    b.reclaimMemory();
    const after = b.memoryStats();
    assert.ok(after.liveBytes <= before.liveBytes + 64 * 1024, `dropped arrays come back (live ${before.liveBytes} -> ${after.liveBytes})`);
    churn();
    b.reclaimMemory();
    assert.equal(b.memoryStats().committedBytes, after.committedBytes, 'a second round reuses the same blocks');
    assert.equal(a[0], a[0], 'a live array is untouched');
  });

  test('memory stays flat under a steady stream of allocations, without explicit reclaims', () => {
    const loaded = loadWasmBackend({ threads: 1 });
    assert.ok('backend' in loaded);
    const b = loaded.backend;
    const sizes = [10, 1000, 50_000, 300_000, 1_000_000];
    let committedAfterWarmup = 0;
    // ~2 GB of allocation in total: many times the collection budget.
    for (let step = 0; step < 400; step++) {
      for (const n of sizes) b.alloc('float32', n)[n - 1] = step;
      if (step === 100) committedAfterWarmup = b.memoryStats().committedBytes;
    }
    const stats = b.memoryStats();
    assert.ok(stats.reclaims >= 2, `the heap collected by itself (${stats.reclaims} times)`);
    assert.equal(stats.committedBytes, committedAfterWarmup, `memory grew after warm-up: ${committedAfterWarmup / MIB} -> ${stats.committedBytes / MIB} MiB`);
  });

  test('a full fixed memory hands out JS arrays, and kernels still compute on them', () => {
    const loaded = loadWasmBackend({ forceSingle: true, maximumBytes: 32 * MIB });
    assert.ok('backend' in loaded);
    const b = loaded.backend;
    const held: Float32Array[] = [];
    let spilled: Float32Array | null = null;
    for (let i = 0; i < 100 && spilled === null; i++) {
      const a = b.alloc('float32', 1 << 20);
      if (!(a instanceof Float32Array)) throw new Error('expected a float32 array');
      if (b.memoryStats().committedBytes === 32 * MIB && !(a.buffer instanceof SharedArrayBuffer) && a.buffer.byteLength === a.byteLength) spilled = a;
      else held.push(a);
    }
    assert.ok(spilled !== null, 'allocation falls back to the JS heap when the memory is full');
    const rng = new Rng(60);
    const m = 33, n = 20, k = 17;
    const info: MatmulInfo = { batch: 1, m, n, k, transA: false, transB: true, aBatchStride: 0, bBatchStride: 0 };
    const x = uniform(rng, m * k), w = uniform(rng, n * k), out = new Float32Array(m * n), expected = new Float32Array(m * n);
    ref.matmul({ a: x, b: w, out: expected, bias: null, product: info, activation: 'linear', alpha: 0 });
    wasmKernel(b, 'matmul')({ a: x, b: w, out, bias: null, product: info, activation: 'linear', alpha: 0 });
    assertClose(out, expected, 'matmul on JS arrays with the memory full', { atol: 1e-5 });
    assert.equal(held.length > 0, true);
  });

  test('arrays from elsewhere are staged in and out; float64 runs on the reference kernels', () => {
    const loaded = loadWasmBackend({ threads: 1 });
    assert.ok('backend' in loaded);
    const b = loaded.backend;
    const rng = new Rng(61);
    const p = uniform(rng, 103), g = uniform(rng, 103), v = uniform(rng, 103);
    const [pr, vr] = [p.slice(), v.slice()];
    // An SGD step with Nesterov momentum, updating the parameter and the velocity in place.
    const [param, grad, velocity] = operands(3) as [Term, Term, Term];
    const v1 = velocity.mul(0.9).sub(grad.mul(0.1));
    const { code, constants } = compile({ 2: v1, 0: param.add(v1.mul(0.9).sub(grad.mul(0.1))) });
    ref.expression({ operands: [pr, g, vr], program: code, constants });
    wasmKernel(b, 'expression')({ operands: [p, g, v], program: code, constants });
    assertClose(p, pr, 'parameter updated in place on the JS heap');
    assertClose(v, vr, 'velocity updated in place on the JS heap');
    const x = Float64Array.from(uniform(rng, 50)), out = new Float64Array(50), expected = new Float64Array(50);
    ref.unary({ op: 'tanh', x, out: expected, alpha: 0 });
    wasmKernel(b, 'unary')({ op: 'tanh', x, out, alpha: 0 });
    assert.deepEqual(out, expected);
  });
});
