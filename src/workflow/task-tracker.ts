/**
 * What every way of running tasks (this thread, worker threads, a queue on Redis) reports to: which
 * tasks started, finished, failed or were handed to another worker. It counts failures per trial against
 * the run's limit, stops the run when the limit is passed, shows progress, and hands back one result per
 * task. Reports may repeat (a queue can deliver an event twice, or a reconciliation can see a task that an
 * event already brought): the first report of a task's end counts, later ones are ignored.
 */
import type { FoldOutcome } from './fold-task.js';
import { LayerwiseError, NumericsError, ShapeError, ValueError } from '../util/errors.js';

/** An error as it crosses threads and machines: its class name and its message. */
export interface TaskError {
  name: string;
  message: string;
  /** The error itself, where it was thrown in this thread (kept as the cause of the run's error). */
  cause?: unknown;
  /** Which task failed ("trial 3 (units=4), fold 2"), set by the tracker. */
  task?: string;
}

/** "trial 3 (units=4), fold 2 failed: the message". */
export function failureMessage(error: TaskError): string {
  return error.task === undefined ? error.message : `${error.task} failed: ${error.message}`;
}

export type TaskResult = { ok: true; outcome: FoldOutcome } | { ok: false; error: TaskError };

/** Where a run stands, given to `onProgress` and shown by `verbose: 1`. Counts are of tasks (folds). */
export interface TaskProgress {
  total: number;
  done: number;
  running: number;
  failed: number;
  /** Tasks started again after their worker died or handed them back. */
  retried: number;
  /** The best objective value of the trials finished so far (searches only). */
  best?: { value: number; trial: number };
}

export interface TrackerOptions {
  /** The caller's name ('gridSearch'), which task messages need not repeat. */
  where: string;
  /** For messages: "trial 3 (units=4), fold 2". */
  describe(index: number): string;
  /** The trial a task belongs to: failures are counted per trial, and a failed trial's other folds are skipped. */
  trialOf(index: number): number;
  /** Failed trials tolerated; one more stops the run (Infinity: go on, and fail only when every trial failed). */
  maxFailures: number;
  /** The score searches rank by, for "best so far". */
  objective?: { key: string; direction: 'min' | 'max' };
  verbose?: 0 | 1;
  onProgress?: (progress: TaskProgress) => void;
}

const ERRORS: Record<string, new (message: string, options?: ErrorOptions) => Error> = { ValueError, ShapeError, NumericsError };

export function toTaskError(e: unknown): TaskError {
  return e instanceof Error ? { name: e.name, message: e.message, cause: e } : { name: 'Error', message: String(e), cause: e };
}

export class TaskTracker {
  readonly #total: number;
  readonly #options: TrackerOptions;
  readonly #results: (TaskResult | undefined)[];
  readonly #running = new Set<number>();
  readonly #retried = new Set<number>();
  readonly #failedTrials = new Map<number, TaskError>();
  readonly #trialSize = new Map<number, number>();
  readonly #trialDone = new Map<number, FoldOutcome[]>();
  readonly #abort = new AbortController();
  #settled = 0;
  #failed = 0;
  #best: TaskProgress['best'];
  #stopError: Error | null = null;
  #whenSettled: Promise<void>;
  #resolveSettled!: () => void;
  #lastLine = '';
  /** Printed in front of the progress line: "gridSearch 'name'". */
  title: string;

  constructor(total: number, options: TrackerOptions) {
    this.#total = total;
    this.#options = options;
    this.title = options.where;
    this.#results = new Array<TaskResult | undefined>(total);
    for (let i = 0; i < total; i++) {
      const t = options.trialOf(i);
      this.#trialSize.set(t, (this.#trialSize.get(t) ?? 0) + 1);
    }
    this.#whenSettled = new Promise((resolve) => (this.#resolveSettled = resolve));
    if (total === 0) this.#resolveSettled();
  }

  /** Aborted when the run must stop: too many failures, or a fault no task can get past. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  /** Resolves when every task has ended (or been skipped), or the run was stopped. */
  get settled(): Promise<void> {
    return this.#whenSettled;
  }

  get total(): number {
    return this.#total;
  }

  describe(index: number): string {
    return this.#options.describe(index);
  }

  /** Whether the task has ended: finished, failed, or skipped because its trial failed. */
  isSettled(index: number): boolean {
    return this.#results[index] !== undefined;
  }

