/**
 * Vectorization of integer sequences (word indices, event codes): multi-hot rows (which tokens occur),
 * one-hot matrices (which token at each position), and padding to a common length.
 */
import { alloc } from '../backend/index.js';
import { Tensor } from '../tensor/tensor.js';
import type { SpecFor } from '../util/checks.js';
import { is, optionsSpec } from '../util/checks.js';
import { INT32_MAX, INT32_MIN } from '../util/dtype.js';
import { ValueError, describe } from '../util/errors.js';

/** Integer sequences: arrays of numbers or integer typed arrays (e.g. Uint16Array word indices). */
export type Sequences = readonly (readonly number[] | Int32Array | Int16Array | Uint16Array | Uint8Array | Uint32Array)[];

function isSequence(s: unknown): boolean {
  return Array.isArray(s) || s instanceof Int32Array || s instanceof Int16Array || s instanceof Uint16Array || s instanceof Uint8Array || s instanceof Uint32Array;
}

function checkSequences(where: string, sequences: Sequences, numTokens?: number): void {
  if (!Array.isArray(sequences)) throw new ValueError(`${where}: argument 'sequences' expected an array of integer arrays, received ${describe(sequences)}`);
  sequences.forEach((s, i) => {
    if (!isSequence(s)) throw new ValueError(`${where}: sequence ${i} expected an array of integers, received ${describe(s)}`);
    for (let j = 0; j < s.length; j++) {
      const token = s[j]!;
      if (!Number.isInteger(token) || token < 0 || token >= (numTokens ?? INT32_MAX + 1)) {
        const range = `integers in [0, ${numTokens === undefined ? INT32_MAX : numTokens - 1}]`;
        throw new ValueError(`${where}: sequence ${i} expected ${range}, received ${describe(token)} at position ${j}`);
      }
    }
  });
}

export interface MultiHotOptions {
  /** The number of distinct tokens: the width of each row. */
  numTokens: number;
  /** Count occurrences instead of marking presence with 1 (default false). */
  counts?: boolean;
}

const MULTI_HOT_OPTIONS = optionsSpec({ numTokens: is.positiveInteger, counts: is.boolean.default(false) } satisfies SpecFor<MultiHotOptions>);

/** [n, numTokens]: row i has 1 (or the count) at every token of sequence i. */
export function multiHot(sequences: Sequences, options: MultiHotOptions): Tensor {
  const { numTokens: k, counts } = MULTI_HOT_OPTIONS.parse('multiHot', options);
  checkSequences('multiHot', sequences, k);
  const out = alloc('float32', sequences.length * k);
  sequences.forEach((s, i) => {
    for (const token of s) out[i * k + token] = counts ? out[i * k + token]! + 1 : 1;
  });
  return new Tensor(out, [sequences.length, k]);
}

export interface OneHotSequencesOptions {
  numTokens: number;
  /** Positions per sequence (default: the longest); shorter ones end in zero rows, longer ones are cut. */
  length?: number;
}

const ONE_HOT_OPTIONS = optionsSpec({ numTokens: is.positiveInteger, length: is.positiveInteger.optional() } satisfies SpecFor<OneHotSequencesOptions>);

/** [n, length, numTokens]: position t of sample i is the one-hot row of its token. */
export function oneHotSequences(sequences: Sequences, options: OneHotSequencesOptions): Tensor {
  const o = ONE_HOT_OPTIONS.parse('oneHotSequences', options);
  const k = o.numTokens;
  checkSequences('oneHotSequences', sequences, k);
  const length = o.length ?? Math.max(0, ...sequences.map((s) => s.length));
  if (length < 1) throw new ValueError(`oneHotSequences: every sequence is empty; give option 'length' for the number of positions`);
  const out = alloc('float32', sequences.length * length * k);
  sequences.forEach((s, i) => {
    for (let t = 0; t < Math.min(length, s.length); t++) out[(i * length + t) * k + s[t]!] = 1;
  });
  return new Tensor(out, [sequences.length, length, k]);
}

export interface PadSequencesOptions {
  /** Default: the longest sequence. */
  length?: number;
  /** Where padding goes: 'pre' (default, as Keras) or 'post'. */
  padding?: 'pre' | 'post';
  /** Which end of a longer sequence is cut: 'pre' (default, as Keras) or 'post'. */
  truncating?: 'pre' | 'post';
  /** Default 0; an integer, since the result is int32. */
  value?: number;
}

const PAD_OPTIONS = optionsSpec({
  length: is.positiveInteger.optional(),
  padding: is.oneOf(['pre', 'post'] as const).default('pre'),
  truncating: is.oneOf(['pre', 'post'] as const).default('pre'),
  value: is.integerIn(INT32_MIN, INT32_MAX).default(0),
} satisfies SpecFor<PadSequencesOptions>);

/** [n, length] int32: every sequence padded or cut to the same length. */
export function padSequences(sequences: Sequences, options: PadSequencesOptions = {}): Tensor {
  const { padding, truncating, value, ...o } = PAD_OPTIONS.parse('padSequences', options);
  checkSequences('padSequences', sequences);
  const length = o.length ?? Math.max(0, ...sequences.map((s) => s.length));
  if (length < 1) throw new ValueError(`padSequences: every sequence is empty; give option 'length' for the number of positions`);
  const out = new Int32Array(sequences.length * length).fill(value);
  sequences.forEach((s, i) => {
    const kept = s.length <= length ? Array.from(s) : truncating === 'post' ? Array.from(s).slice(0, length) : Array.from(s).slice(s.length - length);
    const offset = padding === 'post' ? 0 : length - kept.length;
    kept.forEach((token, j) => (out[i * length + offset + j] = token));
  });
  return new Tensor(out, [sequences.length, length]);
}
