/** The stages of a dataset pipeline, each a Source over its upstream (see source.ts). */
import type { PaddingOptions } from './sample.js';
import { batchSamples, unbatchSample } from './sample.js';
import type { Run, Source } from './source.js';
import { chunksOf, dropFirst } from './source.js';

/** How many samples an in-memory source hands out at once. */
const CHUNK = 64;

/** Samples 0..size-1 by index: arrays and tensors sliced along their first axis. */
export function indexedSource<T>(size: number, sampleAt: (i: number) => T): Source<T> {
  return {
    size,
    seeded: [],
    async *open(_run, skip) {
      for (let start = skip; start < size; start += CHUNK) {
        const end = Math.min(start + CHUNK, size);
        const chunk = new Array<T>(end - start);
        for (let i = start; i < end; i++) chunk[i - start] = sampleAt(i);
        yield chunk;
      }
      return undefined;
    },
  };
}

/** Samples from an iterable made anew for every pass (or once, for a one-shot iterator). */
export function iterableSource<T>(next: () => Iterable<T> | AsyncIterable<T>, size: number | null): Source<T> {
  return {
    size,
    seeded: [],
    open(_run, skip) {
      const items = next();
      return dropFirst(Symbol.asyncIterator in items ? asyncChunks(items) : syncChunks(items), skip);
    },
  };
}

async function* syncChunks<T>(items: Iterable<T>): AsyncGenerator<T[], undefined> {
  const it = items[Symbol.iterator]();
  try {
    for (;;) {
      const chunk: T[] = [];
      for (let r = it.next(); ; r = it.next()) {
        if (r.done) {
          if (chunk.length > 0) yield chunk;
          return undefined;
        }
        chunk.push(r.value);
        if (chunk.length === CHUNK) break;
      }
      yield chunk;
    }
  } finally {
    it.return?.();
  }
}

async function* asyncChunks<T>(items: AsyncIterable<T>): AsyncGenerator<T[], undefined> {
  for await (const item of items) yield [item];
  return undefined;
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as PromiseLike<unknown>).then === 'function';
}

/** fn on every sample, one at a time (awaited when it returns a promise). */
export function mapSource<T, U>(up: Source<T>, fn: (sample: T) => U | Promise<U>): Source<U> {
  return {
    size: up.size,
    seeded: up.seeded,
    async *open(run, skip) {
      for await (const chunk of chunksOf(up.open(run, skip))) {
        const out = new Array<U>(chunk.length);
        for (let i = 0; i < chunk.length; i++) {
          const r = fn(chunk[i]!);
          out[i] = isThenable(r) ? ((await r) as U) : r;
        }
        yield out;
      }
      return undefined;
    },
  };
}

/**
 * `start(sample, index)` for up to `limit` samples at once, results in the order of the samples. Memory is
 * bounded by `limit`: no sample is started until the one `limit` places before it has been handed on.
 */
export async function* orderedConcurrent<T, U>(
  chunks: AsyncIterator<T[], undefined>,
  limit: number,
  firstIndex: number,
  start: (sample: T, index: number) => Promise<U>,
): AsyncGenerator<U[], undefined> {
  interface Job { settled: boolean; value?: U; promise: Promise<U> }
  const jobs: Job[] = [];
  let buffer: T[] = [];
  let pos = 0;
  let index = firstIndex;
  let upstreamDone = false;
  try {
    for (;;) {
      while (jobs.length < limit && !upstreamDone) {
        if (pos >= buffer.length) {
          const r = await chunks.next();
          if (r.done) upstreamDone = true;
          else [buffer, pos] = [r.value, 0];
          continue;
        }
        const job: Job = { settled: false, promise: start(buffer[pos++]!, index++) };
        job.promise.then(
          (v) => {
            job.settled = true;
            job.value = v;
          },
          () => {},
        );
        jobs.push(job);
      }
      if (jobs.length === 0) return undefined;
      const out: U[] = [(await jobs.shift()!.promise) as U];
      while (jobs.length > 0 && jobs[0]!.settled) out.push(jobs.shift()!.value as U);
      yield out;
    }
  } finally {
    await chunks.return?.();
  }
}

