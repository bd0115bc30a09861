/**
 * Dataset: a lazy, typed sequence of samples, after tf.data. Nothing is read until it is iterated; each
 * stage (map, filter, shuffle, batch, prefetch, cache...) returns a new Dataset, and a pass reads the
 * data once, from the source through the stages, with memory bounded by the buffers the stages ask for.
 *
 *   const train = Dataset.fromTensors({ x, y }).shuffle(1000).batch(32).prefetch(2);
 *   for await (const { x, y } of train) ...               // a new shuffle every pass
 *
 * Samples are tensors, numbers and strings, or tuples and records of them (sample.ts). Randomness is
 * seeded: a shuffle's order depends on its seed and the epoch only, so a run resumed at epoch e, batch b
 * (`iterate({ from: position })`) continues with exactly the samples the interrupted run would have seen.
 */
import { Tensor } from '../tensor/tensor.js';
import { toTensor } from '../tensor/creation.js';
import { ShapeError, ValueError, describe } from '../util/errors.js';
import { yieldToEventLoop } from '../util/event-loop.js';
import type { ModuleExport } from '../util/module-export.js';
import { isModuleExport } from '../util/module-export.js';
import { fileCacheSource, memoryCacheSource } from './cache.js';
import { checkOptions, nonNegativeInteger, positiveInteger } from './options.js';
import { workerMapSource } from './parallel-map.js';
import type { Batched, PaddingOptions, Unbatched } from './sample.js';
import { rowOf } from './sample.js';
import type { ShuffleOptions } from './shuffle.js';
import { shuffleSource } from './shuffle.js';
import type { Run, SeededStage, Source } from './source.js';
import { seedOf } from './source.js';
import {
  batchSource, concatenateSource, concurrentMapSource, filterSource, indexedSource, iterableSource, mapSource, prefetchSource, repeatSource,
  skipSource, takeSource, unbatchSource, zipSource,
} from './stages.js';

export type { ShuffleOptions } from './shuffle.js';

/** Where a pass stands: enough to continue it later, in this process or another (it is plain JSON). */
export interface DatasetPosition {
  /** The epoch of the pass. */
  epoch: number;
  /** How many elements (samples, or batches after batch) the pass has handed out. */
  index: number;
  /** The seeds of the pipeline's seeded stages (shuffles, parallel maps), upstream first. */
  seeds: number[];
}

export interface IterateOptions {
  /** The epoch of this pass: shuffles depend on it (default: how many passes this dataset has started). */
  epoch?: number;
  /** Continue a pass from a position `DatasetIterator.position()` gave (its epoch, index and seeds). */
  from?: DatasetPosition;
}

export interface MapOptions {
  /**
   * Run up to this many calls at once, results kept in order. With a function, on this thread (async work
   * such as reading files and decoding overlaps); with a module export (`moduleExport(import.meta.url,
   * 'name')`), on this many worker threads (Node).
   */
  parallel?: number;
}

export interface BatchOptions {
  /** Drop a last batch smaller than `size` (default false). */
  dropRemainder?: boolean;
  /** Pad every tensor to the longest of its batch along each axis (variable-length sequences): true pads with 0. */
  padding?: boolean | PaddingOptions;
}

export interface CacheOptions {
  /** Keep the samples in this file (Node) rather than in memory: later passes and later processes read it. */
  file?: string;
}

/** Anything whose samples lie along its first axis: a tensor, a typed array, an array of numbers, nested arrays or strings. */
export type Slices = Tensor | ArrayLike<number> | readonly string[] | readonly (readonly unknown[])[];

/** The structure of tensors (or arrays) Dataset.fromTensors slices into samples. */
export type SliceStructure = Slices | readonly SliceStructure[] | { readonly [key: string]: SliceStructure };

/** The sample type of Dataset.fromTensors(structure). */
export type SliceOf<S> = S extends Tensor
  ? Tensor
  : S extends readonly string[]
    ? string
    : S extends ArrayLike<number>
      ? Tensor
      : S extends readonly (readonly unknown[])[]
        ? Tensor
        : S extends readonly unknown[]
          ? { -readonly [K in keyof S]: SliceOf<S[K]> }
          : S extends object
            ? { [K in keyof S]: SliceOf<S[K]> }
            : never;

/** A sample source for Dataset.from: an iterable, or a function returning a new one for every pass (a generator function). */
export type DatasetSource<T> = Iterable<T> | AsyncIterable<T> | (() => Iterable<T> | AsyncIterable<T>);

