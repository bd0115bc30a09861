/**
 * What the Redis queue costs, and what a second worker process buys:
 *   1. latency: time from a job posted (job.timestamp, set by the caller) to the job started
 *      (job.processedOn, set as a worker takes it), over one-task searches run one after another, and the
 *      whole search call (connect, send the data, post, train a trivial model, collect);
 *   2. throughput of the queue alone: BullMQ jobs with layerwise's own payloads and a processor that does
 *      nothing, and the CPU time Redis spends per job;
 *   3. memory Redis holds per finished task;
 *   4. speed-up of 2 worker processes over 1 (one compute thread each) on a CPU-bound search, against the
 *      same search run in this process on one thread.
 *
 *   npm run build && node dist/bench/cluster.js [--jobs 50] [--repeats 3]
 *
 * It starts its own redis-server on a free port. Run it on an otherwise idle machine: it prints the load
 * average before each measurement.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Job, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { gridSearch, moduleExport, randomNormal, setSeed, setThreads, tensor } from '../src/index.js';
import { RedisServer } from '../test/redis-server.js';

const { values: args } = parseArgs({ options: { jobs: { type: 'string', default: '50' }, repeats: { type: 'string', default: '3' } } });
const JOBS = Number(args.jobs), REPEATS = Number(args.repeats);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = join(ROOT, 'dist', 'src', 'cli', 'main.js');
const MODELS = new URL('./cluster-models.js', import.meta.url);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

function startWorker(url: string, name: string): Promise<ChildProcess> {
  const p = spawn(process.execPath, [MAIN, 'worker', url, '--allow', join('dist', 'bench'), '--name', name, '--threads', '1'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    p.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (out.includes('takes tasks from')) resolve(p);
    });
    p.on('exit', (code) => reject(new Error(`worker ${name} exited with ${code}: ${out}`)));
  });
}

async function stop(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null) return;
  await new Promise((resolve) => {
    p.once('exit', resolve);
    p.kill('SIGTERM');
  });
}

const redis = await RedisServer.start();
const url = redis.url;
const admin = new Redis(url);
const queueConnection = new Redis(url, { maxRetriesPerRequest: null });
const queue = new Queue('tasks', { connection: queueConnection, prefix: 'layerwise' });
const results: Record<string, unknown> = {};
try {
  // 1. Latency.
  console.log(`load average ${load()}`);
  const tiny = await startWorker(url, 'tiny');
  setSeed(1);
  const xs = randomNormal([32, 4]);
  const ys = tensor(Array.from({ length: 32 }, (_, i) => i % 2));
  const posted: number[] = [], calls: number[] = [];
  for (let i = 0; i < JOBS + 3; i++) {
    setSeed(1000 + i);
    const started = performance.now();
    await gridSearch(moduleExport(MODELS, 'buildTiny'), { trial: [i] }, xs, ys, { fit: { epochs: 1 }, cluster: { url, name: `latency-${i}` }, verbose: 0 });
    const call = performance.now() - started;
    const job = (await Job.fromId(queue, `latency-${i}#0`))!;
    // The first three warm up the worker (module imports, the backend's first kernels).
    if (i >= 3) {
      posted.push(job.processedOn! - job.timestamp);
      calls.push(call);
    }
  }
  await stop(tiny);
  results['latency'] = { jobs: JOBS, postedToStartedMs: median(posted), postedToStartedMaxMs: Math.max(...posted), searchCallMs: median(calls) };
  console.log(`posted → started: median ${median(posted)} ms, max ${Math.max(...posted)} ms over ${JOBS} one-task searches; the whole search call: median ${median(calls).toFixed(1)} ms`);

  // 2. The queue alone: layerwise's payloads, processors that return at once.
  const sample = (await Job.fromId(queue, 'latency-3#0'))!;
  const payload = sample.data as object, returned = sample.returnvalue as object;
  const cpu = async () => {
    const info = await admin.info('cpu');
    return ['used_cpu_sys', 'used_cpu_user'].reduce((s, k) => s + Number(new RegExp(`${k}:([\\d.]+)`).exec(info)![1]), 0);
  };
  const bulk = 4000;
  const rates: number[] = [], cpuPerJob: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    console.log(`load average ${load()}`);
    const name = `raw-${r}`;
    const connection = new Redis(url, { maxRetriesPerRequest: null });
    const cpu0 = await cpu();
    const t0 = performance.now();
    await queue.addBulk(Array.from({ length: bulk }, (_, i) => ({ name, data: payload, opts: { jobId: `${name}#${i}`, removeOnComplete: false } })));
    let done = 0;
    await new Promise<void>((resolve) => {
      const w = new Worker('tasks', async () => returned, { connection, prefix: 'layerwise', concurrency: 50 });
      w.on('completed', () => {
        if (++done === bulk) void w.close().then(resolve);
      });
    });
    const seconds = (performance.now() - t0) / 1000;
    rates.push(bulk / seconds);
    cpuPerJob.push(((await cpu()) - cpu0) / bulk);
    connection.disconnect();
  }
  results['queue'] = { jobsPerSecond: Math.round(median(rates)), redisCpuMicrosecondsPerJob: Math.round(median(cpuPerJob) * 1e6) };
  console.log(`queue alone: ${median(rates).toFixed(0)} jobs/s (post, take, complete) with one worker of concurrency 50; Redis CPU ${(median(cpuPerJob) * 1e6).toFixed(0)} µs per job`);

  // 3. Memory per finished task (the raw jobs above hold the same data as real ones).
  await queue.obliterate({ force: true });
  await admin.del('layerwise:runs');
  for (const key of await admin.keys('layerwise:run:*')) await admin.del(key);
  const before = Number(/used_memory:(\d+)/.exec(await admin.info('memory'))![1]);
  await queue.addBulk(Array.from({ length: 1000 }, (_, i) => ({ name: 'mem', data: payload, opts: { jobId: `mem#${i}`, removeOnComplete: false } })));
  const connection = new Redis(url, { maxRetriesPerRequest: null });
  await new Promise<void>((resolve) => {
    let done = 0;
    const w = new Worker('tasks', async () => returned, { connection, prefix: 'layerwise', concurrency: 50 });
    w.on('completed', () => void (++done === 1000 && w.close().then(resolve)));
  });
  connection.disconnect();
  const after = Number(/used_memory:(\d+)/.exec(await admin.info('memory'))![1]);
  results['memory'] = { bytesPerTask: Math.round((after - before) / 1000), jobDataBytes: JSON.stringify(payload).length, resultBytes: JSON.stringify(returned).length };
  console.log(`Redis memory per finished task: ${((after - before) / 1000 / 1024).toFixed(1)} KiB (job data ${JSON.stringify(payload).length} B, result ${JSON.stringify(returned).length} B as JSON)`);
  await queue.obliterate({ force: true });

  // 4. Speed-up on a CPU-bound search: 8 trials of equal cost.
  setSeed(2);
  const x = randomNormal([4096, 64]);
  // Balanced classes: the largest of the first ten features.
  const y = tensor((x.toArray() as number[][]).map((r) => r.slice(0, 10).indexOf(Math.max(...r.slice(0, 10)))));
  const space = { learningRate: [0.01, 0.02, 0.03, 0.05, 0.07, 0.1, 0.15, 0.2] };
  const options = { fit: { epochs: 20, batchSize: 64 }, validation: { testSize: 0.25 } };
  const search = async (cluster: string | null, tag: string) => {
    setSeed(3);
    const t0 = performance.now();
    const r = await gridSearch(moduleExport(MODELS, 'buildMlp'), space, x, y, cluster ? { ...options, cluster: { url: cluster, name: tag }, verbose: 0 } : options);
    return { seconds: (performance.now() - t0) / 1000, best: r.best.scores['loss']! };
  };
  setThreads(1);
  const w1 = await startWorker(url, 'w1');
  await search(url, 'warm-up');
  const times: Record<string, number[]> = { local: [], one: [], two: [] };
  let bestLoss = NaN;
  for (let r = 0; r < REPEATS; r++) {
    console.log(`load average ${load()}`);
    times['local']!.push((await search(null, '')).seconds);
    const one = await search(url, `one-${r}`);
    times['one']!.push(one.seconds);
    bestLoss = one.best;
  }
  const w2 = await startWorker(url, 'w2');
  await search(url, 'warm-up-2');
  for (let r = 0; r < REPEATS; r++) {
    console.log(`load average ${load()}`);
    const two = await search(url, `two-${r}`);
    times['two']!.push(two.seconds);
    if (two.best !== bestLoss) throw new Error(`the best loss differs between 1 and 2 workers: ${bestLoss} and ${two.best}`);
  }
  await Promise.all([stop(w1), stop(w2)]);
  const [local, one, two] = [median(times['local']!), median(times['one']!), median(times['two']!)];
  results['speedUp'] = { trials: 8, localOneThreadSeconds: local, oneWorkerSeconds: one, twoWorkersSeconds: two, speedUp: one / two, all: times };
  console.log(`8-trial search, one thread per worker: here ${local.toFixed(2)} s, 1 worker ${one.toFixed(2)} s, 2 workers ${two.toFixed(2)} s: ${(one / two).toFixed(2)}× (medians of ${REPEATS})`);
  console.log(JSON.stringify(results));
} finally {
  admin.disconnect();
  await queue.close();
  queueConnection.disconnect();
  await redis.dispose();
}
