/**
 * What reaching a kernel from JavaScript costs, and what a training batch costs: tiny ops through the
 * public API (where the kernel itself is negligible) and training batches of the seed's convnet on random
 * data, as medians. Times are CPU time of this process (user + system, so garbage collection on helper
 * threads counts, and time the scheduler gives to other processes does not) and, for batches, wall time.
 * Give another build's dist/ to compare two versions on the same machine in the same minutes:
 *
 *   node dist/bench/call-overhead.js [--dist <path to a dist/ directory>] [--backend native] [--batches 200] [--live-mb 0]
 *
 * V8 starts incremental marking much more often once the old generation holds more than about 8 MB, and
 * this small program sits near that line, so a few hundred kB of extra code can move a version across it.
 * `--live-mb` keeps that many MB of live objects on the JavaScript heap (a real program, with its data
 * and framework, is well above the line), so that two versions are compared under the same collector.
 */
import { parseArgs } from 'node:util';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

type Library = typeof import('../src/index.js');

const { values: args } = parseArgs({
  options: {
    dist: { type: 'string' }, backend: { type: 'string', default: 'native' }, batches: { type: 'string', default: '200' },
    'live-mb': { type: 'string', default: '0' },
  },
});
// About 64 bytes per object.
const live = Array.from({ length: Math.round((Number(args['live-mb']) * 2 ** 20) / 64) }, (_, i) => ({ i, next: null }));
const dist = resolve(args.dist ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
const lw = (await import(join(dist, 'src', 'index.js'))) as Library;
lw.setBackend(args.backend as 'native' | 'wasm' | 'reference');

const cpuNs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
};
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** CPU nanoseconds per call, median of 25 runs of 20,000 calls after a warm-up. */
function perCall(fn: () => unknown): number {
  for (let i = 0; i < 20_000; i++) fn();
  const runs: number[] = [];
  for (let r = 0; r < 25; r++) {
    const start = cpuNs();
    for (let i = 0; i < 20_000; i++) fn();
    runs.push((cpuNs() - start) / 20_000);
  }
  return median(runs);
}

const x4 = lw.tensor([0.5, -1, 2, -3]);
const a = lw.randomUniform([2, 4]), b = lw.randomUniform([4]), m = lw.randomUniform([4, 4]);
const image = lw.randomUniform([1, 5, 5, 2]), filter = lw.randomUniform([3, 3, 2, 3]);
const calls: [string, () => unknown][] = [
  ['relu [4]', () => lw.relu(x4)],
  ['add [2,4] + [4]', () => lw.add(a, b)],
  ['matmul [4,4] x [4,4]', () => lw.matmul(m, m)],
  ['conv2d [1,5,5,2] * [3,3,2,3]', () => lw.conv2d(image, filter)],
  ['sum [2,4]', () => lw.sum(a)],
];
console.log(`${dist} on ${lw.backendInfo()}`);
for (const [label, fn] of calls) console.log(`  ${label.padEnd(30)} ${perCall(fn).toFixed(0).padStart(6)} ns per call (CPU)`);

// The seed's convnet, batch 64, RMSprop; trainOnBatch plus one turn of the event loop, as fit does.
lw.setSeed(1);
const model = new lw.Sequential([
  new lw.Conv2D({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
  new lw.MaxPooling2D({ poolSize: 2 }),
  new lw.Conv2D({ filters: 64, kernelSize: 3, activation: 'relu' }),
  new lw.MaxPooling2D({ poolSize: 2 }),
  new lw.Conv2D({ filters: 64, kernelSize: 3, activation: 'relu' }),
  new lw.Flatten(),
  new lw.Dense({ units: 64, activation: 'relu' }),
  new lw.Dense({ units: 10, activation: 'softmax' }),
]);
model.compile({ optimizer: 'rmsprop', loss: 'categorical_crossentropy' });
const batch = 64;
const images = lw.randomUniform([batch, 28, 28, 1]).data();
const labels = new Float32Array(batch * 10).map((_, i) => (i % 10 === Math.floor(i / 10) % 10 ? 1 : 0));
const turn = (): Promise<void> => new Promise((r) => setImmediate(r));
const wall: number[] = [], cpu: number[] = [];
const batches = Number(args.batches);
for (let i = 0; i < batches + 20; i++) {
  const w = performance.now(), c = cpuNs();
  model.trainOnBatch(lw.tensor(images, { shape: [batch, 28, 28, 1] }), lw.tensor(labels, { shape: [batch, 10] }));
  await turn();
  if (i >= 20) {
    wall.push(performance.now() - w);
    cpu.push((cpuNs() - c) / 1e6);
  }
}
console.log(`  training batch (seed convnet, 64)  wall ${median(wall).toFixed(2)} ms, CPU ${median(cpu).toFixed(2)} ms (medians of ${batches}; ${live.length > 0 ? `${args['live-mb']} MB` : 'no'} extra live heap)`);
