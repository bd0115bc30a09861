/**
 * Runs evaluation tasks in order in this thread (the default), or spread over worker threads. Each task
 * is seeded on its own, so both ways give the same scores; the sequential way leaves the caller's
 * random generator where it was.
 */
import type { Tensor } from '../tensor/tensor.js';
import { ValueError, describe } from '../util/errors.js';
import { getRandomState, setRandomState } from '../util/random.js';
import type { ExperimentOptions, FoldOutcome, FoldTask } from './fold-task.js';
import { resolveExperiment, runFold } from './fold-task.js';
import { isModuleExport } from './module-export.js';

export interface ParallelOptions {
  /**
   * Worker threads to run folds (or trials) on at once (default 1: in this thread). With more, buildModel,
   * preprocess and scoring must be module exports (moduleExport(import.meta.url, 'name')), fit takes no
   * callbacks, and search parameters must be plain values. Node only.
   */
  workers?: number;
}

/** A 32-bit seed per task from the run's seed and the task's position. */
export function taskSeed(base: number, index: number): number {
  let z = (base + Math.imul(index + 1, 0x9e3779b9)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

export async function runTasks<P>(where: string, experiment: ExperimentOptions<P> & ParallelOptions, x: Tensor, y: Tensor, tasks: readonly FoldTask<P>[]): Promise<FoldOutcome[]> {
  const workers = experiment.workers ?? 1;
  if (!Number.isInteger(workers) || workers < 1) throw new ValueError(`${where}: option 'workers' expected a positive integer, received ${describe(experiment.workers)}`);
  if (workers > 1) {
    for (const [arg, v] of [['buildModel', experiment.buildModel], ['preprocess', experiment.preprocess], ['scoring', experiment.scoring]] as const) {
      if (v !== undefined && !isModuleExport(v)) {
        throw new ValueError(
          `${where}: with workers > 1, '${arg}' must be a module export, since functions and objects with methods cannot be sent to worker threads: ` +
            `export it from a module and pass moduleExport(import.meta.url, '${arg}') (received ${describe(v)})`,
        );
      }
    }
    if (experiment.fit?.callbacks?.length) throw new ValueError(`${where}: with workers > 1, fit cannot take callbacks (they cannot be sent to worker threads)`);
    // Loaded only here, so code that never runs workers (a browser bundle) does not need node:worker_threads.
    const { runInWorkers } = await import('./worker-pool.js');
    return runInWorkers(where, experiment, x, y, tasks, workers);
  }
  const resolved = await resolveExperiment(where, experiment);
  const state = getRandomState();
  try {
    const outcomes: FoldOutcome[] = [];
    for (const task of tasks) outcomes.push(await runFold(where, resolved, x, y, task));
    return outcomes;
  } finally {
    setRandomState(state);
  }
}
