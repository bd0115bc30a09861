/**
 * The measuring half of every Node.js peer: a peer supplies the model and a matrix product, this file
 * times them the same way for all and prints the report. `bench/peers/pytorch.py` measures the same way.
 *
 * A peer module ends with `await runNodePeer(peer)` and is started by the driver as
 * `node dist/bench/peers/<peer>.js --plan '<Plan JSON>' [peer arguments]`.
 */
import { parseArgs } from 'node:util';
import { mnistFiles, readIdx } from '../../src/data/idx.js';
import { Rng } from '../../src/util/random.js';
import { machineBusySeconds } from '../machine.js';
import type { GemmResult, GemmShape, PeerReport, Plan, WindowStats } from '../protocol.js';

const IMAGE_PIXELS = 28 * 28;
const CLASSES = 10;

/**
 * The seed's convnet with softmax output, Keras initializers, RMSprop and categorical cross-entropy.
 * The arrays passed in are refilled for the next batch once a call resolves: copy them to keep them.
 */
export interface BenchModel {
  /** One optimizer step; resolves once the step has fully completed. `images` is NHWC [batch, 28, 28, 1]. */
  trainBatch(images: Float32Array, oneHotLabels: Float32Array, batch: number): Promise<void>;
  /** Class probabilities, [batch, 10] row-major. */
  predict(images: Float32Array, batch: number): Promise<Float32Array>;
}

export interface NodePeer {
  framework: string;
  setting: string;
  /** A freshly initialised model; the same seed gives the same weights. */
  createModel(seed: number): Promise<BenchModel>;
  /** Prepares operands for [m, k] x [k, n] and returns a function that runs the product once to completion (resolving, where a GPU computes it). */
  prepareGemm(shape: GemmShape): () => void | Promise<void>;
  versions(): Record<string, string>;
  /** Read after the run, so a peer can report what it observed (for example which patched kernels ran). */
  notes(): string[];
}

interface Mnist {
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
}

function loadMnist(imagesPath: string, labelsPath: string): Mnist {
  const images = readIdx(imagesPath);
  const labels = readIdx(labelsPath);
  if (images.dtype !== 'uint8' || labels.dtype !== 'uint8') {
    throw new Error(`MNIST: expected uint8 IDX files, received ${images.dtype} images and ${labels.dtype} labels`);
  }
  return { images: images.data, labels: labels.data, count: labels.data.length };
}

/** Fills `x` (scaled to [0, 1]) and `y` (one-hot) with the samples at `indices`. */
function gather(data: Mnist, indices: ArrayLike<number>, x: Float32Array, y: Float32Array): void {
  y.fill(0);
  for (let i = 0; i < indices.length; i++) {
    const sample = indices[i]!;
    const pixels = data.images.subarray(sample * IMAGE_PIXELS, (sample + 1) * IMAGE_PIXELS);
    for (let p = 0; p < IMAGE_PIXELS; p++) x[i * IMAGE_PIXELS + p] = pixels[p]! / 255;
    y[i * CLASSES + data.labels[sample]!] = 1;
  }
}

/** An endless stream of shuffled batches; each epoch is a fresh seeded permutation. */
class BatchStream {
  readonly x: Float32Array;
  readonly y: Float32Array;
  #order: Int32Array = new Int32Array(0);
  #at = 0;
  readonly #rng: Rng;

  constructor(
    readonly data: Mnist,
    readonly batchSize: number,
    seed: number,
  ) {
    this.#rng = new Rng(seed);
    this.x = new Float32Array(batchSize * IMAGE_PIXELS);
    this.y = new Float32Array(batchSize * CLASSES);
    this.#at = data.count;
  }

