/**
 * The one seeded random generator. Weights, shuffling, dropout masks and data splits all draw from the
 * global generator, so `setSeed(n)` makes a whole run repeatable, and numbers never depend on the backend.
 * The generator is xoshiro128** (fast, 32-bit, passes BigCrush) seeded through splitmix32.
 */
import { ValueError, describe } from './errors.js';

/** Where a generator is in its sequence (see Rng.getState). */
export interface RandomState {
  words: [number, number, number, number];
  spare: number | null;
}

export class Rng {
  #s0 = 0;
  #s1 = 0;
  #s2 = 0;
  #s3 = 0;
  #spare: number | null = null;

  constructor(seed: number) {
    this.seed(seed);
  }

  seed(seed: number): void {
    if (typeof seed !== 'number' || !Number.isFinite(seed)) {
      throw new ValueError(`setSeed: argument 'seed' expected a finite number, received ${describe(seed)}`);
    }
    // splitmix32 spreads any seed (including 0) over the whole 128-bit state.
    let x = (Math.trunc(seed) ^ Math.trunc(seed / 2 ** 32)) >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.#s0 = next();
    this.#s1 = next();
    this.#s2 = next();
    this.#s3 = next();
    this.#spare = null;
  }

  /** The generator's position: four state words and the spare normal draw (null when none). */
  getState(): RandomState {
    return { words: [this.#s0 >>> 0, this.#s1 >>> 0, this.#s2 >>> 0, this.#s3 >>> 0], spare: this.#spare };
  }

  /** Continues from a position getState returned, so draws repeat exactly (resuming training). */
  setState(state: RandomState): void {
    if (!isRandomState(state)) {
      throw new ValueError(`setRandomState: expected { words: four 32-bit unsigned integers (not all 0), spare: a number or null }, received ${describe(state)}`);
    }
    [this.#s0, this.#s1, this.#s2, this.#s3] = state.words;
    this.#spare = state.spare;
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const s0 = this.#s0, s1 = this.#s1, s2 = this.#s2, s3 = this.#s3;
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.#s2 = s2 ^ s0;
    this.#s3 = s3 ^ s1;
    this.#s1 = s1 ^ this.#s2;
    this.#s0 = s0 ^ this.#s3;
    this.#s2 ^= t;
    this.#s3 = rotl(this.#s3, 11);
    return r;
  }

  /** Uniform in [0, 1) with 53 bits of precision. */
  next(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  uniform(low = 0, high = 1): number {
    return low + (high - low) * this.next();
  }

  /** Standard normal by the Marsaglia polar method (keeps the spare value). */
  normal(mean = 0, std = 1): number {
    if (this.#spare !== null) {
      const v = this.#spare;
      this.#spare = null;
      return mean + std * v;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.next() - 1;
      v = 2 * this.next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.#spare = v * f;
    return mean + std * u * f;
  }

  /** Normal truncated to two standard deviations by redrawing, as Keras's TruncatedNormal does. */
  truncatedNormal(mean = 0, std = 1): number {
    for (;;) {
      const z = this.normal();
      if (Math.abs(z) <= 2) return mean + std * z;
    }
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Shuffles `array` in place (Fisher–Yates). */
  shuffle<T>(array: T[] | Int32Array): void {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = array[i]!;
      array[i] = array[j]!;
      array[j] = tmp;
    }
  }

  /** A random permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    this.shuffle(p);
    return p;
  }
}

function isRandomState(v: unknown): v is RandomState {
  if (typeof v !== 'object' || v === null) return false;
  const { words, spare } = v as Partial<RandomState>;
  const word = (w: unknown): boolean => Number.isInteger(w) && (w as number) >= 0 && (w as number) < 2 ** 32;
  return Array.isArray(words) && words.length === 4 && words.every(word) && words.some((w) => w !== 0) && (spare === null || Number.isFinite(spare));
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

const globalRng = new Rng(Date.now() ^ Math.floor(Math.random() * 2 ** 31));
let currentSeed: number | null = null;

/** Seeds everything random in layerwise: weights, shuffling, dropout, splits. */
export function setSeed(seed: number): void {
  globalRng.seed(seed);
  currentSeed = seed;
}

/** The seed last given to `setSeed`, or null when runs are not seeded. */
export function getSeed(): number | null {
  return currentSeed;
}

/** The global generator's position, to continue its sequence later with setRandomState. */
export function getRandomState(): RandomState {
  return globalRng.getState();
}

/** Puts the global generator back where getRandomState found it. */
export function setRandomState(state: RandomState): void {
  globalRng.setState(state);
}

/** The global generator that every random draw in the library uses. */
export function rng(): Rng {
  return globalRng;
}