/** fn on up to `limit` samples at once on this thread (async work such as reading and decoding overlaps). */
export function concurrentMapSource<T, U>(up: Source<T>, fn: (sample: T) => U | Promise<U>, limit: number): Source<U> {
  return {
    size: up.size,
    seeded: up.seeded,
    open(run, skip) {
      return orderedConcurrent(up.open(run, skip), limit, skip, async (s) => fn(s));
    },
  };
}

export function filterSource<T>(up: Source<T>, keep: (sample: T) => boolean | Promise<boolean>): Source<T> {
  return {
    size: up.size === Infinity ? Infinity : null,
    seeded: up.seeded,
    open(run, skip) {
      async function* kept(): AsyncGenerator<T[], undefined> {
        for await (const chunk of chunksOf(up.open(run, 0))) {
          const out: T[] = [];
          for (const s of chunk) {
            const k = keep(s);
            if (isThenable(k) ? await k : k) out.push(s);
          }
          if (out.length > 0) yield out;
        }
        return undefined;
      }
      return dropFirst(kept(), skip);
    },
  };
}

export function takeSource<T>(up: Source<T>, count: number): Source<T> {
  return {
    size: up.size === null ? null : Math.min(up.size, count),
    seeded: up.seeded,
    async *open(run, skip) {
      let left = count - skip;
      if (left <= 0) return undefined;
      for await (const chunk of chunksOf(up.open(run, skip))) {
        if (chunk.length >= left) {
          yield chunk.slice(0, left);
          return undefined;
        }
        yield chunk;
        left -= chunk.length;
      }
      return undefined;
    },
  };
}

export function skipSource<T>(up: Source<T>, count: number): Source<T> {
  return {
    size: up.size === null ? null : Math.max(0, up.size - count),
    seeded: up.seeded,
    open(run, skip) {
      return up.open(run, skip + count);
    },
  };
}

/** The upstream `count` times (Infinity: forever), each pass with its own key so shuffles differ. */
export function repeatSource<T>(up: Source<T>, count: number): Source<T> {
  const size = up.size === null ? null : up.size === 0 ? 0 : up.size * count;
  return {
    size,
    seeded: up.seeded,
    open(run, skip) {
      const n = up.size;
      const known = n !== null && Number.isFinite(n) && n > 0;
      async function* passes(firstPass: number, firstSkip: number): AsyncGenerator<T[], undefined> {
        for (let r = firstPass; r < count; r++) {
          let seen = 0;
          const pass: Run = { key: [...run.key, r], seeds: run.seeds };
          for await (const chunk of chunksOf(up.open(pass, r === firstPass ? firstSkip : 0))) {
            seen += chunk.length;
            yield chunk;
          }
          // An empty pass would repeat forever without yielding: stop, as an empty dataset repeated is empty.
          if (seen === 0 && !(r === firstPass && firstSkip > 0)) return undefined;
        }
        return undefined;
      }
      if (known) return passes(Math.floor(skip / n), skip % n);
      return dropFirst(passes(0, 0), skip);
    },
  };
}

export function concatenateSource<T>(first: Source<T>, second: Source<T>): Source<T> {
  const size = first.size === null || second.size === null ? null : first.size + second.size;
  return {
    size,
    seeded: [...first.seeded, ...second.seeded],
    open(run, skip) {
      const n = first.size;
      async function* both(skipFirst: number, skipSecond: number): AsyncGenerator<T[], undefined> {
        if (n === null || skipFirst < n) for await (const chunk of chunksOf(first.open(run, skipFirst))) yield chunk;
        for await (const chunk of chunksOf(second.open(run, skipSecond))) yield chunk;
        return undefined;
      }
      if (n !== null && Number.isFinite(n)) return both(Math.min(skip, n), Math.max(0, skip - n));
      return dropFirst(both(0, 0), skip);
    },
  };
}

