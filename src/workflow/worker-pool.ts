/**
 * Node only: runs evaluation tasks on a pool of worker threads. Each worker receives the data once,
 * imports the experiment's module exports, then takes tasks one at a time as it finishes them. A worker
 * that dies (exits, whatever its code, or throws outside a task) fails the task it was running, named, and
 * a new worker takes its place while tasks remain; one that cannot start stops the run.
 */
import { Worker } from 'node:worker_threads';
import { backend } from '../backend/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { TypedArray } from '../util/dtype.js';
import { LayerwiseError, NumericsError, ShapeError, ValueError } from '../util/errors.js';
import type { ExperimentOptions, FoldOutcome, FoldTask } from './fold-task.js';
import type { TaskError, TaskTracker } from './task-tracker.js';

/** What a worker receives at start. */
export interface WorkerSetup {
  /** The caller's name, for messages. */
  where: string;
  experiment: ExperimentOptions<unknown>;
  x: { data: TypedArray; shape: readonly number[] };
  y: { data: TypedArray; shape: readonly number[] };
  backend: string;
}

export type WorkerReply =
  | { kind: 'ready' }
  | { kind: 'done'; index: number; outcome: FoldOutcome }
  | { kind: 'failed'; index: number | null; error: TaskError };

const ERRORS: Record<string, new (message: string) => Error> = { ValueError, ShapeError, NumericsError };

export async function runInWorkers<P>(where: string, experiment: ExperimentOptions<P>, x: Tensor, y: Tensor, tasks: readonly FoldTask<P>[], workers: number, tracker: TaskTracker): Promise<void> {
  // data() copies: the copies own their memory, so nothing shared with this thread is sent.
  const setup: WorkerSetup = {
    where,
    experiment: experiment as ExperimentOptions<unknown>,
    x: { data: x.data(), shape: x.shape },
    y: { data: y.data(), shape: y.shape },
    backend: backend(),
  };
  const pool = new Set<Worker>();
  let next = 0;
  const nextTask = (): number | null => {
    while (next < tasks.length) {
      const index = next++;
      if (!tracker.shouldSkip(index)) return index;
    }
    return null;
  };
  const start = (): void => {
    const worker = new Worker(new URL('./fold-worker.js', import.meta.url), { workerData: setup });
    pool.add(worker);
    let ready = false, running: number | null = null, thrown: Error | null = null;
    const feed = () => {
      running = nextTask();
      if (running !== null) {
        tracker.started(running);
        worker.postMessage({ index: running, task: tasks[running] });
      }
    };
    worker.on('message', (reply: WorkerReply) => {
      if (reply.kind === 'ready') {
        ready = true;
        return feed();
      }
      if (reply.kind === 'failed' && reply.index === null) {
        return tracker.stop(new (ERRORS[reply.error.name] ?? LayerwiseError)(`${where}: a worker failed to start: ${reply.error.message}`));
      }
      if (reply.kind === 'failed') tracker.failed(reply.index!, reply.error);
      else tracker.finished(reply.index, reply.outcome);
      feed();
    });
    // An uncaught exception in a worker ends it: the message says why, the exit says which task it took.
    worker.on('error', (e) => void (thrown = e));
    worker.on('exit', (code) => {
      pool.delete(worker);
      if (tracker.ended) return;
      const why = `the worker thread running it exited with code ${code}${thrown ? ` (${thrown.name}: ${thrown.message})` : ''}`;
      if (!ready) {
        return tracker.stop(new LayerwiseError(`${where}: a worker failed to start: it exited with code ${code}${thrown ? `: ${thrown.message}` : ''}`));
      }
      if (running !== null) tracker.failed(running, { name: thrown?.name ?? 'LayerwiseError', message: why });
      // Replace it while tasks remain to be handed out; the others keep going either way.
      if (next < tasks.length) start();
    });
  };
  try {
    for (let w = 0; w < Math.min(workers, tasks.length); w++) start();
    await tracker.settled;
  } finally {
    await Promise.all([...pool].map((w) => w.terminate()));
  }
}
