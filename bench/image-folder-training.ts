/**
 * Training the seed's convnet from a folder of PNG files, against training it from tensors in memory:
 * images per second of a training epoch, as a ratio to the in-memory run, and each run's peak RSS.
 *   memory  the images decoded once into one tensor, fit(x, y)
 *   png     imageDatasetFromDirectory, every image decoded again every epoch by sharp on `--threads` libuv
 *           threads (UV_THREADPOOL_SIZE), `--parallel` images in flight
 *   cache   the same Dataset with cache(): the first epoch decodes, later ones read memory
 * Each mode runs in its own process (so each peak RSS is its own); the first epoch warms up, the ones
 * after it are timed (median). Needs the folder of examples/fashion-mnist-folder.ts.
 *
 * `--parallel` is the number of images in flight, not of threads: a decode finishes only when the main
 * thread takes its result between two training steps, so a few in flight leave the threads idle while
 * a step runs; two batches' worth (128) let the next batch decode during the step.
 *
 *   npm run build && node dist/examples/fashion-mnist-folder.js --limit 10000
 *   node dist/bench/image-folder-training.js [--dir out/fashion-mnist/train] [--images 4096] [--epochs 3] [--parallel 128] [--threads 2] [--make]
 *
 * `--make` writes the folder first when it is missing. The last line printed is the table as JSON, for
 * `npm run bench` (bench/data.ts).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  Conv2D, Dense, Flatten, MaxPooling2D, RMSprop, Sequential, Tensor, backend, imageDatasetFromDirectory, setSeed,
} from '../src/index.js';
import type { Dataset, LabeledImage } from '../src/index.js';
import { type DataTable, markdownTable, printTable } from './data-table.js';

const MODES = ['memory', 'png', 'cache'] as const;
type Mode = (typeof MODES)[number];
const BATCH = 64;

const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: 'out/fashion-mnist/train' },
    images: { type: 'string', default: '4096' },
    epochs: { type: 'string', default: '3' },
    parallel: { type: 'string', default: '128' },
    threads: { type: 'string', default: '2' },
    mode: { type: 'string' },
    make: { type: 'boolean', default: false },
  },
});
const [images, epochs, parallel] = [Number(values.images), Number(values.epochs), Number(values.parallel)];

if (values.mode !== undefined) await run(values.mode as Mode);
else compare();

function compare(): void {
  if (!existsSync(values.dir) && values.make) {
    const example = fileURLToPath(new URL('../examples/fashion-mnist-folder.js', import.meta.url));
    const out = dirname(values.dir.replace(/\/+$/, ''));
    const made = spawnSync(process.execPath, [example, '--limit', '10000', '--out', out], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (made.status !== 0) process.exit(1);
  }
  if (!existsSync(values.dir)) {
    console.error(`${values.dir} does not exist: write it with node dist/examples/fashion-mnist-folder.js`);
    process.exit(1);
  }
  console.log(`The seed convnet on ${images} images of ${values.dir}, batches of ${BATCH}, ${epochs} epochs (the first warms up), ${parallel} images in flight, decoded on ${values.threads} threads:`);
  const results = new Map<Mode, { imagesPerSecond: number; peakRss: number; backend: string }>();
  for (const mode of MODES) {
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--mode', mode, '--dir', values.dir, '--images', String(images), '--epochs', String(epochs), '--parallel', String(parallel)], {
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, UV_THREADPOOL_SIZE: values.threads },
    });
    if (child.status !== 0) {
      console.error(`mode ${mode} ended with status ${child.status}:\n${child.stdout}`);
      process.exit(1);
    }
    results.set(mode, JSON.parse(child.stdout.trim().split('\n').at(-1)!));
  }
  const base = results.get('memory')!.imagesPerSecond;
  const table: DataTable = {
    headers: ['source', 'images/s', 'ratio to in-memory', 'peak RSS (MiB)'],
    numeric: [1, 2, 3],
    rows: [...results].map(([mode, r]) => [
      { memory: 'tensors in memory', png: 'PNG files, decoded every epoch', cache: 'PNG files, cache() after the first epoch' }[mode],
      r.imagesPerSecond.toFixed(0), (r.imagesPerSecond / base).toFixed(2), (r.peakRss / 1024 / 1024).toFixed(0),
    ]),
    notes: [
      `${results.get('memory')!.backend} backend, ${os.availableParallelism()} cores; ${parallel} images in flight, sharp on ${values.threads} libuv threads (UV_THREADPOOL_SIZE) for the files pngjs does not decode on the main thread (none here: every file is an 8-bit PNG at the size asked).`,
      'Target: PNG files decoded every epoch at ≥ 0.80 of the in-memory throughput on 2 cores.',
    ],
  };
  console.log(markdownTable(table));
  printTable(table);
}

async function run(mode: Mode): Promise<void> {
  setSeed(1234);
  const steps = Math.floor(images / BATCH);
  const folder = imageDatasetFromDirectory(values.dir, { imageSize: [28, 28], colorMode: 'grayscale', batchSize: BATCH, parallel, seed: 1234 }).take(steps);
  const scaled = (d: Dataset<LabeledImage>) => d.map(({ x, y }) => ({ x: x.mul(1 / 255), y })).prefetch(2);
  const model = seedConvnet();
  const times: number[] = [];
  let start = 0;
  const timer = { onEpochBegin: () => void (start = performance.now()), onEpochEnd: () => void times.push((performance.now() - start) / 1000) };
  if (mode === 'memory') {
    const x = new Float32Array(steps * BATCH * 28 * 28);
    const y = new Int32Array(steps * BATCH);
    let n = 0;
    for await (const batch of folder) {
      x.set(batch.x.data(), n * 28 * 28);
      y.set(batch.y.data(), n);
      n += batch.y.size;
    }
    const xs = new Tensor(x.subarray(0, n * 28 * 28), [n, 28, 28, 1]).mul(1 / 255);
    await model.fit(xs, new Tensor(y.subarray(0, n), [n]), { epochs, batchSize: BATCH, verbose: 0, callbacks: [timer] });
  } else {
    await model.fit(scaled(mode === 'cache' ? folder.cache() : folder), { epochs, verbose: 0, callbacks: [timer] });
  }
  const timed = times.slice(1).sort((a, b) => a - b);
  const median = timed[Math.floor(timed.length / 2)]!;
  console.log(JSON.stringify({ imagesPerSecond: (steps * BATCH) / median, peakRss: process.resourceUsage().maxRSS * 1024, backend: backend() }));
}

function seedConvnet(): Sequential {
  const model = new Sequential();
  model.add(new Conv2D({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }));
  model.add(new MaxPooling2D({ poolSize: 2 }));
  model.add(new Conv2D({ filters: 64, kernelSize: 3, activation: 'relu' }));
  model.add(new MaxPooling2D({ poolSize: 2 }));
  model.add(new Conv2D({ filters: 64, kernelSize: 3, activation: 'relu' }));
  model.add(new Flatten());
  model.add(new Dense({ units: 64, activation: 'relu' }));
  model.add(new Dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: new RMSprop({ learningRate: 0.001 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  return model;
}
