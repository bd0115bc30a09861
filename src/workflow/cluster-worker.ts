/**
 * A cluster worker: takes tasks from the Redis queue one at a time and runs them as a local run would
 * (the same fold code, the same seed, the caller's backend), so scores match the caller's own sequential
 * run. It refuses a task (and the caller stops the run) when its layerwise version differs from the
 * caller's, when it cannot run the caller's backend, or when a module lies outside its allowed folders.
 * A worker that dies mid-task loses its lock; another worker's stalled-job check then puts the task
 * back in the queue. Closing finishes the running task, or hands it back to the queue at once.
 */
import { hostname } from 'node:os';
import type { Job } from 'bullmq';
import { bullmq } from './cluster-modules.js';
import type { BackendName } from '../backend/index.js';
import { availableBackends, backend, setBackend } from '../backend/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { LayerwiseError, ValueError, describe } from '../util/errors.js';
import type { ExperimentOptions, ResolvedExperiment } from './fold-task.js';
import { resolveExperiment, runFold } from './fold-task.js';
import type { ModuleExport } from './module-export.js';
import type { SentExport } from './cluster-allow.js';
import { allowedFolders, resolveAllowed } from './cluster-allow.js';
import type { Split } from './cluster-codec.js';
import { bytesSplits, bytesTensor, storeOutcome } from './cluster-codec.js';
import type { Connection } from './cluster-connection.js';
import { connect } from './cluster-connection.js';
import { checkTimeout, parseRedisUrl } from './cluster-options.js';
import type { RunDataMeta, TaskJob, TaskReturn } from './cluster-runs.js';
import { PREFIX, QUEUE_NAME, REFUSED, SETUP_FAILED, dataKey } from './cluster-runs.js';
import { layerwiseVersion } from './cluster-version.js';

export interface ClusterWorkerOptions {
  /** Folders whose modules tasks may import (at least one); every other module is refused. */
  allow: readonly string[];
  /** Shown in results and listings (default host:pid). */
  name?: string;
  /**
   * Milliseconds a task's lock lasts (default 30000); the worker renews it every half of that while the
   * task runs. A worker that dies holds its task until the lock expires.
   */
  lockDuration?: number;
  /** Milliseconds between checks for tasks whose worker died (default 30000). */
  stalledInterval?: number;
  /** Times a task may lose its worker and go back to the queue before it fails (default 1). */
  maxStalledCount?: number;
  /** Milliseconds Redis may stay unreachable, at the start or later, before the worker fails (default 30000). */
  timeout?: number;
  /** Told of every task started, finished, failed, refused or handed back. */
  onEvent?: (event: ClusterWorkerEvent) => void;
}

export type ClusterWorkerEvent =
  | { kind: 'started'; run: string; task: string; attempt: number }
  | { kind: 'done'; run: string; task: string; seconds: number }
  | { kind: 'failed'; run: string; task: string; message: string }
  | { kind: 'refused'; run: string; task: string; message: string }
  | { kind: 'handed-back'; run: string; task: string }
  | { kind: 'error'; message: string };

export interface ClusterWorker {
  readonly name: string;
  /** Rejects when Redis stays unreachable for longer than the timeout; never resolves. */
  readonly lost: Promise<never>;
  /** Stops taking tasks and finishes the running one, or with { handBack: true } returns it to the queue at once. */
  close(options?: { handBack?: boolean }): Promise<void>;
}

const KNOWN = ['allow', 'name', 'lockDuration', 'stalledInterval', 'maxStalledCount', 'timeout', 'onEvent'];

interface RunData {
  x: Tensor;
  y: Tensor;
  splits: Split[];
}

