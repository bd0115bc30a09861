/**
 * What a run keeps in Redis, and the listing and removal of runs. Every fold (or trial) of a run is one
 * BullMQ job, `NAME#INDEX`, on one queue (`layerwise:tasks:*` keys) that every worker takes from; a
 * finished job keeps its result (scores, per-epoch history, which worker ran it, when, how many
 * attempts) until the run is removed. Beside the queue: `layerwise:runs`, a hash of each run's manifest
 * (what it is, its fingerprint, its tasks' names), and `layerwise:run:NAME:data`, the data, the splits and
 * their shapes, stored once per run.
 */
import type { Queue } from 'bullmq';
import { bullmq } from './cluster-modules.js';
import type { Redis } from 'ioredis';
import type { FoldFitOptions } from './fold-task.js';
import type { SentExport } from './cluster-allow.js';
import type { StoredOutcome, TensorMeta } from './cluster-codec.js';
import { loadOutcome } from './cluster-codec.js';
import { connect } from './cluster-connection.js';
import { checkRunName, checkTimeout, parseRedisUrl } from './cluster-options.js';
import { LayerwiseError } from '../util/errors.js';

export const PREFIX = 'layerwise';
export const QUEUE_NAME = 'tasks';
export const RUNS_KEY = `${PREFIX}:runs`;
export const dataKey = (run: string): string => `${PREFIX}:run:${run}:data`;
export const jobIdOf = (run: string, index: number): string => `${run}#${index}`;

export function indexOfJob(run: string, jobId: string): number | null {
  if (!jobId.startsWith(`${run}#`)) return null;
  const rest = jobId.slice(run.length + 1);
  return /^\d+$/.test(rest) ? Number(rest) : null;
}

/** Failure reasons that stop a run at once: every task of it would fail the same way. */
export const REFUSED = 'refused: ';
export const SETUP_FAILED = 'setup failed: ';

export interface RunManifest {
  name: string;
  /** crossValidate, gridSearch or randomSearch. */
  kind: string;
  fingerprint: string;
  version: string;
  /** ISO date of the first run under this name. */
  created: string;
  /** host:pid of the caller that created it. */
  caller: string;
  /** "trial 3 of 8 (units=16), fold 2" for each task. */
  labels: string[];
}

/** The data of a run, in the hash dataKey(run): fields x, y, splits (bytes) and meta (JSON). */
export interface RunDataMeta {
  fingerprint: string;
  x: TensorMeta;
  y: TensorMeta;
}

/** A job's data: everything a worker needs to run one task, except the run's data it reads once. */
export interface TaskJob {
  run: string;
  fingerprint: string;
  index: number;
  label: string;
  where: string;
  version: string;
  backend: string;
  experiment: { buildModel: SentExport; preprocess?: SentExport; scoring?: SentExport; fit: FoldFitOptions };
  params: unknown;
  seed: number;
  split: number;
}

/** A finished job's return value. */
export interface TaskReturn {
  outcome: StoredOutcome;
  worker: string;
  /** Milliseconds since the epoch. */
  startedAt: number;
  finishedAt: number;
  /** 1 on the first try, more when a worker died or handed it back. */
  attempt: number;
}

export interface ClusterRunSummary {
  name: string;
  kind: string;
  created: string;
  version: string;
  tasks: number;
  done: number;
  failed: number;
  running: number;
  waiting: number;
}

export interface ClusterTaskRecord {
  index: number;
  task: string;
  state: 'done' | 'failed' | 'running' | 'waiting' | 'missing';
  /** The worker that finished it (or runs it). */
  worker?: string;
  seconds?: number;
  attempts: number;
  scores?: Record<string, number>;
  error?: string;
}

export interface ClusterAdminOptions {
  /** Milliseconds Redis may stay unreachable before the call fails (default 10000). */
  timeout?: number;
}

export function readManifest(json: string | null): RunManifest | null {
  return json === null ? null : (JSON.parse(json) as RunManifest);
}

/** The state of each task's job ('missing' when Redis holds none). */
async function jobStates(queue: Queue, run: string, count: number): Promise<ClusterTaskRecord['state'][]> {
  const states = await Promise.all(Array.from({ length: count }, (_, i) => queue.getJobState(jobIdOf(run, i))));
  return states.map((s) =>
    s === 'completed' ? 'done' : s === 'failed' ? 'failed' : s === 'active' ? 'running' : s === 'unknown' ? 'missing' : 'waiting',
  );
}

