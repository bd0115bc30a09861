/**
 * The inside of a Dataset: a source opens an iterator of chunks of samples for one pass. Stages wrap
 * sources; data flows one way, from the files or arrays through the stages to whoever iterates.
 *
 * Chunks keep the per-sample cost of a pipeline low (one promise per chunk and stage, not per sample);
 * the consumer still receives samples one at a time. A pass is opened at a given `skip`: stages that map
 * one sample to one (map, batch, take, skip) hand the skip upstream, so resuming in the middle of an epoch
 * does not run the skipped samples' map functions; the others read and drop.
 */

/** A stage whose output depends on a seed (a shuffle, a map on worker threads). */
export interface SeededStage {
  /** The seed it was given or drew from the global generator when the pipeline was built. */
  readonly seed: number;
}

/** One pass over a dataset. */
export interface Run {
  /** The epoch, then one index per enclosing repeat: a shuffle's order is a function of its seed and this key. */
  readonly key: readonly number[];
  /** Seeds that replace the stages' own (a restored position), else null. */
  readonly seeds: ReadonlyMap<SeededStage, number> | null;
}

export interface Source<T> {
  /** Samples per pass: a number, Infinity (repeats forever) or null (not known before reading). */
  readonly size: number | null;
  /** The seeded stages of the pipeline, upstream first: a saved position records their seeds. */
  readonly seeded: readonly SeededStage[];
  /** Starts a pass; the iterator has already dropped the first `skip` samples. */
  open(run: Run, skip: number): AsyncIterator<T[], undefined>;
}

export function seedOf(run: Run, stage: SeededStage): number {
  return run.seeds?.get(stage) ?? stage.seed;
}

/** A 32-bit seed mixed from a seed and a key (splitmix32 rounds): nearby keys give unrelated seeds. */
export function mixSeed(seed: number, key: readonly number[]): number {
  let h = seed >>> 0;
  for (const k of [key.length, ...key]) {
    h = (h ^ (k >>> 0)) >>> 0;
    h = (h + 0x9e3779b9) >>> 0;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
  }
  return h;
}

/** Reads a pass and drops its first `skip` samples (for stages that cannot hand a skip upstream). */
export async function* dropFirst<T>(chunks: AsyncIterator<T[], undefined>, skip: number): AsyncGenerator<T[], undefined> {
  let left = skip;
  try {
    for (;;) {
      const r = await chunks.next();
      if (r.done) return undefined;
      if (left >= r.value.length) {
        left -= r.value.length;
        continue;
      }
      yield left > 0 ? r.value.slice(left) : r.value;
      left = 0;
    }
  } finally {
    await chunks.return?.();
  }
}

/** Iterates an iterator of chunks with for-await, closing it when the loop stops early. */
export function chunksOf<T>(it: AsyncIterator<T[], undefined>): AsyncIterable<T[]> {
  return { [Symbol.asyncIterator]: () => it };
}
