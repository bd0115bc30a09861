/**
 * The shuffle stage (as tf.data's): a buffer of `bufferSize` samples; each sample read replaces one drawn
 * at random from the buffer, which is handed on. A buffer as large as the dataset gives a uniform
 * permutation; a smaller one keeps memory bounded at the cost of a more local shuffle.
 *
 * The order is a function of the stage's seed and the pass's key (the epoch, and the index of each
 * enclosing repeat), never of what ran before: epoch 3 of a seeded run is the same in a run resumed at
 * epoch 3. The seed is the one given, or is drawn from the global generator when the stage is built, so
 * `setSeed` before building the pipeline makes it repeatable.
 */
import { Rng, rng } from '../util/random.js';
import type { SeededStage, Source } from './source.js';
import { chunksOf, dropFirst, mixSeed, seedOf } from './source.js';

export interface ShuffleOptions {
  /** The stage's seed (default: drawn from the generator `setSeed` seeds). */
  seed?: number;
  /** A new order every epoch (default true); false repeats the first epoch's order (for a fixed split with take and skip). */
  reshuffleEachIteration?: boolean;
}

export function shuffleSource<T>(up: Source<T>, bufferSize: number, options: ShuffleOptions): Source<T> {
  const stage: SeededStage = { seed: options.seed === undefined ? rng().nextUint32() : options.seed >>> 0 };
  const reshuffle = options.reshuffleEachIteration ?? true;
  return {
    size: up.size,
    seeded: [...up.seeded, stage],
    open(run, skip) {
      const random = new Rng(mixSeed(seedOf(run, stage), reshuffle ? run.key : []));
      async function* shuffled(): AsyncGenerator<T[], undefined> {
        const buffer: T[] = [];
        for await (const chunk of chunksOf(up.open(run, 0))) {
          const out: T[] = [];
          for (const s of chunk) {
            if (buffer.length < bufferSize) {
              buffer.push(s);
              continue;
            }
            const j = random.int(bufferSize);
            out.push(buffer[j]!);
            buffer[j] = s;
          }
          if (out.length > 0) yield out;
        }
        // Drain: a Fisher–Yates pass over what is left.
        random.shuffle(buffer);
        for (let start = 0; start < buffer.length; start += 64) yield buffer.slice(start, start + 64);
        return undefined;
      }
      return dropFirst(shuffled(), skip);
    },
  };
}