async function withQueue<T>(where: string, url: string, options: ClusterAdminOptions, use: (redis: Redis, queue: Queue) => Promise<T>): Promise<T> {
  const target = parseRedisUrl(where, "argument 'url'", url);
  const conn = await connect(where, target, checkTimeout(where, "option 'timeout'", options.timeout, 10_000));
  const { Queue } = await bullmq();
  const queue = new Queue(QUEUE_NAME, { connection: conn.redis, prefix: PREFIX });
  queue.on('error', () => undefined);
  try {
    return await Promise.race([use(conn.redis, queue), conn.lost]);
  } finally {
    await queue.close().catch(() => undefined);
    conn.close();
  }
}

/** The runs Redis holds, oldest first, with how many of their tasks are done, failed, running and waiting. */
export async function listClusterRuns(url: string, options: ClusterAdminOptions = {}): Promise<ClusterRunSummary[]> {
  return withQueue('listClusterRuns', url, options, async (redis, queue) => {
    const all = await redis.hgetall(RUNS_KEY);
    const runs = Object.values(all).map((json) => readManifest(json)!).sort((a, b) => a.created.localeCompare(b.created) || a.name.localeCompare(b.name));
    return Promise.all(runs.map(async (m) => {
      const states = await jobStates(queue, m.name, m.labels.length);
      const count = (s: ClusterTaskRecord['state']) => states.filter((x) => x === s).length;
      return {
        name: m.name, kind: m.kind, created: m.created, version: m.version, tasks: m.labels.length,
        done: count('done'), failed: count('failed'), running: count('running'), waiting: count('waiting') + count('missing'),
      };
    }));
  });
}

/** Every task of a run: its state, the worker that ran it, how long it took, its attempts and scores or error. */
export async function clusterRunTasks(url: string, name: string, options: ClusterAdminOptions = {}): Promise<ClusterTaskRecord[]> {
  const where = 'clusterRunTasks';
  checkRunName(where, "argument 'name'", name);
  return withQueue(where, url, options, async (redis, queue) => {
    const manifest = readManifest(await redis.hget(RUNS_KEY, name));
    if (!manifest) throw new LayerwiseError(`${where}: Redis holds no run named '${name}' (layerwise cluster ls lists them)`);
    const states = await jobStates(queue, name, manifest.labels.length);
    return Promise.all(manifest.labels.map(async (task, index): Promise<ClusterTaskRecord> => {
      const state = states[index]!;
      const job = state === 'missing' ? null : await (await bullmq()).Job.fromId<TaskJob, TaskReturn>(queue, jobIdOf(name, index));
      const record: ClusterTaskRecord = { index, task, state, attempts: job?.attemptsStarted ?? 0 };
      if (job?.processedBy) record.worker = job.processedBy;
      if (state === 'done' && job?.returnvalue) {
        const r = job.returnvalue;
        record.worker = r.worker;
        record.seconds = (r.finishedAt - r.startedAt) / 1000;
        record.scores = loadOutcome(r.outcome).scores;
      }
      if (state === 'failed' && job) record.error = job.failedReason;
      return record;
    }));
  });
}

/**
 * Removes a run: its jobs and results, its data and its manifest. Running tasks cannot be taken from
 * their workers: the others are removed, and the run stays listed until a second removal after they end.
 */
export async function removeClusterRun(url: string, name: string, options: ClusterAdminOptions = {}): Promise<{ removed: number; running: number }> {
  const where = 'removeClusterRun';
  checkRunName(where, "argument 'name'", name);
  return withQueue(where, url, options, async (redis, queue) => {
    const manifest = readManifest(await redis.hget(RUNS_KEY, name));
    if (!manifest) throw new LayerwiseError(`${where}: Redis holds no run named '${name}' (layerwise cluster ls lists them)`);
    let removed = 0, running = 0;
    for (let i = 0; i < manifest.labels.length; i++) {
      const id = jobIdOf(name, i);
      const state = await queue.getJobState(id);
      if (state === 'unknown') continue;
      if (state === 'active' || (await queue.remove(id)) === 0) running++;
      else removed++;
    }
    if (running === 0) await redis.multi().del(dataKey(name)).hdel(RUNS_KEY, name).exec();
    return { removed, running };
  });
}