export async function startClusterWorker(url: string, options: ClusterWorkerOptions): Promise<ClusterWorker> {
  const where = 'startClusterWorker';
  const target = parseRedisUrl(where, "argument 'url'", url);
  if (typeof options !== 'object' || options === null) throw new ValueError(`${where}: argument 'options' expected { allow, ... }, received ${describe(options)}`);
  for (const key of Object.keys(options)) {
    if (!KNOWN.includes(key)) throw new ValueError(`${where}: unknown option '${key}' (known: ${KNOWN.join(', ')})`);
  }
  const allowed = allowedFolders(where, options.allow);
  const name = options.name ?? `${hostname()}:${process.pid}`;
  const lockDuration = checkTimeout(where, "option 'lockDuration'", options.lockDuration, 30_000);
  const stalledInterval = checkTimeout(where, "option 'stalledInterval'", options.stalledInterval, 30_000);
  const maxStalledCount = options.maxStalledCount ?? 1;
  if (!Number.isInteger(maxStalledCount) || maxStalledCount < 0) {
    throw new ValueError(`${where}: option 'maxStalledCount' expected a non-negative integer, received ${describe(options.maxStalledCount)}`);
  }
  const emit = options.onEvent ?? (() => undefined);
  const version = layerwiseVersion();
  const { UnrecoverableError, WaitingError, Worker } = await bullmq();
  const conn = await connect(where, target, checkTimeout(where, "option 'timeout'", options.timeout, 30_000));
  const cache = new Map<string, Promise<RunData>>();
  const experiments = new Map<string, Promise<ResolvedExperiment<unknown>>>();

  const processor = async (job: Job<TaskJob, TaskReturn>, token?: string, signal?: AbortSignal): Promise<TaskReturn> => {
    const task = job.data;
    const startedAt = Date.now();
    const about = { run: String(task?.run), task: String(task?.label ?? job.id) };
    if (!isTaskJob(task)) {
      emit({ kind: 'refused', ...about, message: 'not a layerwise task' });
      throw new UnrecoverableError(`${REFUSED}worker ${name}: job ${job.id} is not a layerwise task (posted by another program, or another layerwise version?)`);
    }
    const refuse = (message: string): never => {
      emit({ kind: 'refused', ...about, message });
      throw new UnrecoverableError(`${REFUSED}worker ${name}: ${message}`);
    };
    emit({ kind: 'started', ...about, attempt: job.attemptsStarted });
    if (task.version !== version) refuse(`this worker runs layerwise ${version} and the caller ${task.version}: install the same version on both`);
    if (task.backend !== backend()) {
      if (!availableBackends().includes(task.backend as BackendName)) {
        refuse(`the caller computes on the ${task.backend} backend, which this worker cannot load (it has ${availableBackends().join(', ')}), so its scores would differ`);
      }
      setBackend(task.backend as BackendName);
    }
    const local = (sent: SentExport | undefined): ModuleExport | undefined => {
      if (sent === undefined) return undefined;
      const r = resolveAllowed(sent, allowed);
      return 'refused' in r ? refuse(r.refused) : { module: r.url, name: sent.name };
    };
    const wanted: ExperimentOptions<unknown> = { buildModel: local(task.experiment.buildModel)!, fit: task.experiment.fit };
    const preprocess = local(task.experiment.preprocess), scoring = local(task.experiment.scoring);
    if (preprocess) wanted.preprocess = preprocess;
    if (scoring) wanted.scoring = scoring;
    const here = `${task.where} (worker ${name})`;
    const key = JSON.stringify(wanted);
    let experiment: ResolvedExperiment<unknown>;
    try {
      if (!experiments.has(key)) experiments.set(key, resolveExperiment(here, wanted));
      experiment = await experiments.get(key)!;
    } catch (e) {
      experiments.delete(key);
      const message = e instanceof Error ? e.message : String(e);
      emit({ kind: 'refused', ...about, message });
      throw new UnrecoverableError(`${SETUP_FAILED}worker ${name}: ${message}`);
    }
    try {
      const data = await runData(conn, cache, task);
      const split = data.splits[task.split];
      if (!split) throw new LayerwiseError(`${here}: the run's data holds ${data.splits.length} splits, not split ${task.split}`);
      // Stops training between batches when the worker is asked to hand the task back.
      const stop = { onBatchEnd: () => signal?.throwIfAborted() };
      const fit = { ...experiment.fit, callbacks: [stop] };
      const outcome = await runFold(here, { ...experiment, fit }, data.x, data.y, { params: task.params, seed: task.seed, ...split });
      const finishedAt = Date.now();
      emit({ kind: 'done', ...about, seconds: (finishedAt - startedAt) / 1000 });
      return { outcome: storeOutcome(outcome), worker: name, startedAt, finishedAt, attempt: job.attemptsStarted };
    } catch (e) {
      if (signal?.aborted && token !== undefined) {
        await job.moveToWait(token);
        emit({ kind: 'handed-back', ...about });
        throw new WaitingError();
      }
      const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      emit({ kind: 'failed', ...about, message });
      throw new UnrecoverableError(message);
    }
  };

  const worker = new Worker<TaskJob, TaskReturn>(QUEUE_NAME, processor, {
    connection: conn.redis,
    prefix: PREFIX,
    name,
    concurrency: 1,
    lockDuration,
    stalledInterval,
    maxStalledCount,
  });
  worker.on('error', (e) => emit({ kind: 'error', message: e.message }));
  await Promise.race([worker.waitUntilReady(), conn.lost]);
  let closing: Promise<void> | null = null;
  return {
    name,
    lost: conn.lost,
    close(o = {}) {
      if (o.handBack) worker.cancelAllJobs('handed back');
      closing ??= worker.close().finally(() => conn.close());
      return closing;
    },
  };
}

function isTaskJob(v: unknown): v is TaskJob {
  if (typeof v !== 'object' || v === null) return false;
  const t = v as Record<string, unknown>;
  const experiment = t['experiment'] as Record<string, unknown> | undefined;
  return ['run', 'fingerprint', 'label', 'where', 'version', 'backend'].every((k) => typeof t[k] === 'string') &&
    ['index', 'seed', 'split'].every((k) => Number.isInteger(t[k])) &&
    typeof experiment === 'object' && experiment !== null && typeof experiment['buildModel'] === 'object';
}

/** The run's data, read once per run (and kept for the two latest runs). */
function runData(conn: Connection, cache: Map<string, Promise<RunData>>, task: TaskJob): Promise<RunData> {
  const key = `${task.run}@${task.fingerprint}`;
  let data = cache.get(key);
  if (!data) {
    data = (async () => {
      const [meta, x, y, splits] = await conn.redis.hmgetBuffer(dataKey(task.run), 'meta', 'x', 'y', 'splits');
      const parsed = meta ? (JSON.parse(meta.toString('utf8')) as RunDataMeta) : null;
      if (!parsed || parsed.fingerprint !== task.fingerprint || !x || !y || !splits) {
        throw new LayerwiseError(`${task.where}: the data of run '${task.run}' is not in Redis (removed with layerwise cluster rm, or lost): run the ${task.where} again to send it`);
      }
      return { x: bytesTensor(parsed.x, x), y: bytesTensor(parsed.y, y), splits: bytesSplits(splits) };
    })();
    data.catch(() => cache.delete(key));
    cache.set(key, data);
    while (cache.size > 2) cache.delete(cache.keys().next().value!);
  }
  return data;
}
