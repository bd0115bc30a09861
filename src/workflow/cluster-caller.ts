/**
 * Runs a cross-validation's or a search's tasks as jobs on the Redis queue, for `layerwise worker`
 * processes to take. The run's data and splits go to Redis once; each job names its task (parameters,
 * seed, split) and the module exports to build it from. Results come back through the queue's events,
 * and a periodic check (and one after every reconnection) catches what events cannot: jobs Redis lost,
 * events missed while disconnected. Jobs have fixed ids (NAME#INDEX), so adding one twice adds it once,
 * and a task's first result is the one counted.
 */
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import type { Queue, QueueEvents } from 'bullmq';
import { bullmq } from './cluster-modules.js';
import { backend } from '../backend/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { LayerwiseError, ValueError } from '../util/errors.js';
import type { ExperimentOptions, FoldTask } from './fold-task.js';
import type { ModuleExport } from './module-export.js';
import type { TaskError, TaskTracker } from './task-tracker.js';
import { sendExport } from './cluster-allow.js';
import type { Split } from './cluster-codec.js';
import { MAX_VALUE_BYTES, loadOutcome, splitsBytes, tensorBytes } from './cluster-codec.js';
import type { Connection } from './cluster-connection.js';
import { connect } from './cluster-connection.js';
import type { CheckedClusterOptions } from './cluster-options.js';
import type { RunDataMeta, RunManifest, TaskJob, TaskReturn } from './cluster-runs.js';
import { PREFIX, QUEUE_NAME, REFUSED, RUNS_KEY, SETUP_FAILED, dataKey, indexOfJob, jobIdOf, readManifest } from './cluster-runs.js';
import { layerwiseVersion } from './cluster-version.js';

export async function runOnCluster<P>(
  where: string,
  experiment: ExperimentOptions<P>,
  x: Tensor,
  y: Tensor,
  tasks: readonly FoldTask<P>[],
  options: CheckedClusterOptions,
  tracker: TaskTracker,
): Promise<void> {
  const prepared = prepare(where, experiment, x, y, tasks, tracker);
  const name = options.name ?? `${where}-${prepared.fingerprint.slice(0, 10)}`;
  tracker.title = `${where} '${name}'`;
  const jobs: TaskJob[] = tasks.map((t, index) => ({ ...prepared.jobs[index]!, run: name, params: t.params }));
  const conn = await connect(where, options.target, options.timeout);
  let queue: Queue<TaskJob, TaskReturn> | null = null, events: QueueEvents<TaskReturn> | null = null, timer: NodeJS.Timeout | null = null;
  try {
    const manifest: RunManifest = {
      name, kind: where, fingerprint: prepared.fingerprint, version: prepared.version, created: new Date().toISOString(),
      caller: `${hostname()}:${process.pid}`, labels: jobs.map((j) => j.label),
    };
    const { Queue, QueueEvents } = await bullmq();
    queue = new Queue<TaskJob, TaskReturn>(QUEUE_NAME, { connection: conn.redis, prefix: PREFIX });
    // Read events from the stream's present end, even if the blocking read starts after the first jobs are posted.
    const [last] = await Promise.race([conn.redis.xrevrange(`${PREFIX}:${QUEUE_NAME}:events`, '+', '-', 'COUNT', 1), conn.lost]);
    events = new QueueEvents<TaskReturn>(QUEUE_NAME, { connection: conn.duplicate(), prefix: PREFIX, lastEventId: last?.[0] ?? '0' });
    const q = queue;
    // Connection errors are the connection watch's business; without a listener BullMQ prints them.
    q.on('error', () => undefined);
    listen(events, name, tracker, where);
    await Promise.race([events.waitUntilReady(), conn.lost]);
    let checking: Promise<void> | null = null;
    // Set once Redis's run under this name is this run: only then may a stopped run withdraw its jobs.
    const owned = { value: false };
    const check = (first: boolean) => {
      checking ??= reconcile(conn, q, manifest, prepared, jobs, tracker, first, owned)
        .catch((e: unknown) => tracker.stop(e instanceof Error ? e : new LayerwiseError(String(e))))
        .finally(() => (checking = null));
      return checking;
    };
    await Promise.race([check(true), conn.lost]);
    let warned = false;
    timer = setInterval(() => {
      void check(false);
      // A run with no worker would wait for one forever: say so once.
      if (!warned && tracker.progress.running === 0) {
        void q.getWorkersCount().then((n) => {
          if (n > 0 || warned || tracker.ended) return;
          warned = true;
          tracker.notice(`no worker is taking tasks from ${options.target.safe}: start some with npx layerwise worker '${options.target.safe}' --allow <folder of your modules>`);
        }, () => undefined);
      }
    }, options.checkInterval);
    conn.onReconnect(() => void check(false));
    let lost = false;
    await Promise.race([tracker.settled, conn.lost.catch((e: Error) => ((lost = true), tracker.stop(e)))]);
    if (tracker.signal.aborted && !lost && owned.value) await withdraw(q, name, tracker);
  } finally {
    if (timer) clearInterval(timer);
    // Closing waits for Redis to answer; a lost Redis answers never.
    const closed = Promise.all([events?.close(), queue?.close()].map((p) => p?.catch(() => undefined)));
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
    conn.close();
  }
}

