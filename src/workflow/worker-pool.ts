/**
 * Node only: runs evaluation tasks on a pool of worker threads. Each worker receives the data once,
 * imports the experiment's module exports, then takes tasks one at a time as it finishes them.
 */
import { Worker } from 'node:worker_threads';
import { backend } from '../backend/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { TypedArray } from '../util/dtype.js';
import { LayerwiseError, NumericsError, ShapeError, ValueError } from '../util/errors.js';
import type { ExperimentOptions, FoldOutcome, FoldTask } from './fold-task.js';

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
  | { kind: 'failed'; index: number | null; error: { name: string; message: string } };

const ERRORS: Record<string, new (message: string) => Error> = { ValueError, ShapeError, NumericsError };

export async function runInWorkers<P>(where: string, experiment: ExperimentOptions<P>, x: Tensor, y: Tensor, tasks: readonly FoldTask<P>[], workers: number): Promise<FoldOutcome[]> {
  // data() copies: the copies own their memory, so nothing shared with this thread is sent.
  const setup: WorkerSetup = {
    where,
    experiment: experiment as ExperimentOptions<unknown>,
    x: { data: x.data(), shape: x.shape },
    y: { data: y.data(), shape: y.shape },
    backend: backend(),
  };
  const outcomes = new Array<FoldOutcome>(tasks.length);
  const pool: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let next = 0, finished = 0;
      const fail = (error: { name: string; message: string }, index: number | null) => {
        const Class = ERRORS[error.name] ?? LayerwiseError;
        reject(new Class(`${where}: ${index === null ? 'a worker failed to start' : `task ${index + 1} of ${tasks.length} failed in a worker thread`}: ${error.message}`));
      };
      const feed = (worker: Worker) => {
        if (next < tasks.length) {
          const index = next++;
          worker.postMessage({ index, task: tasks[index] });
        }
      };
      if (tasks.length === 0) resolve();
      for (let w = 0; w < Math.min(workers, tasks.length); w++) {
        const worker = new Worker(new URL('./fold-worker.js', import.meta.url), { workerData: setup });
        pool.push(worker);
        worker.on('message', (reply: WorkerReply) => {
          if (reply.kind === 'ready') return feed(worker);
          if (reply.kind === 'failed') return fail(reply.error, reply.index);
          outcomes[reply.index] = reply.outcome;
          if (++finished === tasks.length) resolve();
          else feed(worker);
        });
        worker.on('error', (e) => fail({ name: e.name, message: e.message }, null));
        worker.on('exit', (code) => {
          if (code !== 0 && finished < tasks.length) fail({ name: 'LayerwiseError', message: `a worker exited with code ${code}` }, null);
        });
      }
    });
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return outcomes;
}
