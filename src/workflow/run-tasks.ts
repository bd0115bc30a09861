/**
 * Where evaluation tasks run: in order in this thread (the default), on worker threads (`workers`), or
 * as jobs on a Redis queue that worker processes on other machines take (`cluster`). Each task is seeded
 * on its own, so every way gives the same scores; the sequential way leaves the caller's random
 * generator where it was. All three report to one tracker, which counts failures, shows progress and
 * returns one result per task.
 */
import type { Tensor } from '../tensor/tensor.js';
import { ValueError, describe } from '../util/errors.js';
import { getRandomState, setRandomState } from '../util/random.js';
import type { ClusterOptions } from './cluster-options.js';
import { checkClusterOption } from './cluster-options.js';
import type { ExperimentOptions, FoldTask } from './fold-task.js';
import { resolveExperiment, runFold } from './fold-task.js';
import { isModuleExport } from './module-export.js';
import type { TaskProgress, TaskResult, TrackerOptions } from './task-tracker.js';
import { TaskTracker, toTaskError } from './task-tracker.js';

export interface ParallelOptions {
  /**
   * Worker threads to run folds (or trials) on at once (default 1: in this thread). With more, buildModel,
   * preprocess and scoring must be module exports (moduleExport(import.meta.url, 'name')), fit takes no
   * callbacks, and search parameters must be plain values. Node only.
   */
  workers?: number;
  /**
   * Run every fold (or trial) as a job on a Redis queue, taken by `layerwise worker` processes on any
   * number of machines: a URL ('redis://host:6379/0', 'rediss://:password@host:6380/0') or { url, name, ... }.
   * The same rules as for workers apply (module exports, no callbacks, plain parameters).
   */
  cluster?: string | ClusterOptions;
  /** 1: a progress line on stderr as tasks finish (default 1 with cluster, else 0). */
  verbose?: 0 | 1;
  /** Called whenever a task starts, ends, fails or is retried. */
  onProgress?: (progress: TaskProgress) => void;
}

/** How the caller names and groups its tasks. */
export type TaskPlan = Omit<TrackerOptions, 'verbose' | 'onProgress'>;

/** A 32-bit seed per task from the run's seed and the task's position. */
export function taskSeed(base: number, index: number): number {
  let z = (base + Math.imul(index + 1, 0x9e3779b9)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

export async function runTasks<P>(
  where: string,
  experiment: ExperimentOptions<P> & ParallelOptions,
  x: Tensor,
  y: Tensor,
  tasks: readonly FoldTask<P>[],
  plan: TaskPlan,
): Promise<TaskResult[]> {
  const workers = experiment.workers ?? 1;
  if (!Number.isInteger(workers) || workers < 1) throw new ValueError(`${where}: option 'workers' expected a positive integer, received ${describe(experiment.workers)}`);
  const cluster = experiment.cluster === undefined ? null : checkClusterOption(where, experiment.cluster);
  if (cluster && experiment.workers !== undefined) {
    throw new ValueError(`${where}: options 'workers' and 'cluster' cannot be given together: with cluster, each worker process runs one task at a time (start more of them, or use their --concurrency)`);
  }
  const verbose = experiment.verbose ?? (cluster ? 1 : 0);
  if (verbose !== 0 && verbose !== 1) throw new ValueError(`${where}: option 'verbose' expected 0 or 1, received ${describe(experiment.verbose)}`);
  if (experiment.onProgress !== undefined && typeof experiment.onProgress !== 'function') {
    throw new ValueError(`${where}: option 'onProgress' expected a function, received ${describe(experiment.onProgress)}`);
  }
  const remote = cluster ? 'with cluster' : workers > 1 ? 'with workers > 1' : null;
  if (remote) checkSendable(where, remote, experiment, cluster ? 'to other machines' : 'to worker threads');
  const trackerOptions: TrackerOptions = { ...plan, verbose };
  if (experiment.onProgress) trackerOptions.onProgress = experiment.onProgress;
  const tracker = new TaskTracker(tasks.length, trackerOptions);
  // Only what builds and scores a task travels; the caller's other options (callbacks among them) stay here.
  const sent: ExperimentOptions<P> = { buildModel: experiment.buildModel };
  if (experiment.preprocess !== undefined) sent.preprocess = experiment.preprocess;
  if (experiment.scoring !== undefined) sent.scoring = experiment.scoring;
  if (experiment.fit !== undefined) sent.fit = experiment.fit;
  if (cluster) {
    // Loaded only here: the queue's client libraries are needed only by cluster runs.
    const { runOnCluster } = await import('./cluster-caller.js');
    await runOnCluster(where, sent, x, y, tasks, cluster, tracker);
  } else if (workers > 1) {
    // Loaded only here, so code that never runs workers does not load node:worker_threads.
    const { runInWorkers } = await import('./worker-pool.js');
    await runInWorkers(where, sent, x, y, tasks, workers, tracker);
  } else {
    await runHere(where, sent, x, y, tasks, tracker);
  }
  return tracker.results(where);
}

async function runHere<P>(where: string, experiment: ExperimentOptions<P>, x: Tensor, y: Tensor, tasks: readonly FoldTask<P>[], tracker: TaskTracker): Promise<void> {
  const resolved = await resolveExperiment(where, experiment);
  const state = getRandomState();
  try {
    for (let i = 0; i < tasks.length; i++) {
      if (tracker.shouldSkip(i)) continue;
      tracker.started(i);
      try {
        tracker.finished(i, await runFold(where, resolved, x, y, tasks[i]!));
      } catch (e) {
        tracker.failed(i, toTaskError(e));
      }
    }
  } finally {
    setRandomState(state);
  }
}

function checkSendable<P>(where: string, how: string, experiment: ExperimentOptions<P>, to: string): void {
  for (const [arg, v] of [['buildModel', experiment.buildModel], ['preprocess', experiment.preprocess], ['scoring', experiment.scoring]] as const) {
    if (v !== undefined && !isModuleExport(v)) {
      throw new ValueError(
        `${where}: ${how}, '${arg}' must be a module export, since functions and objects with methods cannot be sent ${to}: ` +
          `export it from a module and pass moduleExport(import.meta.url, '${arg}') (received ${describe(v)})`,
      );
    }
  }
  if (experiment.fit?.callbacks?.length) throw new ValueError(`${where}: ${how}, fit cannot take callbacks (they cannot be sent ${to})`);
}