type ZipOf<S> = { -readonly [K in keyof S]: S[K] extends Dataset<infer T> ? T : never };

export class Dataset<T> implements AsyncIterable<T> {
  readonly #source: Source<T>;
  #passes = 0;

  /** Wraps a source (library code; users start from Dataset.from, Dataset.fromTensors or a loader). */
  constructor(source: Source<T>) {
    this.#source = source;
  }

  static #sourceOf(where: string, arg: string, d: unknown): Source<never> {
    if (!(d instanceof Dataset)) throw new ValueError(`${where}: argument '${arg}' expected a Dataset, received ${describe(d)}`);
    return d.#source as Source<never>;
  }

  /** Samples per pass: a number, Infinity after repeat(), or null when not known before reading (filter, generators). */
  get size(): number | null {
    return this.#source.size;
  }

  /**
   * A dataset of the samples of an array, an iterable or an async iterable. A function that returns an
   * iterable (a generator function, sync or async) is called for every pass; an iterator can be read
   * only once.
   */
  static from<T>(source: DatasetSource<T>): Dataset<T> {
    if (Array.isArray(source)) {
      const items = source as readonly T[];
      return new Dataset(indexedSource(items.length, (i) => items[i]!));
    }
    if (typeof source === 'function') {
      return new Dataset(iterableSource(() => {
        const made = source();
        if (!isIterable(made)) throw new ValueError(`Dataset.from: the source function expected to return an iterable or async iterable (a generator), returned ${describe(made)}`);
        return made;
      }, null));
    }
    if (!isIterable(source)) {
      throw new ValueError(`Dataset.from: argument 'source' expected an array, an iterable, an async iterable or a generator function, received ${describe(source)}`);
    }
    // An iterator returns itself from [Symbol.iterator]: it can be read once.
    const once = (Symbol.iterator in source ? source[Symbol.iterator]() : source[Symbol.asyncIterator]()) === (source as unknown);
    let used = false;
    return new Dataset(iterableSource(() => {
      if (once && used) {
        throw new ValueError(`Dataset.from: this dataset was made from an iterator, which can be read only once; pass a function that returns a new one (a generator function) to read it every epoch`);
      }
      used = true;
      return source;
    }, null));
  }

  /**
   * A dataset of the slices along the first axis of a tensor, or of a tuple or record of them:
   * `Dataset.fromTensors({ x, y })` yields `{ x: x[i], y: y[i] }`. Typed arrays and arrays of numbers give
   * scalar tensors (Uint8Array as bytes, e.g. pixels, in int32), arrays of strings give strings.
   */
  static fromTensors<const S extends SliceStructure>(structure: S): Dataset<SliceOf<S>> {
    const where = 'Dataset.fromTensors';
    const leaves: { path: string; length: number }[] = [];
    const prepared = prepareSlices(where, structure, '', leaves);
    if (leaves.length === 0) throw new ValueError(`${where}: argument 'structure' holds no tensors or arrays to slice`);
    const n = leaves[0]!.length;
    for (const leaf of leaves) {
      if (leaf.length !== n) {
        throw new ShapeError(`${where}: every part must hold as many samples: ${leaves[0]!.path || 'the first part'} holds ${n}, ${leaf.path} holds ${leaf.length}`);
      }
    }
    return new Dataset(indexedSource(n, (i) => prepared(i) as SliceOf<S>));
  }

  /** Samples of several datasets side by side, as a tuple or record, until the shortest ends. */
  static zip<const S extends readonly Dataset<unknown>[] | { readonly [key: string]: Dataset<unknown> }>(datasets: S): Dataset<ZipOf<S>> {
    if (Array.isArray(datasets)) {
      const parts = (datasets as readonly Dataset<unknown>[]).map((d, k) => Dataset.#sourceOf('Dataset.zip', `datasets[${k}]`, d));
      return new Dataset(zipSource(parts, (values) => values as ZipOf<S>));
    }
    if (typeof datasets !== 'object' || datasets === null) throw new ValueError(`Dataset.zip: argument 'datasets' expected an array or record of datasets, received ${describe(datasets)}`);
    const keys = Object.keys(datasets);
    const parts = keys.map((k) => Dataset.#sourceOf('Dataset.zip', `datasets.${k}`, (datasets as Record<string, unknown>)[k]));
    return new Dataset(zipSource(parts, (values) => Object.fromEntries(keys.map((k, i) => [k, values[i]])) as ZipOf<S>));
  }

  /** Each sample through fn (sync or async); `{ parallel: N }` runs N at once, on worker threads for a module export. */
  map<U>(fn: ((sample: T) => U | Promise<U>) | ModuleExport<(sample: T) => U | Promise<U>> | ModuleExport, options: MapOptions = {}): Dataset<U> {
    const where = 'Dataset.map';
    checkOptions(where, options, ['parallel']);
    const parallel = options.parallel === undefined ? null : positiveInteger(where, 'parallel', options.parallel);
    if (isModuleExport(fn)) {
      if (parallel === null) throw new ValueError(`${where}: a module export runs on worker threads: give { parallel: N } with it, or pass the function itself`);
      return new Dataset(workerMapSource<T, U>(this.#source, fn, parallel, where));
    }
    if (typeof fn !== 'function') throw new ValueError(`${where}: argument 'fn' expected a function or a module export, received ${describe(fn)}`);
    return new Dataset(parallel === null || parallel === 1 ? mapSource(this.#source, fn) : concurrentMapSource(this.#source, fn, parallel));
  }

  /** Keeps the samples for which `keep` returns true (sync or async). */
  filter(keep: (sample: T) => boolean | Promise<boolean>): Dataset<T> {
    if (typeof keep !== 'function') throw new ValueError(`Dataset.filter: argument 'keep' expected a function, received ${describe(keep)}`);
    return new Dataset(filterSource(this.#source, keep));
  }

  /**
   * Shuffles through a buffer of `bufferSize` samples (the dataset's size or more: a uniform permutation).
   * The order depends on the seed (drawn from the `setSeed` generator unless given) and the epoch only.
   */
  shuffle(bufferSize: number, options: ShuffleOptions = {}): Dataset<T> {
    const where = 'Dataset.shuffle';
    positiveInteger(where, 'bufferSize', bufferSize);
    checkOptions(where, options, ['seed', 'reshuffleEachIteration']);
    if (options.seed !== undefined && (typeof options.seed !== 'number' || !Number.isFinite(options.seed))) {
      throw new ValueError(`${where}: option 'seed' expected a finite number, received ${describe(options.seed)}`);
    }
    return new Dataset(shuffleSource(this.#source, bufferSize, options));
  }

  /** Groups `size` consecutive samples into one batch: tensors stacked along a new first axis, numbers into a vector, strings into an array. */
  batch(size: number, options: BatchOptions = {}): Dataset<Batched<T>> {
    const where = 'Dataset.batch';
    positiveInteger(where, 'size', size);
    checkOptions(where, options, ['dropRemainder', 'padding']);
    const { dropRemainder = false, padding = false } = options;
    if (typeof dropRemainder !== 'boolean') throw new ValueError(`${where}: option 'dropRemainder' expected a boolean, received ${describe(dropRemainder)}`);
    let pad: PaddingOptions | null = null;
    if (padding === true) pad = {};
    else if (typeof padding === 'object' && padding !== null) {
      checkOptions(`${where} (padding)`, padding, ['value']);
      if (padding.value !== undefined && typeof padding.value !== 'number') throw new ValueError(`${where}: option 'padding.value' expected a number, received ${describe(padding.value)}`);
      pad = padding;
    } else if (padding !== false) throw new ValueError(`${where}: option 'padding' expected a boolean or { value }, received ${describe(padding)}`);
    return new Dataset(batchSource<T, Batched<T>>(this.#source, size, dropRemainder, pad, where));
  }

  /** Splits every batch back into samples (tensors along their first axis, arrays of strings by element). */
  unbatch(): Dataset<Unbatched<T>> {
    return new Dataset(unbatchSource<T, Unbatched<T>>(this.#source, 'Dataset.unbatch'));
  }

  /** Reads up to `count` elements ahead of the consumer, so reading and decoding overlap the consumer's work. */
  prefetch(count: number): Dataset<T> {
    positiveInteger('Dataset.prefetch', 'count', count);
    return new Dataset(prefetchSource(this.#source, count));
  }

  /**
   * Keeps the samples of the first complete pass, in memory or in a file (`{ file }`, Node), and reads them
   * from there afterwards. The upstream is read as epoch 0; shuffle after cache for a new order each epoch.
   */
  cache(options: CacheOptions = {}): Dataset<T> {
    const where = 'Dataset.cache';
    checkOptions(where, options, ['file']);
    if (this.size === Infinity) throw new ValueError(`${where}: this dataset never ends (after repeat()), so its first pass would never complete: cache before repeat`);
    return new Dataset(options.file === undefined ? memoryCacheSource(this.#source) : fileCacheSource(this.#source, options.file, where));
  }

  /** The samples `count` times over (default: forever), each repetition shuffled anew. */
  repeat(count?: number): Dataset<T> {
    return new Dataset(repeatSource(this.#source, count === undefined ? Infinity : nonNegativeInteger('Dataset.repeat', 'count', count)));
  }

  /** The first `count` samples. */
  take(count: number): Dataset<T> {
    return new Dataset(takeSource(this.#source, nonNegativeInteger('Dataset.take', 'count', count)));
  }

  /** All but the first `count` samples. */
  skip(count: number): Dataset<T> {
    return new Dataset(skipSource(this.#source, nonNegativeInteger('Dataset.skip', 'count', count)));
  }

  /** This dataset's samples, then `other`'s. */
  concatenate(other: Dataset<T>): Dataset<T> {
    return new Dataset(concatenateSource(this.#source, Dataset.#sourceOf('Dataset.concatenate', 'other', other)));
  }

  /** Starts a pass; `epoch` fixes the shuffles' order, `from` continues a saved position. */
  iterate(options: IterateOptions = {}): DatasetIterator<T> {
    const where = 'Dataset.iterate';
    checkOptions(where, options, ['epoch', 'from']);
    if (options.epoch !== undefined && options.from !== undefined) throw new ValueError(`${where}: give either 'epoch' or 'from' (which holds its epoch), not both`);
    const seeded = this.#source.seeded;
    let epoch = this.#passes;
    let index = 0;
    let seeds: Map<SeededStage, number> | null = null;
    if (options.from !== undefined) {
      const from = checkPosition(where, options.from);
      if (from.seeds.length !== seeded.length) {
        throw new ValueError(`${where}: option 'from' holds ${from.seeds.length} seeds, but this dataset has ${seeded.length} seeded stages (shuffles and parallel maps): it was saved from another pipeline`);
      }
      ({ epoch, index } = from);
      seeds = new Map(seeded.map((s, k) => [s, from.seeds[k]!]));
    } else if (options.epoch !== undefined) {
      epoch = nonNegativeInteger(where, 'epoch', options.epoch);
    }
    this.#passes = Math.max(this.#passes, epoch + 1);
    const run: Run = { key: [epoch], seeds };
    return new DatasetIterator(this.#source.open(run, index), { epoch, index, seeds: seeded.map((s) => seedOf(run, s)) });
  }

  [Symbol.asyncIterator](): DatasetIterator<T> {
    return this.iterate();
  }

  /** Every sample of one pass, in an array (the dataset must end). */
  async toArray(): Promise<T[]> {
    if (this.size === Infinity) throw new ValueError(`Dataset.toArray: this dataset never ends (after repeat()); take(n) first`);
    const out: T[] = [];
    for await (const s of this) out.push(s);
    return out;
  }
}

/** How long a consumer waited for data. */
export interface DataWait {
  /** Elements handed out so far in this pass. */
  count: number;
  /** Milliseconds spent waiting for the last element (0 when it was ready: prefetched). */
  lastMs: number;
  /** Milliseconds spent waiting for data over the pass. */
  totalMs: number;
}

/**
 * One pass over a dataset. Besides next() it tells where it stands (`position()`, to save with a
 * checkpoint) and how long its consumer waited for data (`wait`): a slow map or disk shows up there.
 */
export class DatasetIterator<T> implements AsyncIterableIterator<T> {
  readonly #chunks: AsyncIterator<T[], undefined>;
  readonly #epoch: number;
  readonly #seeds: number[];
  #index: number;
  #chunk: T[] = [];
  #pos = 0;
  #done = false;
  #lastYield = performance.now();
  #wait: DataWait = { count: 0, lastMs: 0, totalMs: 0 };

  constructor(chunks: AsyncIterator<T[], undefined>, start: DatasetPosition) {
    this.#chunks = chunks;
    this.#epoch = start.epoch;
    this.#index = start.index;
    this.#seeds = start.seeds;
  }

  async next(): Promise<IteratorResult<T, undefined>> {
    const started = performance.now();
    // Pipelines that never wait on I/O would otherwise run a whole pass in microtasks, and memory the
    // backends give back through finalizers would only come back at its end.
    if (started - this.#lastYield > 5) {
      await yieldToEventLoop();
      this.#lastYield = performance.now();
    }
    while (this.#pos >= this.#chunk.length) {
      if (this.#done) return { done: true, value: undefined };
      const r = await this.#chunks.next();
      if (r.done) {
        this.#done = true;
        this.#chunk = [];
        return { done: true, value: undefined };
      }
      [this.#chunk, this.#pos] = [r.value, 0];
    }
    const value = this.#chunk[this.#pos]!;
    this.#chunk[this.#pos++] = undefined as T; // the iterator keeps no sample alive once handed out
    this.#index++;
    const ms = performance.now() - started;
    this.#wait.count++;
    this.#wait.lastMs = ms;
    this.#wait.totalMs += ms;
    return { done: false, value };
  }

  /** Stops the pass early: closes files and worker threads. */
  async return(): Promise<IteratorResult<T, undefined>> {
    this.#done = true;
    this.#chunk = [];
    await this.#chunks.return?.();
    return { done: true, value: undefined };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** Where the pass stands: `dataset.iterate({ from: position })` continues from the next element. */
  position(): DatasetPosition {
    return { epoch: this.#epoch, index: this.#index, seeds: [...this.#seeds] };
  }

  /** Time spent waiting for data (a copy). */
  get wait(): DataWait {
    return { ...this.#wait };
  }
}

function isIterable(v: unknown): v is Iterable<unknown> | AsyncIterable<unknown> {
  return typeof v === 'object' && v !== null && (Symbol.iterator in v || Symbol.asyncIterator in v);
}

function checkPosition(where: string, p: unknown): DatasetPosition {
  const ok = typeof p === 'object' && p !== null
    && Number.isInteger((p as DatasetPosition).epoch) && (p as DatasetPosition).epoch >= 0
    && Number.isInteger((p as DatasetPosition).index) && (p as DatasetPosition).index >= 0
    && Array.isArray((p as DatasetPosition).seeds) && (p as DatasetPosition).seeds.every((s) => Number.isInteger(s) && s >= 0 && s < 2 ** 32);
  if (!ok) throw new ValueError(`${where}: option 'from' expected a position { epoch, index, seeds } from DatasetIterator.position(), received ${describe(p)}`);
  return p as DatasetPosition;
}

function firstLeaf(v: unknown): unknown {
  while (Array.isArray(v)) v = v[0];
  return v;
}

/** Checks a fromTensors structure and returns a function building sample i. */
function prepareSlices(where: string, s: unknown, path: string, leaves: { path: string; length: number }[]): (i: number) => unknown {
  const name = path || 'structure';
  if (s instanceof Tensor) {
    if (s.rank === 0) throw new ShapeError(`${where}: ${name} is a scalar tensor; expected samples along its first axis`);
    leaves.push({ path: name, length: s.shape[0]! });
    return (i) => rowOf(s, i);
  }
  if (Array.isArray(s) && s.length > 0 && s.every((v) => typeof v === 'string')) {
    leaves.push({ path: name, length: s.length });
    return (i) => s[i];
  }
  if (s instanceof Uint8Array || s instanceof Uint8ClampedArray || s instanceof Int8Array || s instanceof Int16Array || s instanceof Uint16Array) {
    return prepareSlices(where, new Tensor(Int32Array.from(s), [s.length]), path, leaves);
  }
  if (ArrayBuffer.isView(s) || (Array.isArray(s) && typeof firstLeaf(s) === 'number')) {
    return prepareSlices(where, toTensor(where, name, s as never), path, leaves);
  }
  if (Array.isArray(s)) {
    if (s.length === 0) throw new ValueError(`${where}: ${name} is an empty array: no samples and no parts to slice`);
    const parts = s.map((v, k) => prepareSlices(where, v, `${path}[${k}]`, leaves));
    return (i) => parts.map((f) => f(i));
  }
  if (typeof s === 'object' && s !== null && !ArrayBuffer.isView(s)) {
    const parts = Object.entries(s).map(([k, v]) => [k, prepareSlices(where, v, `${path}.${k}`, leaves)] as const);
    return (i) => Object.fromEntries(parts.map(([k, f]) => [k, f(i)]));
  }
  throw new ValueError(`${where}: ${name} expected a tensor, an array or a record of them, received ${describe(s)}`);
}
