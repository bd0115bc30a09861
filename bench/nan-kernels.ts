/**
 * The kernels whose NaN handling changed (relu, max-pooling, the GEMM and conv epilogues): CPU time per
 * call through the public API, median of repeated runs, for this build or another build's dist/, so that
 * two versions are compared on the same machine in the same minutes:
 *
 *   node dist/bench/nan-kernels.js [--dist <path to a dist/ directory>] [--backend native] [--runs 31]
 */
import { parseArgs } from 'node:util';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

type Library = typeof import('../src/index.js');

const { values: args } = parseArgs({
  options: { dist: { type: 'string' }, backend: { type: 'string', default: 'native' }, runs: { type: 'string', default: '31' } },
});
const dist = resolve(args.dist ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
const lw = (await import(join(dist, 'src', 'index.js'))) as Library;
lw.setBackend(args.backend as 'native' | 'wasm' | 'reference');

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Milliseconds of CPU per call: median over runs of `reps` calls, after a warm-up; the event loop turns between runs. */
async function perCall(fn: () => unknown, reps: number): Promise<number> {
  for (let i = 0; i < reps; i++) fn();
  const runs: number[] = [];
  for (let r = 0; r < Number(args.runs); r++) {
    await turn();
    const start = cpuMs();
    for (let i = 0; i < reps; i++) fn();
    runs.push((cpuMs() - start) / reps);
  }
  return median(runs);
}

lw.setSeed(1);
const big = lw.randomUniform([1 << 20], { minval: -1, maxval: 1 });
const activations = lw.randomUniform([64, 26, 26, 32], { minval: -1, maxval: 1 });
const x = lw.randomUniform([256, 512]), w = lw.randomUniform([512, 512]), b = lw.randomUniform([512]);
const image = lw.randomUniform([64, 28, 28, 1]), filter = lw.randomUniform([3, 3, 1, 32]), bias = lw.randomUniform([32]);
const cases: [string, () => unknown, number][] = [
  ['relu [1048576]', () => lw.relu(big), 50],
  ['maxPool2d [64,26,26,32] 2x2', () => lw.maxPool2d(activations, { poolSize: 2 }), 20],
  ['linear 256x512x512 bias+relu', () => lw.linear(x, w, { bias: b, activation: 'relu' }), 20],
  ['conv2d [64,28,28,1]*[3,3,1,32] bias+relu', () => lw.conv2d(image, filter, { bias, activation: 'relu' }), 20],
];
console.log(`${dist} on ${lw.backendInfo()}`);
for (const [label, fn, reps] of cases) console.log(`  ${label.padEnd(42)} ${(await perCall(fn, reps)).toFixed(3).padStart(8)} ms per call (CPU, median)`);
