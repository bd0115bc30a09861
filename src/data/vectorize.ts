/**
 * Vectorization of integer sequences (word indices, event codes): multi-hot rows (which tokens occur),
 * one-hot matrices (which token at each position), and padding to a common length.
 */
import { alloc } from '../backend/index.js';
import { Tensor } from '../tensor/tensor.js';
import { ValueError, describe } from '../util/errors.js';

export type Sequences = readonly (readonly number[] | Int32Array)[];

function checkSequences(where: string, sequences: Sequences, numTokens?: number): void {
  if (!Array.isArray(sequences)) throw new ValueError(`${where}: argument 'sequences' expected an array of integer arrays, received ${describe(sequences)}`);
  if (numTokens !== undefined && (!Number.isInteger(numTokens) || numTokens < 1)) {
    throw new ValueError(`${where}: option 'numTokens' expected a positive integer, received ${describe(numTokens)}`);
  }
  sequences.forEach((s, i) => {
    if (!Array.isArray(s) && !(s instanceof Int32Array)) throw new ValueError(`${where}: sequence ${i} expected an array of integers, received ${describe(s)}`);
    for (let j = 0; j < s.length; j++) {
      const token = s[j]!;
      if (!Number.isInteger(token) || token < 0 || (numTokens !== undefined && token >= numTokens)) {
        const range = numTokens === undefined ? 'non-negative integers' : `integers in [0, ${numTokens - 1}]`;
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

/** [n, numTokens]: row i has 1 (or the count) at every token of sequence i. */
export function multiHot(sequences: Sequences, options: MultiHotOptions): Tensor {
  checkSequences('multiHot', sequences, options.numTokens);
  const k = options.numTokens;
  const out = alloc('float32', sequences.length * k);
  sequences.forEach((s, i) => {
    for (const token of s) out[i * k + token] = options.counts ? out[i * k + token]! + 1 : 1;
  });
  return new Tensor(out, [sequences.length, k]);
}

export interface OneHotSequencesOptions {
  numTokens: number;
  /** Positions per sequence (default: the longest); shorter ones end in zero rows, longer ones are cut. */
  length?: number;
}

/** [n, length, numTokens]: position t of sample i is the one-hot row of its token. */
export function oneHotSequences(sequences: Sequences, options: OneHotSequencesOptions): Tensor {
  checkSequences('oneHotSequences', sequences, options.numTokens);
  const k = options.numTokens;
  const length = options.length ?? Math.max(0, ...sequences.map((s) => s.length));
  if (!Number.isInteger(length) || length < 1) throw new ValueError(`oneHotSequences: option 'length' expected a positive integer, received ${describe(options.length)}`);
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
  /** Default 0. */
  value?: number;
}

/** [n, length] int32: every sequence padded or cut to the same length. */
export function padSequences(sequences: Sequences, options: PadSequencesOptions = {}): Tensor {
  checkSequences('padSequences', sequences);
  const length = options.length ?? Math.max(0, ...sequences.map((s) => s.length));
  if (!Number.isInteger(length) || length < 1) throw new ValueError(`padSequences: option 'length' expected a positive integer, received ${describe(options.length)}`);
  const out = new Int32Array(sequences.length * length).fill(options.value ?? 0);
  sequences.forEach((s, i) => {
    const kept = s.length <= length ? Array.from(s) : options.truncating === 'post' ? Array.from(s).slice(0, length) : Array.from(s).slice(s.length - length);
    const offset = options.padding === 'post' ? 0 : length - kept.length;
    kept.forEach((token, j) => (out[i * length + offset + j] = token));
  });
  return new Tensor(out, [sequences.length, length]);
}
