/**
 * Micro-benchmark of the native backend's heavy kernels: GEMM at 256/512/1024 and the seed convnet's
 * convolutions (batch 64), forward and both gradients, on 1 and 2 threads, in GFLOP/s. Each figure is the
 * best of several timed repetitions (the machine may be shared).
 *
 *   npm run build && node dist/src/backend/native/native.bench.js [--isa avx2] [--threads 1,2] [--reps 7]
 */
import { convGeometry, poolGeometry, type ConvInfo } from '../../util/conv-geometry.js';
import { Rng } from '../../util/random.js';
import type { Kernels } from '../kernels.js';
import { loadAddon } from './addon.js';
import { uniform } from '../testing.js';
import { nativeKernel } from './testing.js';

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

function gemmRow(rng: Rng, m: number, n: number, k: number): Row {
  const a = uniform(rng, m * k), b = uniform(rng, k * n), out = new Float32Array(m * n);
  const info = { batch: 1, m, n, k, transA: false, transB: false, aBatchStride: 0, bBatchStride: 0 };
  const matmul: Kernels['matmul'] = nativeKernel('matmul');
  return { label: `gemm ${m}x${n}x${k}`, flops: 2 * m * n * k, run: () => matmul({ a, b, out, bias: null, product: info, activation: 'linear', alpha: 0 }) };
}

function convRows(rng: Rng, name: string, x: [number, number, number, number], filter: [number, number, number, number]): Row[] {
  const g: ConvInfo = convGeometry(name, x, filter, [1, 1], 'valid', [1, 1]);
  const xs = uniform(rng, x[0] * x[1] * x[2] * x[3]), fs = uniform(rng, filter[0] * filter[1] * filter[2] * filter[3]);
  const out = new Float32Array(g.batch * g.outH * g.outW * g.outC), dy = uniform(rng, out.length);
  const dx = new Float32Array(xs.length), df = new Float32Array(fs.length);
  const bias = uniform(rng, g.outC);
  const flops = 2 * g.batch * g.outH * g.outW * g.outC * g.kH * g.kW * g.inC;
  const conv2d = nativeKernel('conv2d'), input = nativeKernel('conv2dBackpropInput'), filt = nativeKernel('conv2dBackpropFilter');
  const shape = `${x.slice(1).join('x')}->${g.outC} ${g.kH}x${g.kW}`;
  return [
    { label: `${name} forward+bias+relu ${shape}`, flops, run: () => conv2d({ x: xs, filter: fs, out, bias, conv: g, activation: 'relu', alpha: 0 }) },
    { label: `${name} input gradient`, flops, run: () => input({ dy, filter: fs, dx, conv: g }) },
    { label: `${name} filter gradient`, flops, run: () => filt({ x: xs, dy, dFilter: df, conv: g }) },
  ];
}

function main(): void {
  const addon = loadAddon();
  if ('error' in addon) {
    console.error(`native backend unavailable: ${addon.error}`);
    process.exit(1);
  }
  addon.setIsa(option('isa', addon.isas[0]!));
  const threads = option('threads', '1,2').split(',').map(Number);
  const reps = Number(option('reps', '7'));
  const rng = new Rng(1);
  const rows: Row[] = [
    gemmRow(rng, 256, 256, 256),
    gemmRow(rng, 512, 512, 512),
    gemmRow(rng, 1024, 1024, 1024),
    ...convRows(rng, 'conv1', [64, 28, 28, 1], [3, 3, 1, 32]),
    ...convRows(rng, 'conv2', [64, 13, 13, 32], [3, 3, 32, 64]),
    ...convRows(rng, 'conv3', [64, 5, 5, 64], [3, 3, 64, 64]),
  ];
  const pool = poolGeometry('pool', [64, 26, 26, 32], [2, 2], [2, 2], 'valid');
  const px = uniform(rng, 64 * 26 * 26 * 32), pout = new Float32Array(64 * 13 * 13 * 32), pdx = new Float32Array(px.length);
  const maxPool = nativeKernel('maxPool2d'), maxPoolGrad = nativeKernel('maxPool2dGrad');

  console.log(`native backend, ${addon.isa()}, best of ${reps}`);
  console.log(['kernel', ...threads.map((t) => `${t} thread${t === 1 ? '' : 's'}`)].join(' | '));
  for (const row of rows) {
    const cells = threads.map((t) => {
      addon.setThreads(t);
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
      addon.setThreads(t);
      return `${(time(run, reps) * 1e3).toFixed(3)} ms`;
    });
    console.log([label, ...cells].join(' | '));
  }
}

main();
