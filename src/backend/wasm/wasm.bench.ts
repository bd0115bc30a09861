/**
 * Benchmark of the WebAssembly backend: GEMM at 256/512/1024 and the seed convnet's convolutions
 * (batch 64), forward and both gradients, in GFLOP/s on 1 and 2 threads; then a whole training step of
 * the seed convnet (Conv2D 32/64/64 3x3 relu, MaxPool 2, Dense 64 relu, Dense 10 softmax, RMSprop,
 * batch 64) through the public API. Each figure is the best of several timed repetitions (the machine
 * may be shared).
 *
 * With --memory-steps N it then trains N more steps and prints the WebAssembly memory committed, the
 * bytes in live blocks and the process's resident memory as it goes (flat after warm-up).
 *
 *   npm run build && node dist/src/backend/wasm/wasm.bench.js [--threads 1,2] [--reps 7] [--steps 30] [--memory-steps 3000]
 */
import { Conv2D, Dense, Flatten, MaxPooling2D, RMSprop, Sequential, setBackend, setSeed, setThreads, tensor } from '../../index.js';
import type { Tensor } from '../../index.js';
import { convGeometry, poolGeometry, type ConvInfo } from '../../util/conv-geometry.js';
import { Rng } from '../../util/random.js';
import type { WasmBackend } from './index.js';
import { loadWasmBackend } from './index.js';
import { uniform } from '../testing.js';
import { placed, wasmKernel } from './testing.js';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

/** Best seconds per call of `fn`, repeating each timing until it lasts at least 50 ms. */
function time(fn: () => void, reps: number): number {
  fn();
  let calls = 1;
  for (;;) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) fn();
    if (Number(process.hrtime.bigint() - t) > 5e7) break;
    calls *= 2;
  }
  let best = Infinity;
  for (let r = 0; r < reps; r++) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) fn();
    best = Math.min(best, Number(process.hrtime.bigint() - t) / 1e9 / calls);
  }
  return best;
}

interface Row {
  label: string;
  flops: number;
  run: () => void;
}

function gemmRow(b: WasmBackend, rng: Rng, n: number): Row {
  const a = placed(b, uniform(rng, n * n)), w = placed(b, uniform(rng, n * n)), out = placed(b, new Float32Array(n * n));
  const info = { batch: 1, m: n, n, k: n, transA: false, transB: false, aBatchStride: 0, bBatchStride: 0 };
  const matmul = wasmKernel(b, 'matmul');
  return { label: `gemm ${n}x${n}x${n}`, flops: 2 * n ** 3, run: () => matmul({ a, b: w, out, bias: null, product: info, activation: 'linear', alpha: 0 }) };
}

function convRows(b: WasmBackend, rng: Rng, name: string, x: [number, number, number, number], filter: [number, number, number, number]): Row[] {
  const g: ConvInfo = convGeometry(name, x, filter, [1, 1], 'valid', [1, 1]);
  const xs = placed(b, uniform(rng, x[0] * x[1] * x[2] * x[3])), fs = placed(b, uniform(rng, filter[0] * filter[1] * filter[2] * filter[3]));
  const out = placed(b, new Float32Array(g.batch * g.outH * g.outW * g.outC)), dy = placed(b, uniform(rng, out.length));
  const dx = placed(b, new Float32Array(xs.length)), df = placed(b, new Float32Array(fs.length));
  const bias = placed(b, uniform(rng, g.outC));
  const flops = 2 * g.batch * g.outH * g.outW * g.outC * g.kH * g.kW * g.inC;
  const conv2d = wasmKernel(b, 'conv2d'), input = wasmKernel(b, 'conv2dBackpropInput'), filt = wasmKernel(b, 'conv2dBackpropFilter');
  const shape = `${x.slice(1).join('x')}->${g.outC} ${g.kH}x${g.kW}`;
  return [
    { label: `${name} forward+bias+relu ${shape}`, flops, run: () => conv2d({ x: xs, filter: fs, out, bias, conv: g, activation: 'relu', alpha: 0 }) },
    { label: `${name} input gradient`, flops, run: () => input({ dy, filter: fs, dx, conv: g }) },
    { label: `${name} filter gradient`, flops, run: () => filt({ x: xs, dy, dFilter: df, conv: g }) },
  ];
}