interface Prepared {
  fingerprint: string;
  version: string;
  jobs: Omit<TaskJob, 'run' | 'params'>[];
  data: { meta: RunDataMeta; x: Buffer; y: Buffer; splits: Buffer };
}

/** What is sent, and the run's fingerprint: a hash of the version, backend, settings, data, splits, parameters and seeds. */
function prepare<P>(where: string, experiment: ExperimentOptions<P>, x: Tensor, y: Tensor, tasks: readonly FoldTask<P>[], tracker: TaskTracker): Prepared {
  const sent: TaskJob['experiment'] = { buildModel: sendExport(experiment.buildModel as ModuleExport), fit: experiment.fit ?? {} };
  if (experiment.preprocess !== undefined) sent.preprocess = sendExport(experiment.preprocess as ModuleExport);
  if (experiment.scoring !== undefined) sent.scoring = sendExport(experiment.scoring as ModuleExport);
  const splits: Split[] = [];
  const splitOf = new Map<Int32Array, number>();
  const taskSplits = tasks.map((t) => {
    let j = splitOf.get(t.train);
    if (j === undefined || splits[j]!.test !== t.test) {
      j = splits.length;
      splits.push({ train: t.train, test: t.test });
      splitOf.set(t.train, j);
    }
    return j;
  });
  for (const [i, t] of tasks.entries()) {
    const json = JSON.stringify(t.params ?? null);
    if (JSON.stringify(JSON.parse(json)) !== json || (t.params !== undefined && json === undefined)) {
      throw new ValueError(`${where}: with cluster, parameters must be plain JSON values; ${tracker.describe(i)} has ${json}`);
    }
  }
  const xs = tensorBytes(x), ys = tensorBytes(y), splitBytes = splitsBytes(splits);
  for (const [arg, bytes] of [['x', xs.bytes], ['y', ys.bytes], ['the splits', splitBytes]] as const) {
    if (bytes.byteLength > MAX_VALUE_BYTES) {
      throw new ValueError(`${where}: with cluster, ${arg} takes ${(bytes.byteLength / 2 ** 20).toFixed(0)} MiB, and Redis holds values up to 512 MiB: use fewer samples or a smaller dtype`);
    }
  }
  const version = layerwiseVersion();
  const hash = createHash('sha256');
  const stable = (e: { url: string; relative: string | null; name: string } | undefined) => (e ? [e.relative ?? e.url, e.name] : null);
  hash.update(JSON.stringify({
    version, where, backend: backend(), fit: sent.fit, buildModel: stable(sent.buildModel), preprocess: stable(sent.preprocess), scoring: stable(sent.scoring),
    x: xs.meta, y: ys.meta, tasks: tasks.map((t, i) => [t.params ?? null, t.seed, taskSplits[i]]),
  }));
  for (const bytes of [xs.bytes, ys.bytes, splitBytes]) hash.update(bytes);
  const fingerprint = hash.digest('hex');
  return {
    fingerprint,
    version,
    jobs: tasks.map((t, index) => ({
      fingerprint, index, label: tracker.describe(index), where, version, backend: backend(), experiment: sent, seed: t.seed, split: taskSplits[index]!,
    })),
    data: { meta: { fingerprint, x: xs.meta, y: ys.meta }, x: xs.bytes, y: ys.bytes, splits: splitBytes },
  };
}

/** Reads a failed job's reason back into an error; reasons that stop the run stop it. */
function reportFailure(where: string, tracker: TaskTracker, index: number, reason: string): void {
  if (reason.startsWith(REFUSED) || reason.startsWith(SETUP_FAILED)) {
    tracker.stop(new LayerwiseError(`${where}: ${tracker.describe(index)}: ${reason.startsWith(REFUSED) ? 'a worker refused it' : 'it could not be set up'}: ${reason.slice(reason.indexOf(': ') + 2)}`));
    return;
  }
  if (/stalled more than allowable limit/.test(reason)) {
    tracker.failed(index, { name: 'LayerwiseError', message: `the workers running it stopped answering too often (killed, out of memory, or busy past their lock duration): ${reason}` });
    return;
  }
  const named = /^([A-Za-z]*Error): ([\s\S]*)$/.exec(reason);
  const error: TaskError = named ? { name: named[1]!, message: named[2]! } : { name: 'LayerwiseError', message: reason };
  tracker.failed(index, error);
}