  /** Whether running the task is pointless: it ended, its trial already failed, or the run stopped. */
  shouldSkip(index: number): boolean {
    if (this.#abort.signal.aborted || this.isSettled(index)) return true;
    const failure = this.#failedTrials.get(this.#options.trialOf(index));
    if (failure) {
      this.#settle(index, { ok: false, error: failure });
      return true;
    }
    return false;
  }

  started(index: number): void {
    if (this.isSettled(index) || this.#running.has(index)) return;
    this.#running.add(index);
    this.#show(false);
  }

  /** The task went back to the queue (its worker died or handed it back) and will run again. */
  retried(index: number): void {
    if (this.isSettled(index)) return;
    this.#running.delete(index);
    this.#retried.add(index);
    this.#show(true);
  }

  finished(index: number, outcome: FoldOutcome): void {
    if (this.isSettled(index)) return;
    const trial = this.#options.trialOf(index);
    if (this.#failedTrials.has(trial)) return this.#settle(index, { ok: false, error: this.#failedTrials.get(trial)! });
    const done = this.#trialDone.get(trial) ?? [];
    done.push(outcome);
    this.#trialDone.set(trial, done);
    const objective = this.#options.objective;
    if (objective && done.length === this.#trialSize.get(trial)) {
      const value = done.reduce((a, o) => a + (o.scores[objective.key] ?? NaN), 0) / done.length;
      const better = this.#best === undefined || (objective.direction === 'min' ? value < this.#best.value : value > this.#best.value);
      if (!Number.isNaN(value) && better) this.#best = { value, trial };
    }
    this.#settle(index, { ok: true, outcome });
  }

  failed(index: number, error: TaskError): void {
    if (this.isSettled(index)) return;
    const trial = this.#options.trialOf(index);
    const first = !this.#failedTrials.has(trial);
    const own = `${this.#options.where}: `;
    const message = error.message.startsWith(own) ? error.message.slice(own.length) : error.message;
    const labelled: TaskError = { name: error.name, message, task: this.#options.describe(index) };
    if (error.cause !== undefined) labelled.cause = error.cause;
    if (first) this.#failedTrials.set(trial, labelled);
    this.#settle(index, { ok: false, error: this.#failedTrials.get(trial)! });
    if (first && this.#failedTrials.size > this.#options.maxFailures) {
      const list = [...this.#failedTrials.values()];
      const limit = this.#options.maxFailures;
      const message =
        limit === 0 && list.length === 1
          ? failureMessage(list[0]!)
          : `${list.length} trials failed, more than maxFailures (${limit}):\n  ${list.map(failureMessage).join('\n  ')}`;
      const cause = list[0]!.cause;
      this.stop(new (ERRORS[list[0]!.name] ?? LayerwiseError)(message, cause === undefined ? undefined : { cause }));
    }
  }

  /** Whether every task has ended or the run was stopped. */
  get ended(): boolean {
    return this.#stopError !== null || this.#settled === this.#total;
  }

  /** Stops the run with an error (the first one counts; none once every task has ended). */
  stop(error: Error): void {
    if (this.ended) return;
    this.#stopError = error;
    this.#abort.abort(error);
    this.#end();
  }

  /** One result per task, in task order; throws the error that stopped the run. */
  results(where: string): TaskResult[] {
    if (this.#stopError) {
      const e = this.#stopError;
      throw e.message.startsWith(`${where}:`) ? e : new (e.constructor as new (m: string, o?: ErrorOptions) => Error)(`${where}: ${e.message}`, { cause: e });
    }
    if (this.#settled < this.#total) throw new LayerwiseError(`${where}: ${this.#total - this.#settled} of ${this.#total} tasks never ended (an internal error)`);
    return this.#results as TaskResult[];
  }

  /** A line for the user, shown with verbose 1. */
  notice(message: string): void {
    if (this.#options.verbose !== 1) return;
    process.stderr.write(`${this.#lastLine !== '' && process.stderr.isTTY ? '\n' : ''}${this.title}: ${message}\n`);
    this.#lastLine = '';
  }

  get progress(): TaskProgress {
    const failed = this.#failed;
    const p: TaskProgress = { total: this.#total, done: this.#settled - failed, running: this.#running.size, failed, retried: this.#retried.size };
    if (this.#best) p.best = { ...this.#best };
    return p;
  }

  #settle(index: number, result: TaskResult): void {
    this.#results[index] = result;
    if (!result.ok) this.#failed++;
    this.#running.delete(index);
    this.#settled++;
    this.#show(true);
    if (this.#settled === this.#total) this.#end();
  }

  #end(): void {
    if (this.#options.verbose === 1 && this.#lastLine !== '' && process.stderr.isTTY) process.stderr.write('\n');
    this.#lastLine = '';
    this.#resolveSettled();
  }

  #show(changed: boolean): void {
    const p = this.progress;
    this.#options.onProgress?.(p);
    if (this.#options.verbose !== 1) return;
    const objective = this.#options.objective;
    const best = p.best && objective ? `; best ${objective.key} ${p.best.value.toFixed(4)}, ${this.#options.describe(this.#firstTaskOf(p.best.trial)).replace(/, fold \d+$/, '')}` : '';
    const line = `${this.title}: ${p.done}/${p.total} done, ${p.running} running, ${p.failed} failed, ${p.retried} retried${best}`;
    if (line === this.#lastLine) return;
    if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${line}`);
    else if (changed) process.stderr.write(`${line}\n`);
    this.#lastLine = line;
  }

  #firstTaskOf(trial: number): number {
    for (let i = 0; i < this.#total; i++) if (this.#options.trialOf(i) === trial) return i;
    return 0;
  }
}