  next(): void {
    if (this.#at + this.batchSize > this.data.count) {
      this.#order = this.#rng.permutation(this.data.count);
      this.#at = 0;
    }
    gather(this.data, this.#order.subarray(this.#at, this.#at + this.batchSize), this.x, this.y);
    this.#at += this.batchSize;
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

interface Window {
  rate: number;
  seconds: number;
  batches: number;
  /** Cores other processes kept busy meanwhile: the machine's busy time minus this process's own CPU time. */
  others: number | null;
}

async function timeWindow(runBatch: () => Promise<void>, samplesPerBatch: number, done: (batches: number, seconds: number) => boolean): Promise<Window> {
  const busyBefore = machineBusySeconds();
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  let batches = 0;
  let seconds = 0;
  do {
    await runBatch();
    batches++;
    seconds = (performance.now() - start) / 1000;
  } while (!done(batches, seconds));
  const cpu = process.cpuUsage(cpuBefore);
  const busyAfter = machineBusySeconds();
  const others = busyBefore === null || busyAfter === null ? null : Math.max(0, (busyAfter - busyBefore - (cpu.user + cpu.system) / 1e6) / seconds);
  return { rate: (batches * samplesPerBatch) / seconds, seconds, batches, others };
}

function summarise(windows: Window[], discardedWindows: number, method: string): WindowStats {
  const rates = windows.map((w) => w.rate);
  const others = windows.map((w) => w.others);
  return {
    median: median(rates),
    best: Math.max(...rates),
    worst: Math.min(...rates),
    windows: windows.length,
    windowSeconds: windows.reduce((sum, w) => sum + w.seconds, 0) / windows.length,
    batchesPerWindow: windows.reduce((sum, w) => sum + w.batches, 0) / windows.length,
    discardedWindows,
    otherCoresBusy: others.some((o) => o === null) ? null : Math.max(...others.map(Number)),
    method,
  };
}

/**
 * Warms up, then times `count` windows of at least `plan.windowSeconds`; the median window counts. Windows
 * disturbed by other processes are timed again (see Plan.maxOtherCores). A peer too slow for windows is
 * timed as `Plan.slowTimedBatches` describes.
 */
async function timedWindows(runBatch: () => Promise<void>, samplesPerBatch: number, plan: Plan, count: number): Promise<WindowStats> {
  const first = await timeWindow(runBatch, samplesPerBatch, (batches) => batches >= 1);
  if (first.seconds > plan.slowBatchSeconds) {
    if (plan.slowTimedBatches === 0) {
      return summarise([first], 0, `the first batch alone (${first.seconds.toFixed(1)} s, first-call costs included): too slow for longer windows`);
    }
    const window = await timeWindow(runBatch, samplesPerBatch, (batches) => batches >= plan.slowTimedBatches);
    const plural = plan.slowTimedBatches > 1 ? 'es' : '';
    return summarise([window], 0, `one window of ${window.batches} batch${plural} (${window.seconds.toFixed(1)} s) after one warm-up batch: too slow for longer windows`);
  }
  for (let b = 1; b < plan.warmupBatches; b++) await runBatch();
  const kept: Window[] = [];
  let discarded = 0;
  while (kept.length < count) {
    const window = await timeWindow(runBatch, samplesPerBatch, (_, seconds) => seconds >= plan.windowSeconds);
    if (window.others !== null && window.others > plan.maxOtherCores && discarded < plan.maxDiscardedWindows) discarded++;
    else kept.push(window);
  }
  const stats = summarise(kept, discarded, '');
  const retried = discarded > 0 ? `; ${discarded} more discarded because other processes were busy` : '';
  return {
    ...stats,
    method:
      `median of ${count} windows of ${stats.windowSeconds.toFixed(1)} s (${Math.round(stats.batchesPerWindow)} batches each) ` +
      `after ${Math.max(plan.warmupBatches, 1)} warm-up batches${retried}`,
  };
}

/**
 * Best time of repeated products. Between calls (untimed) the event loop turns once, as it does between
 * the batches of a training loop: layerwise hands a dead product's memory back to its cache from a
 * finalizer, which never runs inside one synchronous loop.
 */
async function timeGemm(peer: NodePeer, shape: GemmShape, seconds: number): Promise<GemmResult> {
  const run = peer.prepareGemm(shape);
  const time = async (): Promise<number> => {
    const start = performance.now();
    await run();
    const elapsed = (performance.now() - start) / 1000;
    await new Promise((resolve) => setImmediate(resolve));
    return elapsed;
  };
  const first = await time();
  let best = first;
  let repetitions = 1;
  if (first < seconds) {
    best = Infinity;
    repetitions = 0;
    for (let total = 0; total < seconds; repetitions++) {
      const elapsed = await time();
      best = Math.min(best, elapsed);
      total += elapsed;
    }
  }
  return { ...shape, gflops: (2 * shape.m * shape.k * shape.n) / best / 1e9, repetitions };
}

async function accuracyAfterOneEpoch(
  peer: NodePeer,
  plan: Plan,
  train: Mnist,
  test: Mnist,
): Promise<{ accuracy: number; seconds: number }> {
  const model = await peer.createModel(plan.seed);
  const order = new Rng(plan.seed).permutation(train.count);
  const x = new Float32Array(plan.batchSize * IMAGE_PIXELS);
  const y = new Float32Array(plan.batchSize * CLASSES);
  const start = performance.now();
  // Like Keras, the last batch holds the remainder.
  for (let at = 0; at < train.count; at += plan.batchSize) {
    const n = Math.min(plan.batchSize, train.count - at);
    gather(train, order.subarray(at, at + n), x, y);
    await model.trainBatch(x.subarray(0, n * IMAGE_PIXELS), y.subarray(0, n * CLASSES), n);
  }
  const seconds = (performance.now() - start) / 1000;
  let correct = 0;
  for (let at = 0; at < test.count; at += plan.batchSize) {
    const n = Math.min(plan.batchSize, test.count - at);
    const indices = Array.from({ length: n }, (_, i) => at + i);
    gather(test, indices, x, y);
    const probabilities = await model.predict(x.subarray(0, n * IMAGE_PIXELS), n);
    for (let i = 0; i < n; i++) {
      const row = probabilities.subarray(i * CLASSES, (i + 1) * CLASSES);
      if (row.indexOf(Math.max(...row)) === test.labels[at + i]) correct++;
    }
  }
  return { accuracy: correct / test.count, seconds };
}

/** Reads the plan from the command line, measures the peer, and prints its report as the last line. */
export async function runNodePeer(peer: NodePeer): Promise<void> {
  const { values } = parseArgs({ options: { plan: { type: 'string' } }, strict: false });
  if (typeof values.plan !== 'string') throw new Error(`${peer.framework}: argument '--plan' expected the plan as JSON, received nothing`);
  const plan = JSON.parse(values.plan) as Plan;
  const files = mnistFiles();
  const train = loadMnist(files.trainImages, files.trainLabels);
  const test = loadMnist(files.testImages, files.testLabels);

  const model = await peer.createModel(plan.seed);
  const trainStream = new BatchStream(train, plan.batchSize, plan.seed);
  const trainStats = await timedWindows(
    async () => {
      trainStream.next();
      await model.trainBatch(trainStream.x, trainStream.y, plan.batchSize);
    },
    plan.batchSize,
    plan,
    plan.trainWindows,
  );
  const testStream = new BatchStream(test, plan.batchSize, plan.seed);
  const inferenceStats = await timedWindows(
    async () => {
      testStream.next();
      await model.predict(testStream.x, plan.batchSize);
    },
    plan.batchSize,
    plan,
    plan.inferenceWindows,
  );

  let testAccuracy: number | null = null;
  let epochSeconds: number | null = null;
  let accuracyNote: string;
  const estimate = train.count / trainStats.median;
  if (!plan.epoch) {
    accuracyNote = 'not measured (--quick)';
  } else if (estimate > plan.epochBudgetSeconds) {
    accuracyNote = `not measured: one epoch would take about ${formatDuration(estimate)} at the measured speed`;
  } else {
    const epoch = await accuracyAfterOneEpoch(peer, plan, train, test);
    testAccuracy = epoch.accuracy;
    epochSeconds = epoch.seconds;
    accuracyNote = `one epoch of ${train.count} samples from fresh weights, ${Math.round(epoch.seconds)} s`;
  }

  // Peak memory of the training workload, before the GEMM measurements (which allocate operands of their own).
  const peakRssBytes = process.resourceUsage().maxRSS * 1024;
  const gemm: GemmResult[] = [];
  for (const shape of plan.gemm) gemm.push(await timeGemm(peer, shape, plan.gemmSeconds));
  const usage = process.resourceUsage();
  const report: PeerReport = {
    framework: peer.framework,
    setting: peer.setting,
    train: trainStats,
    inference: inferenceStats,
    testAccuracy,
    accuracyNote,
    epochSeconds,
    gemm,
    peakRssBytes,
    cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6,
    versions: peer.versions(),
    notes: peer.notes(),
  };
  console.log(JSON.stringify(report));
}

function formatDuration(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