function listen(events: QueueEvents<TaskReturn>, run: string, tracker: TaskTracker, where: string): void {
  const own = (jobId: string) => indexOfJob(run, jobId);
  events.on('active', ({ jobId }) => {
    const i = own(jobId);
    if (i !== null) tracker.started(i);
  });
  events.on('completed', ({ jobId, returnvalue }) => {
    const i = own(jobId);
    if (i === null) return;
    try {
      tracker.finished(i, loadOutcome(returnvalue.outcome));
    } catch (e) {
      tracker.failed(i, { name: 'LayerwiseError', message: `its result could not be read: ${String(e)}` });
    }
  });
  events.on('failed', ({ jobId, failedReason }) => {
    const i = own(jobId);
    if (i !== null) reportFailure(where, tracker, i, failedReason);
  });
  // A job back in the queue after it was taken: its worker died (stalled) or handed it back.
  events.on('waiting', ({ jobId, prev }) => {
    const i = own(jobId);
    if (i !== null && prev === 'active') tracker.retried(i);
  });
  events.on('stalled', ({ jobId }) => {
    const i = own(jobId);
    if (i !== null) tracker.retried(i);
  });
  events.on('error', () => undefined);
}

/**
 * Brings the tracker and Redis in line: results of finished jobs are taken, and the manifest, the data
 * and the jobs of unfinished tasks are put back where Redis lacks them (after a restart that lost them).
 * At the start, jobs that failed in an earlier run under this name are tried again.
 */
async function reconcile(
  conn: Connection, queue: Queue<TaskJob, TaskReturn>, manifest: RunManifest, prepared: Prepared, jobs: TaskJob[], tracker: TaskTracker, first: boolean, owned: { value: boolean },
): Promise<void> {
  const { redis } = conn;
  const where = manifest.kind;
  const stored = readManifest(await redis.hget(RUNS_KEY, manifest.name));
  if (stored && stored.fingerprint !== manifest.fingerprint) {
    throw new ValueError(
      `${where}: Redis already holds a run named '${manifest.name}' (a ${stored.kind} of ${stored.created}) with other data, settings or seeds: ` +
        `give another name, remove it (layerwise cluster rm ${manifest.name}), or call setSeed with its seed so that the same run is made again`,
    );
  }
  if (!stored && (await redis.hsetnx(RUNS_KEY, manifest.name, JSON.stringify(manifest))) === 0) {
    // Another caller claimed the name between the read and the write: check again against what it wrote.
    return reconcile(conn, queue, manifest, prepared, jobs, tracker, first, owned);
  }
  owned.value = true;
  const key = dataKey(manifest.name);
  const meta = await redis.hget(key, 'meta');
  if (meta === null || (JSON.parse(meta) as RunDataMeta).fingerprint !== manifest.fingerprint) {
    await redis.multi().del(key).hset(key, 'x', prepared.data.x, 'y', prepared.data.y, 'splits', prepared.data.splits, 'meta', JSON.stringify(prepared.data.meta)).exec();
  }
  const open = jobs.map((_, i) => i).filter((i) => !tracker.isSettled(i));
  const states = await Promise.all(open.map((i) => queue.getJobState(jobIdOf(manifest.name, i))));
  const add: number[] = [];
  for (const [k, i] of open.entries()) {
    const state = states[k]!;
    if (tracker.signal.aborted) return;
    if (tracker.shouldSkip(i)) continue;
    if (state === 'unknown') add.push(i);
    else if (state === 'active') tracker.started(i);
    else if (state === 'completed' || state === 'failed') {
      const job = await (await bullmq()).Job.fromId<TaskJob, TaskReturn>(queue, jobIdOf(manifest.name, i));
      if (!job) add.push(i);
      else if (state === 'completed') tracker.finished(i, loadOutcome(job.returnvalue.outcome));
      else if (first) {
        await job.remove();
        add.push(i);
      } else reportFailure(where, tracker, i, job.failedReason);
    }
  }
  if (add.length > 0) {
    await queue.addBulk(add.map((i) => ({
      name: manifest.kind,
      data: jobs[i]!,
      opts: { jobId: jobIdOf(manifest.name, i), attempts: 1, removeOnComplete: false, removeOnFail: false },
    })));
  }
}

/** A stopped run takes its waiting jobs off the queue (running ones end on their own; a later run under this name picks their results up). */
async function withdraw(queue: Queue<TaskJob, TaskReturn>, run: string, tracker: TaskTracker): Promise<void> {
  await Promise.all(Array.from({ length: tracker.total }, (_, i) => i)
    .filter((i) => !tracker.isSettled(i))
    .map((i) => queue.remove(jobIdOf(run, i)).catch(() => 0)));
}