async function kernels(threads: number[], reps: number): Promise<void> {
  const loaded = loadWasmBackend({ threads: Math.max(...threads) });
  if ('error' in loaded) throw new Error(loaded.error);
  const b = loaded.backend;
  while (b.threads < Math.max(...threads)) await new Promise((r) => setTimeout(r, 10));
  const rng = new Rng(1);
  const rows: Row[] = [
    gemmRow(b, rng, 256), gemmRow(b, rng, 512), gemmRow(b, rng, 1024),
    ...convRows(b, rng, 'conv1', [64, 28, 28, 1], [3, 3, 1, 32]),
    ...convRows(b, rng, 'conv2', [64, 13, 13, 32], [3, 3, 32, 64]),
    ...convRows(b, rng, 'conv3', [64, 5, 5, 64], [3, 3, 64, 64]),
  ];
  const pool = poolGeometry('pool', [64, 26, 26, 32], [2, 2], [2, 2], 'valid');
  const px = placed(b, uniform(rng, 64 * 26 * 26 * 32)), pout = placed(b, new Float32Array(64 * 13 * 13 * 32));
  const pdx = placed(b, new Float32Array(px.length));
  const maxPool = wasmKernel(b, 'maxPool2d'), maxPoolGrad = wasmKernel(b, 'maxPool2dGrad');

  console.log(`${b.describe()}, best of ${reps}`);
  console.log(['kernel', ...threads.map((t) => `${t} thread${t === 1 ? '' : 's'}`)].join(' | '));
  for (const row of rows) {
    const cells = threads.map((t) => {
      b.setThreads?.(t);
      const s = time(row.run, reps);
      return `${(row.flops / s / 1e9).toFixed(1)} GFLOP/s (${(s * 1e3).toFixed(3)} ms)`;
    });
    console.log([row.label, ...cells].join(' | '));
  }
  for (const [label, run] of [
    ['maxPool2d 26x26x32 /2', () => maxPool({ x: px, out: pout, pool })],
    ['maxPool2dGrad 26x26x32 /2', () => maxPoolGrad({ x: px, dy: pout, dx: pdx, pool })],
  ] as const) {
    const cells = threads.map((t) => {
      b.setThreads?.(t);
      return `${(time(run, reps) * 1e3).toFixed(3)} ms`;
    });
    console.log([label, ...cells].join(' | '));
  }
}

const BATCH = 64;

/** The seed convnet, compiled with RMSprop and categorical cross-entropy. */
function seedConvnet(): Sequential {
  setSeed(1);
  const model = new Sequential([
    new Conv2D({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
    new MaxPooling2D({ poolSize: 2 }),
    new Conv2D({ filters: 64, kernelSize: 3, activation: 'relu' }),
    new MaxPooling2D({ poolSize: 2 }),
    new Conv2D({ filters: 64, kernelSize: 3, activation: 'relu' }),
    new Flatten(),
    new Dense({ units: 64, activation: 'relu' }),
    new Dense({ units: 10, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: new RMSprop(), loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  return model;
}

/** A fixed batch of random images with one-hot labels. */
function batchOfImages(): [Tensor, Tensor] {
  const rng = new Rng(3);
  const x = tensor(uniform(rng, BATCH * 28 * 28, 0, 1), { shape: [BATCH, 28, 28, 1] });
  const labels = new Float32Array(BATCH * 10);
  for (let i = 0; i < BATCH; i++) labels[i * 10 + (i % 10)] = 1;
  return [x, tensor(labels, { shape: [BATCH, 10] })];
}

/** Milliseconds per training step of the seed convnet (best of `steps` after warm-up), per thread count. */
async function trainingStep(threads: number[], steps: number): Promise<void> {
  setBackend('wasm');
  const batch = BATCH;
  const [x, y] = batchOfImages();
  for (const t of threads) {
    setThreads(t);
    await new Promise((r) => setTimeout(r, 200));
    const model = seedConvnet();
    for (let i = 0; i < 5; i++) model.trainOnBatch(x, y);
    let best = Infinity, total = 0;
    for (let i = 0; i < steps; i++) {
      const t0 = performance.now();
      model.trainOnBatch(x, y);
      const ms = performance.now() - t0;
      best = Math.min(best, ms);
      total += ms;
    }
    console.log(`training step, seed convnet, batch ${batch}, ${t} thread${t === 1 ? '' : 's'}: best ${best.toFixed(2)} ms, mean ${(total / steps).toFixed(2)} ms (${((batch * 1000) / best).toFixed(0)} samples/s at best)`);
  }
}

/** Trains `steps` steps in one synchronous loop, printing memory ten times along the way. */
function memoryOverSteps(steps: number): void {
  setBackend('wasm');
  const loaded = loadWasmBackend();
  if ('error' in loaded) throw new Error(loaded.error);
  const [x, y] = batchOfImages();
  const model = seedConvnet();
  const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
  console.log('step | wasm memory committed (MiB) | in live blocks (MiB) | forced collections | process RSS (MiB)');
  for (let step = 1; step <= steps; step++) {
    model.trainOnBatch(x, y);
    if (step % Math.max(1, Math.floor(steps / 10)) === 0) {
      const m = loaded.backend.memoryStats();
      console.log(`${step} | ${mib(m.committedBytes)} | ${mib(m.liveBytes)} | ${m.reclaims} | ${mib(process.memoryUsage().rss)}`);
    }
  }
}

const threads = option('threads', '1,2').split(',').map(Number);
await kernels(threads, Number(option('reps', '7')));
await trainingStep(threads, Number(option('steps', '30')));
const memorySteps = Number(option('memory-steps', '0'));
if (memorySteps > 0) memoryOverSteps(memorySteps);
