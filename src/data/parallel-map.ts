/**
 * map on worker threads (Node): `map(moduleExport(import.meta.url, 'decode'), { parallel: 2 })`. A function
 * cannot cross threads, so it is named by module and export, and each worker imports it. Samples go out in
 * order and come back in order; at most two per worker are in flight, so memory stays bounded. Before each
 * sample a worker seeds the library's generator from the stage's seed, the pass's key and the sample's
 * index, so random draws inside the function repeat whichever worker runs it.
 */
import { backend } from '../backend/index.js';
import type { TypedArray } from '../util/dtype.js';
import { DTypeError, LayerwiseError, NumericsError, ShapeError, ValueError } from '../util/errors.js';
import type { ModuleExport } from '../util/module-export.js';
import { rng } from '../util/random.js';
import type { PlainSample } from './sample.js';
import { fromPlain, toPlain } from './sample.js';
import type { SeededStage, Source } from './source.js';
import { mixSeed, seedOf } from './source.js';
import { orderedConcurrent } from './stages.js';

/** What a worker receives at start. */
export interface MapWorkerSetup {
  where: string;
  fn: { module: string; name: string };
  backend: string;
}

export type MapWorkerRequest = { id: number; sample: PlainSample; seed: number };
export type MapWorkerReply =
  | { id: number; ok: true; result: PlainSample }
  | { id: number | null; ok: false; error: { name: string; message: string } };

const ERRORS: Record<string, new (message: string) => Error> = { ValueError, ShapeError, DTypeError, NumericsError, LayerwiseError };

function workerThreads(where: string) {
  if (typeof process !== 'object' || typeof process.getBuiltinModule !== 'function') {
    throw new ValueError(`${where}: option 'parallel' with a module export runs on Node's worker threads (Node >= 20.16); in a browser give a function without 'parallel'`);
  }
  return process.getBuiltinModule('node:worker_threads');
}

/** The buffers of a plain sample's arrays: each is a fresh copy, so it can be moved rather than copied again. */
export function transferables(plain: PlainSample, out: ArrayBuffer[] = []): ArrayBuffer[] {
  if (typeof plain !== 'object') return out;
  if (Array.isArray(plain)) {
    for (const p of plain) transferables(p, out);
  } else if ('$tensor' in plain && ArrayBuffer.isView(plain.$tensor)) {
    const buffer = (plain.$tensor as TypedArray).buffer;
    if (buffer instanceof ArrayBuffer && !out.includes(buffer)) out.push(buffer);
  } else {
    for (const p of Object.values(plain)) transferables(p as PlainSample, out);
  }
  return out;
}

export function workerMapSource<T, U>(up: Source<T>, fn: ModuleExport, workers: number, where: string): Source<U> {
  const stage: SeededStage = { seed: rng().nextUint32() };
  return {
    size: up.size,
    seeded: [...up.seeded, stage],
    async *open(run, skip) {
      const pool = new MapPool(fn, workers, where);
      const base = mixSeed(seedOf(run, stage), run.key);
      try {
        yield* orderedConcurrent(up.open(run, skip), 2 * workers, skip, (s, i) => pool.run(s, i, mixSeed(base, [i])) as Promise<U>);
      } finally {
        await pool.close();
      }
      return undefined;
    },
  };
}

interface Job {
  worker: number;
  index: number;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

class MapPool {
  readonly #where: string;
  readonly #workers: import('node:worker_threads').Worker[] = [];
  readonly #load: number[] = [];
  readonly #jobs = new Map<number, Job>();
  #nextId = 0;
  #failure: Error | null = null;

  constructor(fn: ModuleExport, workers: number, where: string) {
    const { Worker } = workerThreads(where);
    this.#where = where;
    const setup: MapWorkerSetup = { where, fn: { module: fn.module, name: fn.name }, backend: backend() };
    for (let w = 0; w < workers; w++) {
      const worker = new Worker(new URL('./map-worker.js', import.meta.url), { workerData: setup });
      worker.on('message', (reply: MapWorkerReply) => this.#reply(reply));
      worker.on('error', (e) => this.#fail(new LayerwiseError(`${where}: a worker thread failed: ${e.message}`)));
      worker.on('exit', (code) => {
        if (code !== 0) this.#fail(new LayerwiseError(`${where}: a worker thread exited with code ${code}`));
      });
      this.#workers.push(worker);
      this.#load.push(0);
    }
  }

  run(sample: unknown, index: number, seed: number): Promise<unknown> {
    if (this.#failure) return Promise.reject(this.#failure);
    let w = 0;
    for (let k = 1; k < this.#load.length; k++) if (this.#load[k]! < this.#load[w]!) w = k;
    const id = this.#nextId++;
    const plain = toPlain(this.#where, sample);
    return new Promise((resolve, reject) => {
      this.#jobs.set(id, { worker: w, index, resolve, reject });
      this.#load[w]!++;
      const request: MapWorkerRequest = { id, sample: plain, seed };
      this.#workers[w]!.postMessage(request, transferables(plain));
    });
  }

  #reply(reply: MapWorkerReply): void {
    if (reply.id === null) {
      if (!reply.ok) this.#fail(this.#error(reply.error, null));
      return;
    }
    const job = this.#jobs.get(reply.id);
    if (!job) return;
    this.#jobs.delete(reply.id);
    this.#load[job.worker]!--;
    if (reply.ok) job.resolve(fromPlain(reply.result));
    else job.reject(this.#error(reply.error, job.index));
  }

  #error(error: { name: string; message: string }, index: number | null): Error {
    const Class = ERRORS[error.name] ?? LayerwiseError;
    return new Class(`${this.#where}: ${index === null ? 'a worker thread could not start' : `sample ${index} failed in a worker thread`}: ${error.message}`);
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    for (const job of this.#jobs.values()) job.reject(this.#failure);
    this.#jobs.clear();
  }

  async close(): Promise<void> {
    this.#failure ??= new LayerwiseError(`${this.#where}: the pass was closed`);
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }
}