/** Samples of several sources side by side, until the shortest ends; `assemble` builds each sample. */
export function zipSource<U>(parts: readonly Source<unknown>[], assemble: (values: unknown[]) => U): Source<U> {
  const sizes = parts.map((p) => p.size);
  const size = sizes.includes(null) ? null : Math.min(...(sizes as number[]));
  return {
    size: parts.length === 0 ? 0 : size,
    seeded: parts.flatMap((p) => p.seeded),
    async *open(run, skip) {
      if (parts.length === 0) return undefined;
      const its = parts.map((p) => p.open(run, skip));
      const buffers: unknown[][] = parts.map(() => []);
      try {
        for (;;) {
          for (let k = 0; k < its.length; k++) {
            while (buffers[k]!.length === 0) {
              const r = await its[k]!.next();
              if (r.done) return undefined;
              buffers[k] = r.value;
            }
          }
          const n = Math.min(...buffers.map((b) => b.length));
          const out = new Array<U>(n);
          for (let i = 0; i < n; i++) out[i] = assemble(buffers.map((b) => b[i]));
          for (let k = 0; k < buffers.length; k++) buffers[k] = buffers[k]!.slice(n);
          yield out;
        }
      } finally {
        await Promise.all(its.map((it) => it.return?.()));
      }
    },
  };
}

export function batchSource<T, B>(up: Source<T>, size: number, dropRemainder: boolean, padding: PaddingOptions | null, where: string): Source<B> {
  const n = up.size;
  return {
    size: n === null || !Number.isFinite(n) ? n : dropRemainder ? Math.floor(n / size) : Math.ceil(n / size),
    seeded: up.seeded,
    async *open(run, skip) {
      let group: T[] = [];
      for await (const chunk of chunksOf(up.open(run, skip * size))) {
        for (const s of chunk) {
          group.push(s);
          if (group.length === size) {
            yield [batchSamples(where, group, padding) as B];
            group = [];
          }
        }
      }
      if (group.length > 0 && !dropRemainder) yield [batchSamples(where, group, padding) as B];
      return undefined;
    },
  };
}

export function unbatchSource<T, U>(up: Source<T>, where: string): Source<U> {
  return {
    size: up.size === Infinity ? Infinity : null,
    seeded: up.seeded,
    open(run, skip) {
      async function* samples(): AsyncGenerator<U[], undefined> {
        for await (const chunk of chunksOf(up.open(run, 0))) for (const b of chunk) yield unbatchSample(where, b) as U[];
        return undefined;
      }
      return dropFirst(samples(), skip);
    },
  };
}

/**
 * Reads ahead of the consumer: up to `count` samples wait in a buffer while the consumer works (reading
 * files, decoding and worker threads go on meanwhile).
 */
export function prefetchSource<T>(up: Source<T>, count: number): Source<T> {
  return {
    size: up.size,
    seeded: up.seeded,
    async *open(run, skip) {
      const it = up.open(run, skip);
      const queue: T[][] = [];
      let buffered = 0;
      let finished = false;
      let stopped = false;
      let failure: { error: unknown } | null = null;
      // Set inside promise executors, so held in an object the compiler does not narrow.
      const wake: { consumer: (() => void) | null; pump: (() => void) | null } = { consumer: null, pump: null };
      const pump = (async () => {
        try {
          while (!stopped) {
            if (buffered >= count) {
              await new Promise<void>((resolve) => (wake.pump = resolve));
              continue;
            }
            const r = await it.next();
            if (r.done) break;
            queue.push(r.value);
            buffered += r.value.length;
            wake.consumer?.();
          }
        } catch (e) {
          failure = { error: e };
        } finally {
          finished = true;
          wake.consumer?.();
        }
      })();
      try {
        for (;;) {
          if (queue.length === 0) {
            if (failure !== null) throw (failure as { error: unknown }).error;
            if (finished) return undefined;
            await new Promise<void>((resolve) => (wake.consumer = resolve));
            wake.consumer = null;
            continue;
          }
          const chunk = queue.shift()!;
          buffered -= chunk.length;
          wake.pump?.();
          wake.pump = null;
          yield chunk;
        }
      } finally {
        stopped = true;
        wake.pump?.();
        await pump;
        await it.return?.();
      }
    },
  };
}
